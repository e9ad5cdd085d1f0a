using System.Text.Json;
using Klaviyo.Api;
using Klaviyo.Core.Channels;
using Klaviyo.Core.Data;
using Klaviyo.Core.Reports;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Klaviyo.Core.Sync.Entities;

/// <summary>
/// Campaign, flow and form statistics from the Reporting API — what Klaviyo's UI shows — over the
/// last 365 whole days in the account's time zone (through today), so every run re-reads the days
/// whose attribution Klaviyo may still revise. Campaign and flow reports are fetched once per
/// conversion metric of the <see cref="ReportPlan"/> and kept per send channel. Every page of an
/// answer is followed (each page is a call against the daily budget).
/// </summary>
public sealed class ReportsSyncer(SyncEntity entity, ReportPlan plan) : IEntitySyncer
{
    private static readonly string[] MessageStatisticNames =
        ["recipients", "delivered", "opens", "opens_unique", "clicks", "clicks_unique", "conversions", "conversion_uniques", "conversion_value", "bounced", "unsubscribes", "spam_complaints"];

    private static readonly string[] FormStatisticNames = ["viewed_form", "viewed_form_uniques", "submits", "submit_rate"];

    public SyncEntity Entity { get; } = entity;

    public async Task SyncAsync(SyncContext context, CancellationToken cancellationToken)
    {
        // Custom timeframes are read in the company's time zone (the offset is ignored): send local midnights.
        DateTimeZone zone;
        IReadOnlyList<Metric> metrics = [];
        await using (var lookup = await context.OpenAsync(cancellationToken))
        {
            zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(await lookup.Accounts.OrderBy(a => a.Id).Select(a => a.Timezone).FirstOrDefaultAsync(cancellationToken) ?? "UTC") ?? DateTimeZone.Utc;
            if (Entity != SyncEntity.FormReports)
            {
                metrics = await plan.MetricsAsync(lookup, cancellationToken);
                if (metrics.Count == 0)
                    throw new InvalidOperationException("No 'Placed Order' metric is synced yet; reports need a conversion metric.");
            }
        }
        var tomorrow = Instant.FromDateTimeUtc(context.Now).InZone(zone).Date.PlusDays(1);
        var first = tomorrow.PlusDays(-365);
        var (start, end) = (zone.AtStartOfDay(first), zone.AtStartOfDay(tomorrow));
        // RFC 3339 with the zone's offset, as the spec's date-time requires; Klaviyo reads the clock time in the company's zone.
        var timeframe = new { start = Rfc3339.Format(start.ToDateTimeOffset()), end = Rfc3339.Format(end.ToDateTimeOffset()) };
        var window = (Start: start.ToDateTimeUtc(), End: end.ToDateTimeUtc());

        if (Entity == SyncEntity.FormReports)
        {
            var (results, pages) = await FetchAsync(context, "api/form-values-reports", "form-values-report", new { statistics = FormStatisticNames, timeframe }, cancellationToken);
            plan.Observe(Entity, pages);
            await StoreFormsAsync(context, results, window, cancellationToken);
            return;
        }
        var (path, type) = Entity == SyncEntity.CampaignReports
            ? ("api/campaign-values-reports", "campaign-values-report")
            : ("api/flow-values-reports", "flow-values-report");
        var mostPages = 1;
        foreach (var metric in metrics)
        {
            var attributes = new { statistics = MessageStatisticNames, timeframe, conversion_metric_id = metric.Id };
            var (results, pages) = await FetchAsync(context, path, type, attributes, cancellationToken);
            mostPages = Math.Max(mostPages, pages);
            // Each metric's rows are committed on their own: a later metric failing keeps the earlier ones.
            if (Entity == SyncEntity.CampaignReports)
                await StoreAsync(context, db => db.CampaignStatistics, db => db.Campaigns.Select(c => c.Id), "campaign_id", metric.Id, results, window,
                    (id, channel, values) => new CampaignStatistics { CampaignId = id, ConversionMetricId = metric.Id, Channel = channel, Values = values }, cancellationToken);
            else
                await StoreAsync(context, db => db.FlowStatistics, db => db.Flows.Select(f => f.Id), "flow_id", metric.Id, results, window,
                    (id, channel, values) => new FlowStatistics { FlowId = id, ConversionMetricId = metric.Id, Channel = channel, Values = values }, cancellationToken);
        }
        plan.Observe(Entity, mostPages);
    }

    private static async Task<(List<JsonElement> Results, int Pages)> FetchAsync(SyncContext context, string path, string type, object attributes, CancellationToken cancellationToken)
    {
        var results = new List<JsonElement>();
        var pages = 0;
        for (string? page = path; page is not null; pages++)
        {
            using var report = await context.Client.PostReportAsync(page, new { data = new { type, attributes } }, cancellationToken);
            results.AddRange(report.RootElement.GetProperty("data").GetProperty("attributes").GetProperty("results").EnumerateArray().Select(r => r.Clone()));
            page = report.RootElement.TryGetProperty("links", out var links) && links.TryGetProperty("next", out var next) && next.ValueKind == JsonValueKind.String
                ? next.GetString() : null;
        }
        return (results, pages);
    }

    /// <summary>
    /// Makes the stored rows of one metric equal the report: rows updated in place (unchanged values
    /// write nothing), new ones added, ones the report no longer has removed.
    /// </summary>
    private static async Task StoreAsync<T>(SyncContext context, Func<KlaviyoDbContext, DbSet<T>> set, Func<KlaviyoDbContext, IQueryable<string>> owners,
        string groupKey, string metricId, List<JsonElement> results, (DateTime Start, DateTime End) window,
        Func<string, string, MessageStatistics, T> create, CancellationToken cancellationToken)
        where T : class, IReportStatistics
    {
        await using var db = await context.OpenAsync(cancellationToken);
        var known = await owners(db).ToHashSetAsync(cancellationToken);
        var incoming = Sum(results, groupKey).Where(s => known.Contains(s.Key.Id)).ToDictionary();
        var stored = await set(db).Where(s => s.ConversionMetricId == metricId).ToListAsync(cancellationToken);
        var fetched = context.Now;
        foreach (var row in stored)
        {
            if (!incoming.Remove((row.OwnerId, row.Channel), out var values))
            {
                set(db).Remove(row);
                continue;
            }
            (row.Values, row.WindowStart, row.WindowEnd, row.FetchedAt) = (values, window.Start, window.End, fetched);
        }
        foreach (var ((id, channel), values) in incoming)
        {
            var row = create(id, channel, values);
            (row.WindowStart, row.WindowEnd, row.FetchedAt) = (window.Start, window.End, fetched);
            set(db).Add(row);
        }
        await context.CommitPageAsync(db, null, results.Count, cancellationToken);
    }

    private static async Task StoreFormsAsync(SyncContext context, List<JsonElement> results, (DateTime Start, DateTime End) window, CancellationToken cancellationToken)
    {
        await using var db = await context.OpenAsync(cancellationToken);
        var fetched = context.Now;
        var forms = await db.Forms.Select(f => f.Id).ToHashSetAsync(cancellationToken);
        var formStats = results.Select(r => (Id: r.String("groupings", "form_id"), S: r.GetProperty("statistics")))
            .Where(r => r.Id is not null && forms.Contains(r.Id))
            .Select(r => new FormStatistics
            {
                FormId = r.Id!,
                Views = (int)r.S.Number("viewed_form"),
                ViewsUnique = (int)r.S.Number("viewed_form_uniques"),
                Submits = (int)r.S.Number("submits"),
                SubmitsUnique = (int)r.S.Number("submits"),
                WindowStart = window.Start,
                WindowEnd = window.End,
                FetchedAt = fetched,
            }).ToList();
        await Upsert.ManyAsync(db.FormStatistics, formStats, s => s.FormId, ids => db.FormStatistics.Where(s => ids.Contains(s.FormId)),
            (from, to) => (to.Views, to.ViewsUnique, to.Submits, to.SubmitsUnique, to.WindowStart, to.WindowEnd, to.FetchedAt) = (from.Views, from.ViewsUnique, from.Submits, from.SubmitsUnique, from.WindowStart, from.WindowEnd, from.FetchedAt), cancellationToken);
        await context.CommitPageAsync(db, null, results.Count, cancellationToken);
    }

    /// <summary>Adds up a campaign's or flow's rows (one per message and channel) into one set of counters per channel.</summary>
    private static Dictionary<(string Id, string Channel), MessageStatistics> Sum(IEnumerable<JsonElement> results, string groupKey)
    {
        var sums = new Dictionary<(string Id, string Channel), MessageStatistics>();
        foreach (var result in results)
        {
            if (result.String("groupings", groupKey) is not { } owner)
                continue;
            var id = (owner, ChannelNames.Normalize(result.String("groupings", "send_channel")));
            var s = result.GetProperty("statistics");
            var current = sums.GetValueOrDefault(id) ?? new MessageStatistics();
            sums[id] = current with
            {
                Recipients = current.Recipients + (int)s.Number("recipients"),
                Delivered = current.Delivered + (int)s.Number("delivered"),
                Opens = current.Opens + (int)s.Number("opens"),
                OpensUnique = current.OpensUnique + (int)s.Number("opens_unique"),
                Clicks = current.Clicks + (int)s.Number("clicks"),
                ClicksUnique = current.ClicksUnique + (int)s.Number("clicks_unique"),
                Conversions = current.Conversions + (int)s.Number("conversions"),
                ConversionUniques = current.ConversionUniques + (int)s.Number("conversion_uniques"),
                ConversionValue = current.ConversionValue + s.Number("conversion_value"),
                Bounced = current.Bounced + (int)s.Number("bounced"),
                Unsubscribes = current.Unsubscribes + (int)s.Number("unsubscribes"),
                SpamComplaints = current.SpamComplaints + (int)s.Number("spam_complaints"),
            };
        }
        return sums;
    }
}
