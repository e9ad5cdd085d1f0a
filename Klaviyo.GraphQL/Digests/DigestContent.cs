using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Klaviyo.Core.Accounts;
using Klaviyo.Core.Data;
using Klaviyo.Core.Digests;
using NodaTime;

namespace Klaviyo.GraphQL.Digests;

/// <summary>
/// One digest's facts — the period, the KPIs with their comparison, the top campaigns and flows, what
/// fires — and the four forms it is sent in: plain text, HTML (email), JSON (webhooks) and Slack blocks.
/// </summary>
internal sealed record DigestContent(
    Digest Digest,
    string Subject,
    string Period,
    LocalDate From,
    LocalDate To,
    DateTimeZone Zone,
    string Currency,
    string Url,
    string ManageUrl,
    JsonElement Overview,
    IReadOnlyList<(string Label, JsonElement Kpi, string Kind)> Kpis,
    IReadOnlyList<JsonElement> Campaigns,
    IReadOnlyList<JsonElement> Flows,
    IReadOnlyList<(string Rule, string Subject, string Message)> Firing)
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    public string Text()
    {
        var text = new StringBuilder();
        text.AppendLine(Subject).AppendLine();
        foreach (var (label, kpi, kind) in Kpis)
            text.AppendLine($"{label}: {Value(kpi, kind, Currency)} ({Change(kpi)} vs previous period)");
        text.AppendLine().AppendLine("Top campaigns sent in the period:");
        foreach (var c in Campaigns)
            text.AppendLine($"  {Str(c, "name")} — {Money(c.GetProperty("revenue"), Currency)}, open {Rate(c.GetProperty("openRate"))}, click {Rate(c.GetProperty("clickRate"))}");
        if (Campaigns.Count == 0)
            text.AppendLine("  none");
        text.AppendLine().AppendLine("Top flows:");
        foreach (var f in Flows)
            text.AppendLine($"  {Str(f, "name")} — {Money(f.GetProperty("revenue"), Currency)}");
        text.AppendLine().AppendLine(Firing.Count == 0 ? "No alert is firing." : $"Firing now ({Firing.Count}):");
        foreach (var (rule, what, message) in Firing)
            text.AppendLine($"  {rule}{(what.Length > 0 ? " — " + what : "")}: {message}");
        text.AppendLine().AppendLine($"Open the dashboard on this period: {Url}");
        text.AppendLine($"Manage digests and alerts: {ManageUrl}");
        return text.ToString();
    }

    /// <param name="chartId">The content id of the inline revenue chart.</param>
    public string Html(string chartId)
    {
        var html = new StringBuilder("<html><body style=\"font-family:Arial,Helvetica,sans-serif;color:#1f2937;max-width:680px\">");
        html.Append($"<h2 style=\"margin:0 0 4px\">{E(Digest.Name)}</h2><div style=\"color:#6b7280;margin-bottom:12px\">{E(Period)} · {E(Zone.Id)} · compared with the previous period</div>");
        html.Append("<table cellpadding=\"6\" style=\"border-collapse:collapse;width:100%\">");
        foreach (var (label, kpi, kind) in Kpis)
        {
            var change = kpi.GetProperty("changePercent");
            var color = change.ValueKind != JsonValueKind.Number ? "#6b7280" : change.GetDouble() >= 0 ? "#15803d" : "#b91c1c";
            html.Append($"<tr style=\"border-bottom:1px solid #e5e7eb\"><td>{E(label)}</td><td style=\"text-align:right;font-weight:bold\">{E(Value(kpi, kind, Currency))}</td>")
                .Append($"<td style=\"text-align:right;color:{color}\">{E(Change(kpi))}</td></tr>");
        }
        html.Append("</table>");
        html.Append($"<p><img src=\"cid:{chartId}\" width=\"{RevenueChart.Width}\" height=\"{RevenueChart.Height}\" alt=\"Revenue per {E(Str(Overview, "seriesInterval").ToLowerInvariant())}, with the previous period\" style=\"max-width:100%\"></p>");
        html.Append(Table("Top campaigns sent in the period", ["Campaign", "Revenue", "Open", "Click"], Campaigns,
            c => [Str(c, "name"), Money(c.GetProperty("revenue"), Currency), Rate(c.GetProperty("openRate")), Rate(c.GetProperty("clickRate"))]));
        html.Append(Table("Top flows", ["Flow", "Revenue", "Open", "Click"], Flows,
            f => [Str(f, "name"), Money(f.GetProperty("revenue"), Currency), Rate(f.GetProperty("openRate")), Rate(f.GetProperty("clickRate"))]));
        html.Append(Firing.Count == 0 ? "<p style=\"color:#15803d\">No alert is firing.</p>" : $"<h3>Firing now ({Firing.Count})</h3><ul>");
        foreach (var (rule, what, message) in Firing)
            html.Append($"<li><b>{E(rule)}</b>{(what.Length > 0 ? " — " + E(what) : "")}: {E(message)}</li>");
        if (Firing.Count > 0)
            html.Append("</ul>");
        html.Append($"<p><a href=\"{E(Url)}\">Open the dashboard on this period</a> · the CSV of this view is attached.</p>");
        html.Append($"<p><small><a href=\"{E(ManageUrl)}\">Manage digests and alerts</a></small></p></body></html>");
        return html.ToString();
    }

    public string Json(Guid id) => JsonSerializer.Serialize(new
    {
        type = "digest",
        id,
        digest = new { id = Digest.Id, name = Digest.Name, frequency = Digest.Frequency.ToUpperInvariant() },
        from = From.ToString("uuuu-MM-dd", Culture),
        to = To.ToString("uuuu-MM-dd", Culture),
        timezone = Zone.Id,
        currency = Currency,
        url = Url,
        kpis = Kpis.ToDictionary(k => Camel(k.Label), k => new { value = Number(k.Kpi.GetProperty("value")), previousValue = Number(k.Kpi.GetProperty("previousValue")), changePercent = Number(k.Kpi.GetProperty("changePercent")) }),
        topCampaigns = Campaigns.Select(c => new { name = Str(c, "name"), revenue = Number(c.GetProperty("revenue")), openRate = Number(c.GetProperty("openRate")), clickRate = Number(c.GetProperty("clickRate")) }),
        topFlows = Flows.Select(f => new { name = Str(f, "name"), revenue = Number(f.GetProperty("revenue")), openRate = Number(f.GetProperty("openRate")), clickRate = Number(f.GetProperty("clickRate")) }),
        firing = Firing.Select(a => new { rule = a.Rule, subject = a.Subject, message = a.Message }),
        lastUpdated = Overview.GetProperty("lastUpdated").ValueKind == JsonValueKind.Null ? null : Overview.GetProperty("lastUpdated").GetString(),
    }, JsonSerializerOptions.Web);

    public object Slack() => new
    {
        text = Subject,
        blocks = new object[]
        {
            new { type = "header", text = new { type = "plain_text", text = Subject.Length > 150 ? Subject[..149] + "…" : Subject } },
            new { type = "section", fields = Kpis.Take(8).Select(k => new { type = "mrkdwn", text = $"*{k.Label}*\n{Value(k.Kpi, k.Kind, Currency)} ({Change(k.Kpi)})" }).ToArray() },
            new { type = "section", text = new { type = "mrkdwn", text = Campaigns.Count == 0 ? "No campaign was sent in the period." : "*Top campaigns*\n" + string.Join("\n", Campaigns.Select(c => $"• {Str(c, "name")} — {Money(c.GetProperty("revenue"), Currency)}")) } },
            new { type = "section", text = new { type = "mrkdwn", text = Firing.Count == 0 ? "No alert is firing." : $"*Firing now ({Firing.Count})*\n" + string.Join("\n", Firing.Take(10).Select(a => $"• {a.Rule}: {a.Message}")) } },
            new { type = "section", text = new { type = "mrkdwn", text = $"<{Url}|Open the dashboard on this period>" } },
        },
    };

    private static string Table(string title, string[] headings, IReadOnlyList<JsonElement> rows, Func<JsonElement, string[]> cells)
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
    internal static string Str(JsonElement e, string name) => e.GetProperty(name).GetString() ?? "";
    private static string E(string text) => WebUtility.HtmlEncode(text);
    private static string Camel(string label) => string.Concat(label.Split(' ').Select((w, i) => i == 0 ? w.ToLowerInvariant() : char.ToUpperInvariant(w[0]) + w[1..]));
}
