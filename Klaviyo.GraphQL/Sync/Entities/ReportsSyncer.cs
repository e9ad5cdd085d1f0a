using System.Text.Json;
using Klaviyo.GraphQL.Data;
using Klaviyo.GraphQL.Metrics;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Klaviyo.GraphQL.Sync.Entities;

/// <summary>
/// Campaign, flow and form statistics from the Reporting API — what Klaviyo's UI shows — over the
/// last 365 whole days in the account's time zone (through today), so every run re-reads the days
/// whose attribution Klaviyo may still revise. Every page of the answer is followed (each page is
/// a call against the daily budget).
/// </summary>
public sealed class ReportsSyncer(SyncEntity entity) : IEntitySyncer
{
    private static readonly string[] MessageStatisticNames =
        ["recipients", "delivered", "opens", "opens_unique", "clicks", "clicks_unique", "conversions", "conversion_uniques", "conversion_value", "bounced", "unsubscribes", "spam_complaints"];

    private static readonly string[] FormStatisticNames = ["viewed_form", "viewed_form_uniques", "submits", "submit_rate"];

    public SyncEntity Entity { get; } = entity;

    public async Task SyncAsync(SyncContext context, CancellationToken cancellationToken)
    {
        // Custom timeframes are read in the company's time zone (any offset is ignored): send local midnights.
        DateTimeZone zone;
        await using (var account = await context.OpenAsync(cancellationToken))
            zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(await account.Accounts.OrderBy(a => a.Id).Select(a => a.Timezone).FirstOrDefaultAsync(cancellationToken) ?? "UTC") ?? DateTimeZone.Utc;
        var tomorrow = Instant.FromDateTimeUtc(context.Now).InZone(zone).Date.PlusDays(1);
        var first = tomorrow.PlusDays(-365);
        var timeframe = new { start = first.ToString("yyyy-MM-dd'T'00:00:00", null), end = tomorrow.ToString("yyyy-MM-dd'T'00:00:00", null) };
        var (start, end) = (zone.AtStartOfDay(first).ToDateTimeUtc(), zone.AtStartOfDay(tomorrow).ToDateTimeUtc());
        string? conversionMetric = null;
        if (Entity != SyncEntity.FormReports)
        {
            await using var lookup = await context.OpenAsync(cancellationToken);
            conversionMetric = await lookup.Metrics.Where(m => m.Name == MetricNames.PlacedOrder).OrderBy(m => m.Id).Select(m => m.Id).FirstOrDefaultAsync(cancellationToken)
                ?? throw new InvalidOperationException("No 'Placed Order' metric is synced yet; reports need it as their conversion metric.");
        }

        var (path, type) = Entity switch
        {
            SyncEntity.CampaignReports => ("api/campaign-values-reports", "campaign-values-report"),
            SyncEntity.FlowReports => ("api/flow-values-reports", "flow-values-report"),
            _ => ("api/form-values-reports", "form-values-report"),
        };
        object attributes = Entity == SyncEntity.FormReports
            ? new { statistics = FormStatisticNames, timeframe }
            : new { statistics = MessageStatisticNames, timeframe, conversion_metric_id = conversionMetric };
        var results = new List<JsonElement>();
        for (string? page = path; page is not null;)
        {
            using var report = await context.Client.PostReportAsync(page, new { data = new { type, attributes } }, cancellationToken);
            results.AddRange(report.RootElement.GetProperty("data").GetProperty("attributes").GetProperty("results").EnumerateArray().Select(r => r.Clone()));
            page = report.RootElement.TryGetProperty("links", out var links) && links.TryGetProperty("next", out var next) && next.ValueKind == JsonValueKind.String
                ? next.GetString() : null;
        }

        await using var db = await context.OpenAsync(cancellationToken);
        var fetched = context.Now;
        switch (Entity)
        {
            case SyncEntity.CampaignReports:
                var campaigns = await db.Campaigns.Select(c => c.Id).ToHashSetAsync(cancellationToken);
                var campaignStats = Sum(results, "campaign_id").Where(s => campaigns.Contains(s.Key))
                    .Select(s => new CampaignStatistics { CampaignId = s.Key, Values = s.Value, WindowStart = start, WindowEnd = end, FetchedAt = fetched }).ToList();
                await Upsert.ManyAsync(db.CampaignStatistics, campaignStats, s => s.CampaignId, ids => db.CampaignStatistics.Where(s => ids.Contains(s.CampaignId)),
                    (from, to) => (to.Values, to.WindowStart, to.WindowEnd, to.FetchedAt) = (from.Values, from.WindowStart, from.WindowEnd, from.FetchedAt), cancellationToken);
                break;
            case SyncEntity.FlowReports:
                var flows = await db.Flows.Select(f => f.Id).ToHashSetAsync(cancellationToken);
                var flowStats = Sum(results, "flow_id").Where(s => flows.Contains(s.Key))
                    .Select(s => new FlowStatistics { FlowId = s.Key, Values = s.Value, WindowStart = start, WindowEnd = end, FetchedAt = fetched }).ToList();
                await Upsert.ManyAsync(db.FlowStatistics, flowStats, s => s.FlowId, ids => db.FlowStatistics.Where(s => ids.Contains(s.FlowId)),
                    (from, to) => (to.Values, to.WindowStart, to.WindowEnd, to.FetchedAt) = (from.Values, from.WindowStart, from.WindowEnd, from.FetchedAt), cancellationToken);
                break;
            default:
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
                        WindowStart = start,
                        WindowEnd = end,
                        FetchedAt = fetched,
                    }).ToList();
                await Upsert.ManyAsync(db.FormStatistics, formStats, s => s.FormId, ids => db.FormStatistics.Where(s => ids.Contains(s.FormId)),
                    (from, to) => (to.Views, to.ViewsUnique, to.Submits, to.SubmitsUnique, to.WindowStart, to.WindowEnd, to.FetchedAt) = (from.Views, from.ViewsUnique, from.Submits, from.SubmitsUnique, from.WindowStart, from.WindowEnd, from.FetchedAt), cancellationToken);
                break;
        }
        await context.CommitPageAsync(db, null, results.Count, cancellationToken);
    }

    /// <summary>Adds up a campaign's or flow's rows (one per message and channel) into one set of counters.</summary>
    private static Dictionary<string, MessageStatistics> Sum(IEnumerable<JsonElement> results, string groupKey)
    {
        var sums = new Dictionary<string, MessageStatistics>();
        foreach (var result in results)
        {
            if (result.String("groupings", groupKey) is not { } id)
                continue;
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
