using System.Globalization;
using System.Text.Json;
using GraphQL;
using GraphQL.Types;
using Klaviyo.Core.Accounts;
using Klaviyo.Core.Alerts;
using Klaviyo.Core.Alerts.Delivery;
using Klaviyo.Core.Data;
using Klaviyo.Core.Digests;
using Klaviyo.Core.Exports;
using Klaviyo.Core.Security;
using Klaviyo.GraphQL.Exports;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Klaviyo.GraphQL.Digests;

/// <summary>
/// A digest as people and machines receive it: the KPI cards with their comparison, the revenue
/// chart (PNG, inline), the top campaigns and flows, what fires now, a link to the same view, and
/// the overview's CSV attached. The numbers come from the API itself — the same query the dashboard
/// and the CSV export run, as a Viewer — so a digest never disagrees with the dashboard.
/// </summary>
public sealed class DigestRenderer(
    IServiceScopeFactory scopes,
    AccountReader accounts,
    IDbContextFactory<KlaviyoDbContext> contexts,
    AlertMessages links) : IDigestRenderer
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;
    private static readonly System.Security.Claims.ClaimsPrincipal Reader = KlaviyoClaims.Principal("digest", Roles.Viewer, "system", "Digest");

    private static readonly (string Field, string Label, string Kind)[] Kpis =
    [
        ("totalRevenue", "Revenue", "money"), ("orders", "Orders", "count"), ("activeSubscribers", "Active subscribers", "count"),
        ("formSubmissions", "Form submissions", "count"), ("openRate", "Open rate", "rate"), ("clickRate", "Click rate", "rate"),
        ("conversionRate", "Conversion rate", "rate"), ("revenuePerRecipient", "Revenue per recipient", "cents"),
    ];

    private const string Query = $$"""
        query Digest($range: DateRangeInput!, $sentFrom: DateTime!, $sentTo: DateTime!) {
          overview(range: $range, compareTo: PREVIOUS_PERIOD) {
            {{OverviewCsv.Fields}}
            previousRevenueSeries { start total }
          }
          campaigns(first: 5, where: { sendTime: { gte: $sentFrom, lt: $sentTo } }, order: [{ revenue: DESC }]) {
            nodes { name channel sendTime recipients openRate clickRate revenue } statisticsNote
          }
          flows(first: 5, where: { archived: { eq: false } }, order: [{ revenue: DESC }]) {
            nodes { name status recipients openRate clickRate revenue } statisticsNote
          }
        }
        {{OverviewCsv.KpiFragment}}
        """;

    /// <inheritdoc/>
    public async Task<OutgoingMessage> RenderAsync(Digest digest, DateTime dueUtc, Guid id, CancellationToken cancellationToken)
    {
        var account = (await accounts.ReadAsync(forceFresh: false, cancellationToken)).Data;
        if (!account.Synced)
            throw new DigestNotReadyException("The account has not synced yet: the digest waits for its calendar and numbers.");
        var zone = account.Zone;
        var frequency = Enum.Parse<DigestFrequency>(digest.Frequency);
        var (from, to) = DigestSchedule.Window(frequency, dueUtc, zone);
        var data = await QueryAsync(from, to, zone, cancellationToken);
        var overview = data.GetProperty("overview");
        var currency = overview.GetProperty("currency").GetString() ?? account.Currency;
        var period = from == to ? from.ToString("dddd d MMMM uuuu", Culture) : $"{from.ToString("d MMM", Culture)} – {to.ToString("d MMM uuuu", Culture)}";
        var content = new DigestContent(
            digest, $"{digest.Name}: {period}", period, from, to, zone, currency,
            links.Url($"/?from={from.ToString("uuuu-MM-dd", Culture)}&to={to.ToString("uuuu-MM-dd", Culture)}&compare=previous_period"),
            links.Url("/alerts"),
            overview,
            [.. Kpis.Select(k => (k.Label, Kpi: overview.GetProperty(k.Field), k.Kind))],
            [.. data.GetProperty("campaigns").GetProperty("nodes").EnumerateArray()],
            [.. data.GetProperty("flows").GetProperty("nodes").EnumerateArray()],
            await FiringAsync(cancellationToken));

        return new OutgoingMessage(id, content.Subject, content.Text(), content.Html(ChartId), content.Json(id), content.Slack())
        {
            Inline = [new Attachment("revenue.png", "image/png", Chart(overview, zone, currency), ChartId)],
            Attachments = [new Attachment($"overview-{from.ToString("uuuu-MM-dd", Culture)}-{to.ToString("uuuu-MM-dd", Culture)}.csv", "text/csv", await CsvAsync(overview))],
            ManageUrl = content.ManageUrl,
        };
    }

    public const string ChartId = "revenue-chart@klaviyo-analytics";

    private async Task<JsonElement> QueryAsync(LocalDate from, LocalDate to, DateTimeZone zone, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var executer = scope.ServiceProvider.GetRequiredService<IDocumentExecuter<ISchema>>();
        var variables = new Inputs(new Dictionary<string, object?>
        {
            ["range"] = new Dictionary<string, object?> { ["from"] = from.ToString("uuuu-MM-dd", Culture), ["to"] = to.ToString("uuuu-MM-dd", Culture) },
            ["sentFrom"] = from.AtStartOfDayInZone(zone).ToInstant().ToDateTimeUtc().ToString("O", Culture),
            ["sentTo"] = to.PlusDays(1).AtStartOfDayInZone(zone).ToInstant().ToDateTimeUtc().ToString("O", Culture),
        });
        return await ExportQuery.RunAsync(scope.ServiceProvider, executer, Reader, Query, variables, cancellationToken);
    }

    private async Task<List<(string Rule, string Subject, string Message)>> FiringAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.AlertInstances.AsNoTracking().Where(i => i.State == nameof(AlertState.Firing))
            .Join(db.AlertRules, i => i.RuleId, r => r.Id, (i, r) => new { r.Name, i.Subject, i.Message, i.StateSince })
            .ToListAsync(cancellationToken);
        return [.. rows.OrderByDescending(r => r.StateSince).Take(20).Select(r => (r.Name, r.Subject, r.Message ?? ""))];
    }

    private static byte[] Chart(JsonElement overview, DateTimeZone zone, string currency)
    {
        DateTime Local(JsonElement instant) => Instant.FromDateTimeUtc(instant.GetDateTime().ToUniversalTime()).InZone(zone).LocalDateTime.ToDateTimeUnspecified();
        var current = overview.GetProperty("revenueSeries").EnumerateArray()
            .Select(p => new RevenueChart.Point(Local(p.GetProperty("start")), p.GetProperty("total").GetDouble())).ToList();
        var previous = overview.GetProperty("previousRevenueSeries") is { ValueKind: JsonValueKind.Array } series
            ? series.EnumerateArray().Select(p => p.GetProperty("total").GetDouble()).ToList()
            : null;
        return RevenueChart.Png(current, previous, currency, $"Revenue per {DigestContent.Str(overview, "seriesInterval").ToLowerInvariant()}");
    }

    private static async Task<byte[]> CsvAsync(JsonElement overview)
    {
        using var stream = new MemoryStream();
        await using (var csv = new CsvExport(stream))
            OverviewCsv.Write(csv, overview);
        return stream.ToArray();
    }
}
