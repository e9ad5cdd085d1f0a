using System.Collections.Concurrent;
using System.Globalization;
using Klaviyo.Core.Accounts;
using Klaviyo.Core.Data;
using Klaviyo.Core.Errors;
using Klaviyo.Core.Freshness;
using Klaviyo.Core.Metrics;
using Klaviyo.Core.Overview;
using Klaviyo.Core.Reports;
using Klaviyo.Core.TimeRanges;
using Klaviyo.Core.Webhooks;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Klaviyo.Core.Alerts;

/// <summary>
/// Reads what a rule watches, the way the dashboard reads it: KPIs through the overview (the
/// account's calendar, currency and conversion metric), metrics through the rollups in the account's
/// local hours and days, the product's own health through the boards that already track it.
/// </summary>
public sealed class AlertSampler(
    IDbContextFactory<KlaviyoDbContext> contexts,
    OverviewReader overview,
    AccountReader accounts,
    SyncClock clock,
    ApiErrorBoard errors,
    ReportBudget budget,
    WebhookStatus webhooks,
    TimeProvider time)
{
    private long _webhookRefusalsSeen = -1;
    /// <summary>The report budget spent, as each check saw it: the short window of the burn rate reads back an hour.</summary>
    private readonly ConcurrentQueue<(DateTime At, long Spent)> _budgetSamples = new();

    public async Task<IReadOnlyList<Observation>> SampleAsync(AlertDefinition definition, CancellationToken cancellationToken) => definition.Kind switch
    {
        AlertKind.Diagnostic => await DiagnoseAsync(definition, cancellationToken),
        AlertKind.Threshold or AlertKind.Change when definition.Subject == AlertSubject.Kpi => [await KpiAsync(definition, cancellationToken)],
        AlertKind.Threshold or AlertKind.Change when definition.Subject == AlertSubject.Metric => [await MetricWindowAsync(definition, cancellationToken)],
        AlertKind.Threshold when definition.Subject is AlertSubject.CampaignBounceRate or AlertSubject.CampaignSpamRate => await CampaignRatesAsync(definition, cancellationToken),
        AlertKind.Anomaly or AlertKind.Decay when definition.Subject == AlertSubject.Metric => [await MetricAnomalyAsync(definition, cancellationToken)],
        AlertKind.Anomaly or AlertKind.Decay when definition.Subject == AlertSubject.FlowSendVolume => await FlowVolumeAsync(definition, cancellationToken),
        _ => throw new InvalidInputError($"A {definition.Kind} rule cannot read {definition.Subject}."),
    };

    private async Task<Observation> KpiAsync(AlertDefinition d, CancellationToken cancellationToken)
    {
        var compare = d.Kind == AlertKind.Change ? d.CompareTo : CompareTo.None;
        var result = (await overview.ReadAsync(new RangeRequest(null, null, null, null, d.Window), compare, null, d.ConversionMetricId, null, false, cancellationToken)).Data;
        var kpi = d.Kpi!.Value;
        var (value, previous) = Read(result, kpi);
        var link = $"/?range={Slug(d.Window)}&compare={Slug(compare)}" + (d.ConversionMetricId is null ? "" : $"&metric={Uri.EscapeDataString(d.ConversionMetricId)}");
        var name = Words(kpi.ToString());
        return Judge(d, name, value, previous, link);
    }

    /// <summary>The KPI as the card shows it; rates in %.</summary>
    private static (double? Value, double? Previous) Read(OverviewResult r, AlertKpi kpi)
    {
        static (double?, double?) Percent(Kpi k) => (k.Value * 100, k.PreviousValue * 100);
        return kpi switch
        {
            AlertKpi.Revenue => (r.TotalRevenue.Value, r.TotalRevenue.PreviousValue),
            AlertKpi.Orders => (r.Orders.Value, r.Orders.PreviousValue),
            AlertKpi.AverageOrderValue => (Divide(r.TotalRevenue.Value, r.Orders.Value), Divide(r.TotalRevenue.PreviousValue, r.Orders.PreviousValue)),
            AlertKpi.OpenRate => Percent(r.OpenRate),
            AlertKpi.ClickRate => Percent(r.ClickRate),
            AlertKpi.ConversionRate => Percent(r.ConversionRate),
            AlertKpi.RevenuePerRecipient => (r.RevenuePerRecipient.Value, r.RevenuePerRecipient.PreviousValue),
            AlertKpi.ActiveSubscribers => (r.ActiveSubscribers.Value, r.ActiveSubscribers.PreviousValue),
            _ => (r.FormSubmissions.Value, r.FormSubmissions.PreviousValue),
        };
    }

    private static double? Divide(double? a, double? b) => a is { } x && b is { } y && y != 0 ? x / y : null;

    /// <summary>Reads a metric rule's metric once events have synced and the account has it; NO_DATA otherwise.</summary>
    private async Task<Observation> WithMetricAsync(AlertDefinition d, Func<KlaviyoDbContext, List<string>, string, Task<Observation>> read, CancellationToken cancellationToken)
    {
        if (await clock.LastUpdatedAsync(OverviewReader.EventReads, cancellationToken) is null)
            return Observation.NoData("Events have not synced yet.");
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var (ids, label) = await MetricAsync(db, d, cancellationToken);
        return ids.Count == 0 ? Observation.NoData($"The account has no metric {label}.") : await read(db, ids, label);
    }

    private Task<Observation> MetricWindowAsync(AlertDefinition d, CancellationToken cancellationToken) =>
        WithMetricAsync(d, (db, ids, label) => MetricWindowAsync(db, ids, label, d, cancellationToken), cancellationToken);

    private async Task<Observation> MetricWindowAsync(KlaviyoDbContext db, List<string> ids, string label, AlertDefinition d, CancellationToken cancellationToken)
    {
        var compare = d.Kind == AlertKind.Change ? d.CompareTo : CompareTo.None;
        var (range, _) = await accounts.ResolveAsync(new RangeRequest(null, null, null, null, d.Window), compare, cancellationToken);
        var current = await WindowSums.TotalAsync(db, ids, range.Current, cancellationToken);
        (long Count, double Sum)? previous = range.Previous is null ? null : await WindowSums.TotalAsync(db, ids, range.Previous, cancellationToken);
        double Pick((long Count, double Sum) t) => d.Measurement == Measurement.Count ? t.Count : t.Sum;
        var link = $"/?range={Slug(d.Window)}&compare={Slug(compare)}";
        return Judge(d, label, Pick(current), previous is { } p ? Pick(p) : null, link);
    }

    /// <summary>A threshold or a change on one number and its comparison.</summary>
    private static Observation Judge(AlertDefinition d, string name, double? value, double? previous, string link)
    {
        if (value is not { } v)
            return Observation.NoData($"{name} is not known yet.") with { Link = link };
        if (d.Kind == AlertKind.Threshold)
        {
            var holds = d.Comparison == AlertComparison.Above ? v > d.Threshold : v < d.Threshold;
            return new Observation("", "", holds, v, d.Threshold, $"{name} is {Format(v)} ({(d.Comparison == AlertComparison.Above ? "above" : "below")} {Format(d.Threshold!.Value)}: {(holds ? "yes" : "no")}).", link);
        }
        if (previous is not { } p)
            return Observation.NoData($"{name} has no comparison window.") with { Link = link };
        if (Math.Max(Math.Abs(v), Math.Abs(p)) < d.MinVolume)
            return new Observation("", "", false, v, p, $"{name} is {Format(v)} against {Format(p)}: below the minimum volume {Format(d.MinVolume)}.", link);
        double change;
        if (d.ChangeUnit == ChangeUnit.Points)
            change = v - p;
        else if (p == 0)
            return Observation.NoData($"{name} was 0 in the comparison window: no % change.") with { Link = link };
        else
            change = (v - p) / Math.Abs(p) * 100;
        var condition = d.Comparison == AlertComparison.Above ? change > d.Threshold : change < d.Threshold;
        var unit = d.ChangeUnit == ChangeUnit.Points ? " pts" : " %";
        return new Observation("", "", condition, v, p, $"{name} is {Format(v)} against {Format(p)} ({(change >= 0 ? "+" : "")}{change:0.#}{unit}).", link);
    }

    private static async Task<(List<string> Ids, string Label)> MetricAsync(KlaviyoDbContext db, AlertDefinition d, CancellationToken cancellationToken)
    {
        if (d.MetricId is { } id)
        {
            var metric = await db.Metrics.AsNoTracking().Where(m => m.Id == id).Select(m => m.Name).SingleOrDefaultAsync(cancellationToken);
            return metric is null ? ([], $"with the id '{id}'") : ([id], metric);
        }
        return (await db.MetricIdsNamedAsync(d.MetricName!, cancellationToken), d.MetricName!);
    }

    /// <summary>
    /// The window just ended (the last whole hours, or yesterday) against the same local window of up
    /// to 12 earlier weeks (DST-correct: the same wall-clock hours), or a decay's weekly totals.
    /// </summary>
    private Task<Observation> MetricAnomalyAsync(AlertDefinition d, CancellationToken cancellationToken) =>
        WithMetricAsync(d, (db, ids, label) => MetricAnomalyAsync(db, ids, label, d, cancellationToken), cancellationToken);

    private async Task<Observation> MetricAnomalyAsync(KlaviyoDbContext db, List<string> ids, string label, AlertDefinition d, CancellationToken cancellationToken)
    {
        var account = (await accounts.ReadAsync(false, cancellationToken)).Data;
        var windows = Windows(d, account.Zone);
        var sums = new List<double>();
        foreach (var w in windows)
        {
            var t = await WindowSums.TotalAsync(db, ids, w, cancellationToken);
            sums.Add(d.Measurement == Measurement.Count ? t.Count : t.Sum);
        }
        var judged = windows[^1];
        var link = $"/?from={Day(judged.Start, account.Zone)}&to={Day(judged.End.AddTicks(-1), account.Zone)}";
        return Read(d, "", "", label, sums, link);
    }

    /// <summary>Anomaly: the judged window and the same window in each of the 12 weeks before, oldest first. Decay: whole local weeks, oldest first.</summary>
    private List<DateRange> Windows(AlertDefinition d, DateTimeZone zone)
    {
        var now = Instant.FromDateTimeOffset(time.GetUtcNow()).InZone(zone).LocalDateTime;
        var windows = new List<DateRange>();
        if (d.Kind == AlertKind.Decay)
        {
            var today = now.Date.AtMidnight();
            for (var k = d.DecayWeeks - 1; k >= 0; k--)
                windows.Add(Range(zone, today.PlusDays(-7 * (k + 1)), today.PlusDays(-7 * k)));
            return windows;
        }
        var end = d.Granularity == AlertGranularity.Hour ? now.Date.At(new LocalTime(now.Hour, 0)) : now.Date.AtMidnight();
        var start = d.Granularity == AlertGranularity.Hour ? end.PlusHours(-d.WindowBuckets) : end.PlusDays(-d.WindowBuckets);
        for (var week = AnomalyDetector.MaximumWeeks; week >= 0; week--)
            windows.Add(Range(zone, start.PlusDays(-7 * week), end.PlusDays(-7 * week)));
        return windows;
    }

    private static DateRange Range(DateTimeZone zone, LocalDateTime from, LocalDateTime to) =>
        DateRange.Exact(zone.AtLeniently(from).ToDateTimeUtc(), zone.AtLeniently(to).ToDateTimeUtc());

    /// <summary>Weekly samples of one window judged by the detector (one bucket a "week" in this series).</summary>
    private static Observation Read(AlertDefinition d, string key, string subject, string label, IReadOnlyList<double> sums, string? link)
    {
        var judgement = d.Kind == AlertKind.Decay
            ? AnomalyDetector.Decay(sums, d.DecayWeeks, d.MinChangePercent, d.MinVolume)
            : AnomalyDetector.Judge(TrimLeadingEmpty(sums), 1, 1, d.Direction, d.Sensitivity, d.MinChangePercent, d.MinVolume);
        if (judgement is null)
            return Observation.NoData($"{label}: fewer than {AnomalyDetector.MinimumWeeks} weeks of history.", key, subject) with { Link = link };
        var change = judgement.ChangePercent is { } c ? $"{(c >= 0 ? "+" : "")}{c:0.#} %" : "n/a";
        var message = d.Kind == AlertKind.Decay
            ? $"{label}: {Format(judgement.Observed)} a week now, {Format(judgement.Expected)} {d.DecayWeeks} weeks ago ({change})."
            : $"{label}: {Format(judgement.Observed)} against {Format(judgement.Expected)} expected ({change}, {judgement.Score:0.#} deviations).";
        return new Observation(key, subject, judgement.Anomalous, judgement.Observed, judgement.Expected, message, link);
    }

    /// <summary>Weeks before the account had any activity are not history: a new account's zeros would look like a spike.</summary>
    private static List<double> TrimLeadingEmpty(IReadOnlyList<double> sums) => [.. sums.SkipWhile((v, i) => v == 0 && i < sums.Count - 1)];

    /// <summary>Each live flow's sends (Received Email and Received SMS) in the window, against its own weeks before.</summary>
    private async Task<IReadOnlyList<Observation>> FlowVolumeAsync(AlertDefinition d, CancellationToken cancellationToken)
    {
        if (await clock.LastUpdatedAsync([SyncEntity.Events, SyncEntity.Flows, SyncEntity.Metrics, SyncEntity.Account], cancellationToken) is null)
            return [Observation.NoData("Events and flows have not synced yet.")];
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var ids = await db.Metrics.Where(m => m.Name == MetricNames.ReceivedEmail || m.Name == "Received SMS").Select(m => m.Id).ToListAsync(cancellationToken);
        if (ids.Count == 0)
            return [Observation.NoData("The account has no Received Email or Received SMS metric.")];
        var flows = await db.Flows.AsNoTracking().Where(f => f.Status == "live" && !f.Archived).Select(f => new { f.Id, f.Name }).ToListAsync(cancellationToken);
        var account = (await accounts.ReadAsync(false, cancellationToken)).Data;
        var windows = Windows(d, account.Zone);
        var counts = new List<Dictionary<string, int>>();
        foreach (var w in windows)
        {
            counts.Add(await db.Events.Where(e => ids.Contains(e.MetricId) && e.FlowId != null && e.Datetime >= w.Start && e.Datetime < w.End)
                .GroupBy(e => e.FlowId!).Select(g => new { g.Key, Count = g.Count() })
                .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken));
        }
        return [.. flows.Select(f => Read(d, $"flow:{f.Id}", f.Name, $"Sends of {f.Name}", [.. counts.Select(c => (double)c.GetValueOrDefault(f.Id))], $"/?range=last_30_days#flows"))];
    }

    /// <summary>Each campaign sent in the window with enough deliveries: its bounce or spam-complaint rate against the limit.</summary>
    private async Task<IReadOnlyList<Observation>> CampaignRatesAsync(AlertDefinition d, CancellationToken cancellationToken)
    {
        if (await clock.LastUpdatedAsync([SyncEntity.Campaigns, SyncEntity.CampaignReports], cancellationToken) is null)
            return [Observation.NoData("Campaign reports have not synced yet.")];
        var (range, _) = await accounts.ResolveAsync(new RangeRequest(null, null, null, null, d.Window), CompareTo.None, cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // Bounces and complaints do not depend on the conversion metric: any report of the campaign has them.
        var rows = await db.CampaignStatistics
            .Join(db.Campaigns.Where(c => c.SendTime >= range.Current.Start && c.SendTime < range.Current.End), s => s.CampaignId, c => c.Id,
                (s, c) => new { c.Id, c.Name, s.ConversionMetricId, s.Values.Delivered, s.Values.Bounced, s.Values.SpamComplaints })
            .ToListAsync(cancellationToken);
        var spam = d.Subject == AlertSubject.CampaignSpamRate;
        var what = spam ? "spam-complaint rate" : "bounce rate";
        return [.. rows.GroupBy(r => r.Id).Select(g =>
        {
            // One report per conversion metric: the same counts, take one.
            var r = g.MaxBy(x => x.Delivered)!;
            var link = $"/?range={Slug(d.Window)}#campaigns";
            if (r.Delivered < Math.Max(1, d.MinVolume))
                return new Observation($"campaign:{r.Id}", r.Name, false, null, d.Threshold, $"{r.Name}: {r.Delivered} delivered, below the minimum volume.", link);
            var rate = (spam ? r.SpamComplaints : r.Bounced) * 100.0 / r.Delivered;
            var holds = d.Comparison == AlertComparison.Above ? rate > d.Threshold : rate < d.Threshold;
            return new Observation($"campaign:{r.Id}", r.Name, holds, rate, d.Threshold, $"{r.Name}: {what} {rate:0.###} % of {r.Delivered:N0} delivered (limit {d.Threshold:0.###} %).", link);
        })];
    }

    private async Task<IReadOnlyList<Observation>> DiagnoseAsync(AlertDefinition d, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var limit = d.Threshold;
        switch (d.Check!.Value)
        {
            case DiagnosticCheck.SyncFailing:
                {
                    var minutes = limit ?? 15;
                    return [.. errors.Current.Where(e => e.Entity is not null && e.Source != ApiErrorSource.Database).Select(e =>
                    new Observation($"entity:{e.Entity}", e.Entity.ToString()!, (now - e.Since).TotalMinutes >= minutes, (now - e.Since).TotalMinutes, minutes,
                        $"{e.Entity} has failed to sync since {e.Since:u} ({e.Code}: {e.Message})", "/#sync"))];
                }
            case DiagnosticCheck.DataStale:
                {
                    var minutes = limit ?? 60;
                    await using var db = await contexts.CreateDbContextAsync(cancellationToken);
                    var states = await db.SyncStates.AsNoTracking().Where(s => s.LastSuccessAt != null).ToListAsync(cancellationToken);
                    return [.. states.Select(s =>
                {
                    var age = (now - s.LastSuccessAt!.Value).TotalMinutes;
                    return new Observation($"entity:{s.Entity}", s.Entity.ToString(), age >= minutes, age, minutes,
                        $"{s.Entity} was last confirmed {age:0} minutes ago (limit {minutes:0}).", "/#sync");
                })];
                }
            case DiagnosticCheck.KeyRefused:
                {
                    var refused = errors.Current.FirstOrDefault(e => e.Code == ErrorCodes.KlaviyoAuth);
                    return [new Observation("", "", refused is not null, refused?.Occurrences, null,
                    refused is null ? "Klaviyo accepts the key." : $"Klaviyo refuses the private key since {refused.Since:u}: {refused.Message}", "/#diagnostics")];
                }
            case DiagnosticCheck.RateLimited:
                {
                    var times = limit ?? 5;
                    var limited = errors.Current.Where(e => e.Code == ErrorCodes.KlaviyoRateLimited).MaxBy(e => e.Occurrences);
                    return [new Observation("", "", limited is not null && limited.Occurrences >= times, limited?.Occurrences ?? 0, times,
                    limited is null ? "Klaviyo is not rate-limiting us." : $"Klaviyo rate-limited us {limited.Occurrences} times in a row since {limited.Since:u}.", "/#diagnostics")];
                }
            case DiagnosticCheck.ReportBudgetBurn:
                {
                    // Burn rate: the share of the day's budget spent ÷ the share of the day gone, over two windows
                    // (the day so far and the last hour, as SRE burn-rate alerts do): both above the limit (2: at this
                    // pace the budget is gone by midday), once a tenth is spent. The long window keeps one busy hour
                    // from alerting; the short one ends the alert as soon as the pace has calmed.
                    var burn = limit ?? 2;
                    var (spent, renewsAt) = await budget.TodayAsync(cancellationToken);
                    var elapsed = Math.Max(1.0 / 24, 1 - (renewsAt - now).TotalHours / 24);
                    var share = budget.DailyCalls == 0 ? 0 : (double)spent / budget.DailyCalls;
                    var rate = share / elapsed;
                    var recent = RecentBurn(now, spent, budget.DailyCalls);
                    var holds = rate >= burn && share >= 0.1 && (recent ?? rate) >= burn;
                    return [new Observation("", "", holds, rate, burn,
                        $"{spent} of {budget.DailyCalls} report calls spent with {elapsed:P0} of the day gone (burn rate {rate:0.##}; the last hour {(recent is { } r ? r.ToString("0.##", CultureInfo.InvariantCulture) : "not measured yet")}).", "/#diagnostics")];
                }
            case DiagnosticCheck.DatabaseUnreachable:
                // Evaluated on the database, so it answers: OutageWatch is the one that sees it fail.
                return [new Observation("", "", false, null, null, "The database answers (outages are watched by every instance and logged when it is back).", "/#diagnostics")];
            case DiagnosticCheck.WebhooksRefused:
                {
                    var total = webhooks.Refused.Values.Sum();
                    var previous = Interlocked.Exchange(ref _webhookRefusalsSeen, total);
                    var fresh = previous < 0 ? 0 : total - previous;
                    return [new Observation("", "", fresh >= (limit ?? 1), fresh, limit ?? 1,
                    fresh == 0 ? "No webhook delivery refused since the last check." : $"{fresh} webhook deliveries refused since the last check ({string.Join(", ", webhooks.Refused.Select(r => $"{r.Key}: {r.Value}"))}).", "/#diagnostics")];
                }
            default:
                {
                    await using var db = await contexts.CreateDbContextAsync(cancellationToken);
                    var disabled = await db.ContactPoints.AsNoTracking().Where(c => !c.Enabled && c.DisabledReason != null).Select(c => new { c.Id, c.Name, c.DisabledReason }).ToListAsync(cancellationToken);
                    var failing = await db.Notifications.Where(n => n.SentAt == null && n.AbandonedAt == null && n.Attempts >= (limit ?? 5))
                        .GroupBy(n => n.ContactPointId).Select(g => new { Id = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
                    var names = await db.ContactPoints.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.Name, cancellationToken);
                    return [
                        .. disabled.Select(c => new Observation($"contact:{c.Id}", c.Name, true, null, null, $"{c.Name} was disabled: {c.DisabledReason}", "/alerts")),
                    .. failing.Where(f => disabled.All(c => c.Id != f.Id)).Select(f => new Observation($"contact:{f.Id}", names.GetValueOrDefault(f.Id, "?"), true, f.Count, null,
                        $"{f.Count} notifications to {names.GetValueOrDefault(f.Id, "?")} keep failing.", "/alerts")),
                ];
                }
        }
    }

    private static string Day(DateTime utc, DateTimeZone zone) => Instant.FromDateTimeUtc(utc).InZone(zone).Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

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

    private static string Slug<T>(T value) where T : struct, Enum => string.Concat(value.ToString().Select((c, i) => i > 0 && (char.IsUpper(c) || char.IsDigit(c) && !char.IsDigit(value.ToString()[i - 1])) ? "_" + c : c.ToString())).ToLowerInvariant();

    private static string Words(string name) => string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : c.ToString()));

    public static string Format(double value) => Math.Abs(value) >= 100 ? value.ToString("N0", CultureInfo.InvariantCulture) : value.ToString("0.##", CultureInfo.InvariantCulture);
}
