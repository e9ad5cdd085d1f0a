using Klaviyo.Core.Accounts;
using Klaviyo.Core.Alerts;
using Klaviyo.Core.Data;
using Klaviyo.Core.Errors;
using Klaviyo.Core.Freshness;
using Klaviyo.Core.Overview;
using Klaviyo.Core.Sync;
using Klaviyo.Core.TimeRanges;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Klaviyo.Core.Portfolio;

/// <summary>
/// The portfolio: each account's row is read through that account's own services (its figures, read
/// by the overview's rules, sync clock, error board and alerts), so every number is the one its dashboard shows, in its own
/// calendar and currency. Accounts are read in parallel; one that fails to answer is a row with its
/// problem, never a failed portfolio.
/// </summary>
public sealed class PortfolioReader(IServiceProvider deployment, ConnectedAccounts accounts, AccountShells shells, IOptionsMonitor<PortfolioOptions> options)
{
    /// <summary>The accounts <paramref name="visible"/> lets through (those the caller may see), each in a row; <paramref name="forceFresh"/> (Cache-Control: no-cache) reads each from its database.</summary>
    public async Task<PortfolioResult> ReadAsync(RangeRequest range, CompareTo compare, Func<string, bool> visible, bool forceFresh, CancellationToken cancellationToken)
    {
        var connected = (await accounts.ListAsync(cancellationToken)).Where(a => visible(a.Id));
        // SQLite answers synchronously underneath its async methods: awaited together, the rows would be
        // read one after another on the calling thread. One reader per core, no more (more would block
        // the thread pool that serves requests and syncs).
        var list = connected.ToList();
        var rows = new PortfolioRow[list.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, list.Count), new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken },
            async (i, token) => rows[i] = await RowAsync(list[i], range, compare, forceFresh, token));
        var totals = rows.Where(r => r.Info.Synced)
            .GroupBy(r => r.Info.Currency, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new CurrencyTotal(g.Key, g.Count(), Sum(g.Select(r => r.Revenue)), Sum(g.Select(r => r.Orders))))
            .ToList();
        return new PortfolioResult(rows, totals, Convert(rows, options.CurrentValue));
    }

    private async Task<PortfolioRow> RowAsync(ConnectedAccount account, RangeRequest range, CompareTo compare, bool forceFresh, CancellationToken cancellationToken)
    {
        if (shells.ServicesOf(account.Id, deployment) is not { } services)
            return Unread(account, AccountHealth.NotRunning, "Its store could not be opened yet; it is retried.");
        var errors = services.GetRequiredService<ApiErrorBoard>().Current;
        try
        {
            var figures = await services.GetRequiredService<PortfolioFigures>().ReadAsync(range, compare, forceFresh, cancellationToken);
            var clock = services.GetRequiredService<SyncClock>();
            var eventsAt = await clock.LastUpdatedAsync(OverviewReader.EventReads, cancellationToken);
            var reportsAt = await clock.LastUpdatedAsync(OverviewReader.ReportReads, cancellationToken);
            var data = figures.Data;
            var (health, problem) = await HealthAsync(account, services, errors, cancellationToken);
            return new PortfolioRow(account, data.Info, data.Range,
                Known(data.Revenue, eventsAt, compare), Known(data.Orders, eventsAt, compare), Known(data.ConversionRate, reportsAt, compare),
                figures.LastUpdated, figures.DataSource, health, problem, await FiringAsync(services, cancellationToken));
        }
        // A range the account's calendar refuses (it starts after today there) is the request's error, not the account's problem.
        catch (Exception e) when (e is not OperationCanceledException and not InvalidInputError)
        {
            var classified = ErrorClassifier.Classify(e);
            return Unread(account, AccountHealth.Failing, classified.Message) with { Info = await KnownInfoAsync(services, cancellationToken) };
        }
    }

    /// <summary>A row whose numbers failed still names its account when the account's copy can be had (from the cache, or its fail-safe).</summary>
    private static async Task<AccountInfo> KnownInfoAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        try
        {
            return (await services.GetRequiredService<AccountReader>().ReadAsync(false, cancellationToken)).Data;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return AccountInfo.Unsynced;
        }
    }

    private static PortfolioRow Unread(ConnectedAccount account, AccountHealth health, string problem) =>
        new(account, AccountInfo.Unsynced, null, Kpi.Unknown, Kpi.Unknown, Kpi.Unknown, null, DataSource.Fallback, health, problem, 0);

    /// <summary>A KPI is known once what it reads has synced (the same rule as the overview's cards).</summary>
    private static Kpi Known(Kpi kpi, DateTime? at, CompareTo compare) =>
        at is null ? Kpi.Unknown : kpi with { LastUpdated = at, PreviousLastUpdated = compare == CompareTo.None ? null : at };

    /// <summary>
    /// Worst first. Late and first sync are read from the sync clock (each entity's last confirmation,
    /// in memory and moved by every sync), not from the stored states: a row costs no statement for it.
    /// </summary>
    private static async Task<(AccountHealth, string?)> HealthAsync(ConnectedAccount account, IServiceProvider services, IReadOnlyList<CurrentError> errors, CancellationToken cancellationToken)
    {
        if (errors.FirstOrDefault(e => e.Code == ErrorCodes.KlaviyoAuth) is { } refused)
            return (AccountHealth.AccessRevoked, $"Klaviyo refuses this account's key since {refused.Since:u}: access was revoked or the key lost its read scopes. An Admin can give it a new key.");
        if (errors.FirstOrDefault() is { } failing)
            return (AccountHealth.Failing, failing.Message);
        if (account.Paused)
            return (AccountHealth.Paused, "Paused: not synced; its data is served as it was.");
        var confirmed = await services.GetRequiredService<SyncClock>().ConfirmationsAsync(cancellationToken);
        var schedule = services.GetRequiredService<IOptions<SyncOptions>>().Value;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var entities = Enum.GetValues<SyncEntity>();
        foreach (var entity in entities)
        {
            if (confirmed.TryGetValue(entity, out var at) && EntitySyncStatus.IsLate(at, schedule.IntervalOf(entity), now))
                return (AccountHealth.Late, $"{entity} was last confirmed at {at:u}, later than its schedule.");
        }
        if (entities.Any(e => !confirmed.ContainsKey(e)))
            return (AccountHealth.FirstSync, "Its first sync is under way.");
        return (AccountHealth.Healthy, null);
    }

    private static async Task<int> FiringAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<KlaviyoDbContext>>().CreateDbContextAsync(cancellationToken);
        return await db.AlertInstances.CountAsync(i => i.State == nameof(AlertState.Firing), cancellationToken);
    }

    private static Kpi Sum(IEnumerable<Kpi> kpis)
    {
        var list = kpis.ToList();
        double? Total(Func<Kpi, double?> part) => list.All(k => part(k) is not null) ? list.Sum(k => part(k)!.Value) : null;
        return new Kpi(Total(k => k.Value), Total(k => k.PreviousValue)) { LastUpdated = list.All(k => k.LastUpdated is not null) ? list.Min(k => k.LastUpdated) : null };
    }

    /// <summary>One total only when every currency has a configured rate (or is the reporting currency itself).</summary>
    private static ConvertedTotal? Convert(IReadOnlyList<PortfolioRow> rows, PortfolioOptions settings)
    {
        if (settings.ReportingCurrency is not { Length: > 0 } target)
            return null;
        var synced = rows.Where(r => r.Info.Synced).ToList();
        decimal RateOf(string currency) => string.Equals(currency, target, StringComparison.OrdinalIgnoreCase) ? 1m : settings.ExchangeRates.GetValueOrDefault(currency);
        if (synced.Count == 0 || synced.Any(r => RateOf(r.Info.Currency) <= 0))
            return null;
        var converted = synced.Select(r => r.Revenue with
        {
            Value = r.Revenue.Value * (double)RateOf(r.Info.Currency),
            PreviousValue = r.Revenue.PreviousValue * (double)RateOf(r.Info.Currency),
        });
        var used = synced.Select(r => r.Info.Currency).Where(c => !string.Equals(c, target, StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).Select(c => new ExchangeRate(c, RateOf(c))).ToList();
        return new ConvertedTotal(target.ToUpperInvariant(), Sum(converted), used);
    }
}
