using System.Text.Json;
using GraphQL;
using GraphQL.Types;
using Klaviyo.Core.Errors;
using Klaviyo.Core.Exports;
using NodaTime;
using NodaTime.Text;

namespace Klaviyo.GraphQL.Exports;

/// <summary>The overview as CSV: what it covers, the KPI cards, then the revenue series in the account's local time.</summary>
public static class OverviewCsv
{
    private static readonly string[] Kpis = ["totalRevenue", "orders", "activeSubscribers", "formSubmissions", "openRate", "clickRate", "conversionRate", "revenuePerRecipient"];

    /// <summary>What <see cref="Write"/> reads of an overview (a digest selects the same).</summary>
    public const string Fields = """
        range { start end } previousRange { start end } compareTo timezone currency
        conversionMetric { id name integrationName } channel
        totalRevenue { ...K } orders { ...K } activeSubscribers { ...K } formSubmissions { ...K }
        openRate { ...K } clickRate { ...K } conversionRate { ...K } revenuePerRecipient { ...K }
        seriesInterval revenueSeries { start end campaign flow form other total }
        lastUpdated dataSource
        """;

    public const string KpiFragment = "fragment K on Kpi { value previousValue changePercent }";

    private const string Query = $$"""
        query Export($range: DateRangeInput!, $compareTo: CompareTo, $conversionMetricId: ID, $channel: Channel, $accountId: ID) {
          overview(accountId: $accountId, range: $range, compareTo: $compareTo, conversionMetricId: $conversionMetricId, channel: $channel) {
            {{Fields}}
          }
        }
        {{KpiFragment}}
        """;

    public static async Task WriteAsync(HttpContext http, IDocumentExecuter<ISchema> executer)
    {
        var q = http.Request.Query;
        var range = new Dictionary<string, object?>();
        if (q["range"] is { Count: > 0 } preset)
            range["preset"] = preset.ToString().ToUpperInvariant();
        else if (q["from"] is { Count: > 0 } from && q["to"] is { Count: > 0 } to)
            (range["from"], range["to"]) = (from.ToString(), to.ToString());
        else if (q["start"] is { Count: > 0 } start && q["end"] is { Count: > 0 } end)
            (range["start"], range["end"]) = (start.ToString(), end.ToString());
        else
            throw new ExportException("Say which range: range=LAST_30_DAYS (a preset), from=YYYY-MM-DD&to=YYYY-MM-DD, or start=…&end=… (instants).", StatusCodes.Status400BadRequest, ErrorCodes.InvalidInput);
        var compare = q["compare"] is { Count: > 0 } c ? c.ToString().ToUpperInvariant() : "PREVIOUS_PERIOD";

        var variables = new Dictionary<string, object?> { ["range"] = range, ["compareTo"] = compare }.WithScope(q).WithAccount(q);
        var o = (await ExportQuery.RunAsync(http, executer, Query, new Inputs(variables))).GetProperty("overview");
        await using var csv = new CsvExport(http.Response, "overview.csv");
        Write(csv, o);
    }

    /// <summary>The rows of an overview payload (the fields <see cref="Fields"/> selects).</summary>
    public static void Write(CsvExport csv, JsonElement o)
    {
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(o.GetProperty("timezone").GetString()!) ?? DateTimeZone.Utc;
        string Local(JsonElement instant) => LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd HH:mm:ss")
            .Format(Instant.FromDateTimeUtc(instant.GetDateTime().ToUniversalTime()).InZone(zone).LocalDateTime);

        csv.Row("Export", "overview");
        csv.Row("Range", Local(o.GetProperty("range").GetProperty("start")), Local(o.GetProperty("range").GetProperty("end")));
        csv.Row("Range (UTC)", o.GetProperty("range").GetProperty("start"), o.GetProperty("range").GetProperty("end"));
        csv.Row("Time zone", o.GetProperty("timezone"));
        csv.Row("Currency", o.GetProperty("currency"));
        csv.Row("Compare with", o.GetProperty("compareTo"));
        if (o.GetProperty("previousRange") is { ValueKind: JsonValueKind.Object } previous)
            csv.Row("Comparison range", Local(previous.GetProperty("start")), Local(previous.GetProperty("end")));
        csv.ScopeRows(o);
        csv.Row("Last updated", o.GetProperty("lastUpdated"));
        csv.Row("Data source", o.GetProperty("dataSource"));
        csv.Row();
        csv.Row("KPI", "Value", "Comparison", "Change %");
        foreach (var kpi in Kpis)
        {
            var k = o.GetProperty(kpi);
            csv.Row(kpi, k.GetProperty("value"), k.GetProperty("previousValue"), k.GetProperty("changePercent"));
        }
        csv.Row();
        csv.Row($"Start ({zone.Id})", $"End ({zone.Id})", "Campaign", "Flow", "Form", "Other", "Total");
        foreach (var p in o.GetProperty("revenueSeries").EnumerateArray())
            csv.Row(Local(p.GetProperty("start")), Local(p.GetProperty("end")), p.GetProperty("campaign"), p.GetProperty("flow"), p.GetProperty("form"), p.GetProperty("other"), p.GetProperty("total"));
    }
}
