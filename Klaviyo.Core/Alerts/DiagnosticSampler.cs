using System.Collections.Concurrent;
using System.Globalization;
using Klaviyo.Core.Data;
using Klaviyo.Core.Errors;
using Klaviyo.Core.Reports;
using Klaviyo.Core.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.Core.Alerts;

/// <summary>
/// The product's own health for diagnostic rules, read from the boards that already track it: the
/// error board (failing entities, a refused key, 429s), the sync states, the report budget, the webhook
/// refusals and the contact points. One observation per entity or contact point, or one for the product.
/// </summary>
public sealed class DiagnosticSampler(
    IDbContextFactory<KlaviyoDbContext> contexts,
    ApiErrorBoard errors,
    ReportBudget budget,
    WebhookStatus webhooks,
    TimeProvider time)
{
    private long _webhookRefusalsSeen = -1;
    /// <summary>The report budget spent, as each check saw it: the short window of the burn rate reads back an hour.</summary>
    private readonly ConcurrentQueue<(DateTime At, long Spent)> _budgetSamples = new();

    public async Task<IReadOnlyList<Observation>> SampleAsync(AlertDefinition d, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return d.Check!.Value switch
        {
            DiagnosticCheck.SyncFailing => SyncFailing(now, d.Threshold ?? 15),
            DiagnosticCheck.DataStale => await DataStaleAsync(now, d.Threshold ?? 60, cancellationToken),
            DiagnosticCheck.KeyRefused => [KeyRefused()],
            DiagnosticCheck.RateLimited => [RateLimited(d.Threshold ?? 5)],
            DiagnosticCheck.ReportBudgetBurn => [await ReportBudgetBurnAsync(now, d.Threshold ?? 2, cancellationToken)],
            // Evaluated on the database, so it answers: OutageWatch is the one that sees it fail.
            DiagnosticCheck.DatabaseUnreachable => [new Observation("", "", false, null, null, "The database answers (outages are watched by every instance and logged when it is back).", "/#diagnostics")],
            DiagnosticCheck.WebhooksRefused => [WebhooksRefused(d.Threshold ?? 1)],
            _ => await ContactPointsFailingAsync(d.Threshold ?? 5, cancellationToken),
        };
    }

    private List<Observation> SyncFailing(DateTime now, double minutes) =>
        [.. errors.Current.Where(e => e.Entity is not null && e.Source != ApiErrorSource.Database).Select(e =>
            new Observation($"entity:{e.Entity}", e.Entity.ToString()!, (now - e.Since).TotalMinutes >= minutes, (now - e.Since).TotalMinutes, minutes,
                $"{e.Entity} has failed to sync since {e.Since:u} ({e.Code}: {e.Message})", "/#sync"))];

    private async Task<List<Observation>> DataStaleAsync(DateTime now, double minutes, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var states = await db.SyncStates.AsNoTracking().Where(s => s.LastSuccessAt != null).ToListAsync(cancellationToken);
        return [.. states.Select(s =>
        {
            var age = (now - s.LastSuccessAt!.Value).TotalMinutes;
            return new Observation($"entity:{s.Entity}", s.Entity.ToString(), age >= minutes, age, minutes,
                $"{s.Entity} was last confirmed {age:0} minutes ago (limit {minutes:0}).", "/#sync");
        })];
    }

    private Observation KeyRefused()
    {
        var refused = errors.Current.FirstOrDefault(e => e.Code == ErrorCodes.KlaviyoAuth);
        return new Observation("", "", refused is not null, refused?.Occurrences, null,
            refused is null ? "Klaviyo accepts the key." : $"Klaviyo refuses the private key since {refused.Since:u}: {refused.Message}", "/#diagnostics");
    }

    private Observation RateLimited(double times)
    {
        var limited = errors.Current.Where(e => e.Code == ErrorCodes.KlaviyoRateLimited).MaxBy(e => e.Occurrences);
        return new Observation("", "", limited is not null && limited.Occurrences >= times, limited?.Occurrences ?? 0, times,
            limited is null ? "Klaviyo is not rate-limiting us." : $"Klaviyo rate-limited us {limited.Occurrences} times in a row since {limited.Since:u}.", "/#diagnostics");
    }

    /// <summary>
    /// Burn rate: the share of the day's budget spent ÷ the share of the day gone, over two windows
    /// (the day so far and the last hour, as SRE burn-rate alerts do): both above the limit (2: at this
    /// pace the budget is gone by midday), once a tenth is spent. The long window keeps one busy hour
    /// from alerting; the short one ends the alert as soon as the pace has calmed.
    /// </summary>
    private async Task<Observation> ReportBudgetBurnAsync(DateTime now, double burn, CancellationToken cancellationToken)
    {
        var (spent, renewsAt) = await budget.TodayAsync(cancellationToken);
        var elapsed = Math.Max(1.0 / 24, 1 - (renewsAt - now).TotalHours / 24);
        var share = budget.DailyCalls == 0 ? 0 : (double)spent / budget.DailyCalls;
        var rate = share / elapsed;
        var recent = RecentBurn(now, spent, budget.DailyCalls);
        var holds = rate >= burn && share >= 0.1 && (recent ?? rate) >= burn;
        return new Observation("", "", holds, rate, burn,
            $"{spent} of {budget.DailyCalls} report calls spent with {elapsed:P0} of the day gone (burn rate {rate:0.##}; the last hour {(recent is { } r ? r.ToString("0.##", CultureInfo.InvariantCulture) : "not measured yet")}).", "/#diagnostics");
    }

    /// <summary>The burn rate over about the last hour, from earlier checks' samples; null until one is at least 5 minutes old.</summary>
    private double? RecentBurn(DateTime now, long spent, long dailyCalls)
    {
        // A new day starts from zero: the old day's samples say nothing about it.
        if (_budgetSamples.TryPeek(out var oldest) && _budgetSamples.LastOrDefault().Spent > spent)
            _budgetSamples.Clear();
        _budgetSamples.Enqueue((now, spent));
        while (_budgetSamples.Count > 1 && _budgetSamples.TryPeek(out oldest) && now - oldest.At > TimeSpan.FromHours(1))
            _budgetSamples.TryDequeue(out _);
        if (!_budgetSamples.TryPeek(out oldest) || now - oldest.At < TimeSpan.FromMinutes(5) || dailyCalls == 0)
            return null;
        return (spent - oldest.Spent) / (double)dailyCalls / ((now - oldest.At).TotalHours / 24);
    }

    private Observation WebhooksRefused(double limit)
    {
        var total = webhooks.Refused.Values.Sum();
        var previous = Interlocked.Exchange(ref _webhookRefusalsSeen, total);
        var fresh = previous < 0 ? 0 : total - previous;
        return new Observation("", "", fresh >= limit, fresh, limit,
            fresh == 0 ? "No webhook delivery refused since the last check." : $"{fresh} webhook deliveries refused since the last check ({string.Join(", ", webhooks.Refused.Select(r => $"{r.Key}: {r.Value}"))}).", "/#diagnostics");
    }

    /// <summary>Contact points disabled by their own failures, and those whose notifications keep failing.</summary>
    private async Task<List<Observation>> ContactPointsFailingAsync(double attempts, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var disabled = await db.ContactPoints.AsNoTracking().Where(c => !c.Enabled && c.DisabledReason != null).Select(c => new { c.Id, c.Name, c.DisabledReason }).ToListAsync(cancellationToken);
        var failing = await db.Notifications.Where(n => n.SentAt == null && n.AbandonedAt == null && n.Attempts >= attempts)
            .GroupBy(n => n.ContactPointId).Select(g => new { Id = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var names = await db.ContactPoints.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.Name, cancellationToken);
        return [
            .. disabled.Select(c => new Observation($"contact:{c.Id}", c.Name, true, null, null, $"{c.Name} was disabled: {c.DisabledReason}", "/alerts")),
            .. failing.Where(f => disabled.All(c => c.Id != f.Id)).Select(f => new Observation($"contact:{f.Id}", names.GetValueOrDefault(f.Id, "?"), true, f.Count, null,
                $"{f.Count} notifications to {names.GetValueOrDefault(f.Id, "?")} keep failing.", "/alerts")),
        ];
    }
}
