using System.Globalization;
using System.Net;
using System.Text;
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
        var firing = await FiringAsync(cancellationToken);

        var period = from == to ? from.ToString("dddd d MMMM uuuu", Culture) : $"{from.ToString("d MMM", Culture)} – {to.ToString("d MMM uuuu", Culture)}";
        var subject = $"{digest.Name}: {period}";
        var url = links.Url($"/?from={from.ToString("uuuu-MM-dd", Culture)}&to={to.ToString("uuuu-MM-dd", Culture)}&compare=previous_period");
        var kpis = Kpis.Select(k => (k.Label, Kpi: overview.GetProperty(k.Field), k.Kind)).ToList();
        var campaigns = data.GetProperty("campaigns").GetProperty("nodes").EnumerateArray().ToList();
        var flows = data.GetProperty("flows").GetProperty("nodes").EnumerateArray().ToList();

        var chart = Chart(overview, zone, currency);
        var csv = await CsvAsync(overview);

        var text = new StringBuilder();
        text.AppendLine(subject).AppendLine();
        foreach (var (label, kpi, kind) in kpis)
            text.AppendLine($"{label}: {Value(kpi, kind, currency)} ({Change(kpi)} vs previous period)");
        text.AppendLine().AppendLine("Top campaigns sent in the period:");
        foreach (var c in campaigns)
            text.AppendLine($"  {Str(c, "name")} — {Money(c.GetProperty("revenue"), currency)}, open {Rate(c.GetProperty("openRate"))}, click {Rate(c.GetProperty("clickRate"))}");
        if (campaigns.Count == 0)
            text.AppendLine("  none");
        text.AppendLine().AppendLine("Top flows:");
        foreach (var f in flows)
            text.AppendLine($"  {Str(f, "name")} — {Money(f.GetProperty("revenue"), currency)}");
        text.AppendLine().AppendLine(firing.Count == 0 ? "No alert is firing." : $"Firing now ({firing.Count}):");
        foreach (var (rule, what, message) in firing)
            text.AppendLine($"  {rule}{(what.Length > 0 ? " — " + what : "")}: {message}");
        text.AppendLine().AppendLine($"Open the dashboard on this period: {url}");
        text.AppendLine($"Manage digests and alerts: {links.Url("/alerts")}");

        var html = new StringBuilder("<html><body style=\"font-family:Arial,Helvetica,sans-serif;color:#1f2937;max-width:680px\">");
        html.Append($"<h2 style=\"margin:0 0 4px\">{E(digest.Name)}</h2><div style=\"color:#6b7280;margin-bottom:12px\">{E(period)} · {E(zone.Id)} · compared with the previous period</div>");
        html.Append("<table cellpadding=\"6\" style=\"border-collapse:collapse;width:100%\">");
        foreach (var (label, kpi, kind) in kpis)
        {
            var change = kpi.GetProperty("changePercent");
            var color = change.ValueKind != JsonValueKind.Number ? "#6b7280" : change.GetDouble() >= 0 ? "#15803d" : "#b91c1c";
            html.Append($"<tr style=\"border-bottom:1px solid #e5e7eb\"><td>{E(label)}</td><td style=\"text-align:right;font-weight:bold\">{E(Value(kpi, kind, currency))}</td>")
                .Append($"<td style=\"text-align:right;color:{color}\">{E(Change(kpi))}</td></tr>");
        }
        html.Append("</table>");
        html.Append($"<p><img src=\"cid:{ChartId}\" width=\"{RevenueChart.Width}\" height=\"{RevenueChart.Height}\" alt=\"Revenue per {E(Str(overview, "seriesInterval").ToLowerInvariant())}, with the previous period\" style=\"max-width:100%\"></p>");
        html.Append(Table("Top campaigns sent in the period", ["Campaign", "Revenue", "Open", "Click"], campaigns,
            c => [Str(c, "name"), Money(c.GetProperty("revenue"), currency), Rate(c.GetProperty("openRate")), Rate(c.GetProperty("clickRate"))]));
        html.Append(Table("Top flows", ["Flow", "Revenue", "Open", "Click"], flows,
            f => [Str(f, "name"), Money(f.GetProperty("revenue"), currency), Rate(f.GetProperty("openRate")), Rate(f.GetProperty("clickRate"))]));
        html.Append(firing.Count == 0 ? "<p style=\"color:#15803d\">No alert is firing.</p>" : $"<h3>Firing now ({firing.Count})</h3><ul>");
        foreach (var (rule, what, message) in firing)
            html.Append($"<li><b>{E(rule)}</b>{(what.Length > 0 ? " — " + E(what) : "")}: {E(message)}</li>");
        if (firing.Count > 0)
            html.Append("</ul>");
        html.Append($"<p><a href=\"{E(url)}\">Open the dashboard on this period</a> · the CSV of this view is attached.</p>");
        html.Append($"<p><small><a href=\"{E(links.Url("/alerts"))}\">Manage digests and alerts</a></small></p></body></html>");

        var json = JsonSerializer.Serialize(new
        {
            type = "digest",
            id,
            digest = new { id = digest.Id, name = digest.Name, frequency = digest.Frequency.ToUpperInvariant() },
            from = from.ToString("uuuu-MM-dd", Culture),
            to = to.ToString("uuuu-MM-dd", Culture),
            timezone = zone.Id,
            currency,
            url,
            kpis = kpis.ToDictionary(k => Camel(k.Label), k => new { value = Number(k.Kpi.GetProperty("value")), previousValue = Number(k.Kpi.GetProperty("previousValue")), changePercent = Number(k.Kpi.GetProperty("changePercent")) }),
            topCampaigns = campaigns.Select(c => new { name = Str(c, "name"), revenue = Number(c.GetProperty("revenue")), openRate = Number(c.GetProperty("openRate")), clickRate = Number(c.GetProperty("clickRate")) }),
            topFlows = flows.Select(f => new { name = Str(f, "name"), revenue = Number(f.GetProperty("revenue")), openRate = Number(f.GetProperty("openRate")), clickRate = Number(f.GetProperty("clickRate")) }),
            firing = firing.Select(a => new { rule = a.Rule, subject = a.Subject, message = a.Message }),
            lastUpdated = overview.GetProperty("lastUpdated").ValueKind == JsonValueKind.Null ? null : overview.GetProperty("lastUpdated").GetString(),
        }, JsonSerializerOptions.Web);

        var slack = new
        {
            text = subject,
            blocks = new object[]
            {
                new { type = "header", text = new { type = "plain_text", text = subject.Length > 150 ? subject[..149] + "…" : subject } },
                new { type = "section", fields = kpis.Take(8).Select(k => new { type = "mrkdwn", text = $"*{k.Label}*\n{Value(k.Kpi, k.Kind, currency)} ({Change(k.Kpi)})" }).ToArray() },
                new { type = "section", text = new { type = "mrkdwn", text = campaigns.Count == 0 ? "No campaign was sent in the period." : "*Top campaigns*\n" + string.Join("\n", campaigns.Select(c => $"• {Str(c, "name")} — {Money(c.GetProperty("revenue"), currency)}")) } },
                new { type = "section", text = new { type = "mrkdwn", text = firing.Count == 0 ? "No alert is firing." : $"*Firing now ({firing.Count})*\n" + string.Join("\n", firing.Take(10).Select(a => $"• {a.Rule}: {a.Message}")) } },
                new { type = "section", text = new { type = "mrkdwn", text = $"<{url}|Open the dashboard on this period>" } },
            },
        };

        return new OutgoingMessage(id, subject, text.ToString(), html.ToString(), json, slack)
        {
            Inline = [new Attachment("revenue.png", "image/png", chart, ChartId)],
            Attachments = [new Attachment($"overview-{from.ToString("uuuu-MM-dd", Culture)}-{to.ToString("uuuu-MM-dd", Culture)}.csv", "text/csv", csv)],
            ManageUrl = links.Url("/alerts"),
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
        return RevenueChart.Png(current, previous, currency, $"Revenue per {Str(overview, "seriesInterval").ToLowerInvariant()}");
    }

    private static async Task<byte[]> CsvAsync(JsonElement overview)
    {
        using var stream = new MemoryStream();
        await using (var csv = new CsvExport(stream))
            OverviewCsv.Write(csv, overview);
        return stream.ToArray();
    }

    private static string Table(string title, string[] headings, List<JsonElement> rows, Func<JsonElement, string[]> cells)
    {
        var html = new StringBuilder($"<h3 style=\"margin:16px 0 4px\">{E(title)}</h3>");
        if (rows.Count == 0)
            return html.Append("<p style=\"color:#6b7280\">None.</p>").ToString();
        html.Append("<table cellpadding=\"4\" style=\"border-collapse:collapse;width:100%\"><tr>");
        foreach (var h in headings)
            html.Append($"<th style=\"text-align:{(h == headings[0] ? "left" : "right")};border-bottom:1px solid #e5e7eb\">{E(h)}</th>");
        html.Append("</tr>");
        foreach (var row in rows)
        {
            var values = cells(row);
            html.Append("<tr>");
            for (var i = 0; i < values.Length; i++)
                html.Append($"<td style=\"text-align:{(i == 0 ? "left" : "right")}\">{E(values[i])}</td>");
            html.Append("</tr>");
        }
        return html.Append("</table>").ToString();
    }

    private static string Value(JsonElement kpi, string kind, string currency) => Number(kpi.GetProperty("value")) is not { } v ? "—" : kind switch
    {
        "money" => MoneyFormat.Whole(v, currency),
        "cents" => MoneyFormat.Cents(v, currency),
        "rate" => (v * 100).ToString("0.0", Culture) + "%",
        _ => v.ToString("N0", Culture),
    };

    private static string Change(JsonElement kpi) =>
        Number(kpi.GetProperty("changePercent")) is { } c ? (c >= 0 ? "+" : "−") + Math.Abs(c).ToString("0.0", Culture) + "%" : "no comparison";

    private static string Money(JsonElement value, string currency) => Number(value) is { } v ? MoneyFormat.Whole(v, currency) : "—";
    private static string Rate(JsonElement value) => Number(value) is { } v ? (v * 100).ToString("0.0", Culture) + "%" : "—";
    private static double? Number(JsonElement value) => value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;
    private static string Str(JsonElement e, string name) => e.GetProperty(name).GetString() ?? "";
    private static string E(string text) => WebUtility.HtmlEncode(text);
    private static string Camel(string label) => string.Concat(label.Split(' ').Select((w, i) => i == 0 ? w.ToLowerInvariant() : char.ToUpperInvariant(w[0]) + w[1..]));
}
