using System.Globalization;
using Klaviyo.Core.Accounts;
using Klaviyo.Core.Data;
using Klaviyo.Core.Errors;
using Klaviyo.Core.Freshness;
using Klaviyo.Core.Metrics;
using Klaviyo.Core.Overview;
using Klaviyo.Core.TimeRanges;
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
    DiagnosticSampler diagnostics,
    TimeProvider time)
{

    public async Task<IReadOnlyList<Observation>> SampleAsync(AlertDefinition definition, CancellationToken cancellationToken) => definition.Kind switch
    {
        AlertKind.Diagnostic => await diagnostics.SampleAsync(definition, cancellationToken),
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
        var totals = await WindowTotals.SumAsync(db, ids, range.Previous is null ? [range.Current] : [range.Current, range.Previous], cancellationToken);
        var (current, previous) = (totals[0], range.Previous is null ? (WindowTotal?)null : totals[1]);
        double Pick(WindowTotal t) => d.Measurement == Measurement.Count ? t.Count : t.Sum;
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
        var sums = (await WindowTotals.SumAsync(db, ids, windows, cancellationToken))
            .Select(t => d.Measurement == Measurement.Count ? (double)t.Count : t.Sum).ToList();
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

    private static string Day(DateTime utc, DateTimeZone zone) => Instant.FromDateTimeUtc(utc).InZone(zone).Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Slug<T>(T value) where T : struct, Enum => string.Concat(value.ToString().Select((c, i) => i > 0 && (char.IsUpper(c) || char.IsDigit(c) && !char.IsDigit(value.ToString()[i - 1])) ? "_" + c : c.ToString())).ToLowerInvariant();

    private static string Words(string name) => string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : c.ToString()));

    public static string Format(double value) => Math.Abs(value) >= 100 ? value.ToString("N0", CultureInfo.InvariantCulture) : value.ToString("0.##", CultureInfo.InvariantCulture);
}
