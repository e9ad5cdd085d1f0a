using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using NodaTime;

namespace Klaviyo.Sandbox;

/// <summary>
/// The Reporting API (campaign, flow and form values) computed from the very events the
/// sandbox serves, so the numbers agree with a sync of those events.
/// </summary>
public static class SandboxReportEndpoints
{
    private static readonly HashSet<string> MessageStatistics =
    [
        "average_order_value", "bounce_rate", "bounced", "bounced_or_failed", "bounced_or_failed_rate", "click_rate", "click_to_open_rate", "clicks", "clicks_unique",
        "conversion_rate", "conversion_uniques", "conversion_value", "conversions", "delivered", "delivery_rate", "failed", "failed_rate", "message_segment_count_sum",
        "open_rate", "opens", "opens_unique", "recipients", "revenue_per_recipient", "spam_complaint_rate", "spam_complaints", "text_message_credit_usage_amount",
        "text_message_roi", "text_message_spend", "unsubscribe_rate", "unsubscribe_uniques", "unsubscribes",
    ];

    private static readonly HashSet<string> FormStatistics =
    [
        "closed_form", "closed_form_uniques", "qualified_form", "qualified_form_uniques", "submit_rate", "submits", "submitted_form_step",
        "submitted_form_step_uniques", "viewed_form", "viewed_form_step", "viewed_form_step_uniques", "viewed_form_uniques",
    ];

    public static void MapReports(this RouteGroupBuilder api)
    {
        api.MapPost("/campaign-values-reports", (HttpRequest request, JsonObject body, SandboxAccount account, TimeProvider time, IOptions<SandboxOptions> options) =>
            MessageReport(request, body, "campaign-values-report", account, time, options, e => e.CampaignId, "campaign_id", "campaign_message_id"))
            .AddEndpointFilter(new SandboxGate(RateTier.Reporting));
        api.MapPost("/flow-values-reports", (HttpRequest request, JsonObject body, SandboxAccount account, TimeProvider time, IOptions<SandboxOptions> options) =>
            MessageReport(request, body, "flow-values-report", account, time, options, e => e.FlowId, "flow_id", "flow_message_id"))
            .AddEndpointFilter(new SandboxGate(RateTier.Reporting));
        api.MapPost("/form-values-reports", (HttpRequest request, JsonObject body, SandboxAccount account, TimeProvider time, IOptions<SandboxOptions> options) =>
            FormReport(request, body, account, time, options)).AddEndpointFilter(new SandboxGate(RateTier.Reporting));
    }

    private static IResult MessageReport(HttpRequest request, JsonObject body, string type, SandboxAccount account, TimeProvider time,
        IOptions<SandboxOptions> options, Func<SandboxEvent, string?> groupOf, string groupKey, string messageKey)
    {
        if (TimeframeFormatError(body) is { } invalid)
            return invalid;
        if (ReadRequest(body, type, MessageStatistics, requireConversionMetric: true, account, time, options.Value) is not { } report)
            return SandboxErrors.Invalid($"Invalid {type} request: give data.type '{type}', statistics from the allowed set, a timeframe of at most a year and conversion_metric_id.");
        var groups = TallyByMessage(report, account, groupOf);
        // Campaigns bounce only when an anomaly says so (SandboxAnomalies): the bounced come on top of the delivered.
        var anomalies = request.HttpContext.RequestServices.GetService<SandboxAnomalies>();
        var campaigns = groupKey == "campaign_id" && anomalies is not null
            ? account.CampaignsAt(time.GetUtcNow().UtcDateTime).ToDictionary(c => c.Id)
            : null;
        var results = new JsonArray();
        foreach (var ((id, message, channel), t) in groups.OrderBy(g => g.Key.Id, StringComparer.Ordinal).ThenBy(g => g.Key.Message, StringComparer.Ordinal))
        {
            var bouncePercent = campaigns is not null && campaigns.TryGetValue(id, out var campaign) ? anomalies!.BouncePercent(campaign, account) : 0;
            var bounced = (double)(long)Math.Round(t.Delivered * bouncePercent / (100 - bouncePercent));
            var recipients = t.Delivered + bounced;
            var values = Values(t, bounced, recipients);
            results.Add(new JsonObject
            {
                ["groupings"] = new JsonObject { [groupKey] = id, [messageKey] = message, ["send_channel"] = channel },
                ["statistics"] = Statistics(report.Statistics, values),
            });
        }
        return Paged(request, type, results, options.Value.ReportPageSize);
    }

    /// <summary>One row per message and send channel, as Klaviyo groups by default (campaign_id, campaign_message_id, send_channel).</summary>
    private static Dictionary<(string Id, string Message, string Channel), Tally> TallyByMessage(ReportRequest report, SandboxAccount account, Func<SandboxEvent, string?> groupOf)
    {
        var metric = account.Metrics.ToDictionary(m => m.Id, m => m.Name);
        var groups = new Dictionary<(string Id, string Message, string Channel), Tally>();
        foreach (var e in report.Events(account))
        {
            if (groupOf(e) is not { } id)
                continue;
            var key = (id, e.MessageId!, e.Channel ?? "email");
            var tally = groups.TryGetValue(key, out var t) ? t : groups[key] = new Tally();
            if (e.MetricId == report.ConversionMetricId)
            {
                tally.Conversions++;
                tally.Converters.Add(e.ProfileId);
                tally.Value += e.Value;
                continue;
            }
            switch (metric[e.MetricId])
            {
                case "Received Email" or "Received SMS": tally.Delivered++; break;
                case "Opened Email": tally.Opens++; tally.Openers.Add(e.ProfileId); break;
                case "Clicked Email" or "Clicked SMS": tally.Clicks++; tally.Clickers.Add(e.ProfileId); break;
            }
        }
        return groups;
    }

    private static Dictionary<string, double> Values(Tally t, double bounced, double recipients) => new()
    {
        ["recipients"] = recipients,
        ["delivered"] = t.Delivered,
        ["opens"] = t.Opens,
        ["opens_unique"] = t.Openers.Count,
        ["clicks"] = t.Clicks,
        ["clicks_unique"] = t.Clickers.Count,
        ["conversions"] = t.Conversions,
        ["conversion_uniques"] = t.Converters.Count,
        ["conversion_value"] = Math.Round(t.Value, 2),
        ["bounced"] = bounced,
        ["unsubscribes"] = 0,
        ["spam_complaints"] = 0,
        ["open_rate"] = Rate(t.Openers.Count, t.Delivered),
        ["click_rate"] = Rate(t.Clickers.Count, t.Delivered),
        ["conversion_rate"] = Rate(t.Converters.Count, t.Delivered),
        ["revenue_per_recipient"] = Rate(t.Value, t.Delivered),
        ["bounce_rate"] = Rate(bounced, recipients),
        ["unsubscribe_rate"] = 0,
        ["delivery_rate"] = Rate(t.Delivered, recipients),
    };

    /// <summary>One page of a report's results: <c>page_cursor</c> in, <c>links.next</c> out, as Klaviyo pages them.</summary>
    private static IResult Paged(HttpRequest request, string type, JsonArray results, int pageSize)
    {
        var offset = request.Query["page_cursor"] is { Count: > 0 } cursor ? SandboxCursor.TryDecode(cursor.ToString(), out var o) ? o : -1 : 0;
        if (offset < 0)
            return SandboxErrors.Invalid($"Invalid page_cursor '{request.Query["page_cursor"]}'.");
        var page = new JsonArray();
        foreach (var result in results.Skip((int)offset).Take(pageSize))
            page.Add(result!.DeepClone());
        var self = $"{JsonApi.BaseUrl(request)}/api/{type}s/";
        var links = new JsonObject { ["self"] = self };
        if (offset + pageSize < results.Count)
            links["next"] = $"{self}?page_cursor={Uri.EscapeDataString(SandboxCursor.Encode(offset + pageSize))}";
        return JsonApi.Document(new JsonObject
        {
            ["data"] = new JsonObject { ["type"] = type, ["attributes"] = new JsonObject { ["results"] = page } },
            ["links"] = links,
        });
    }

    private static IResult FormReport(HttpRequest request, JsonObject body, SandboxAccount account, TimeProvider time, IOptions<SandboxOptions> options)
    {
        const string type = "form-values-report";
        if (TimeframeFormatError(body) is { } invalid)
            return invalid;
        if (ReadRequest(body, type, FormStatistics, requireConversionMetric: false, account, time, options.Value) is not { } report)
            return SandboxErrors.Invalid($"Invalid {type} request: give data.type '{type}', statistics from the allowed set and a timeframe of at most a year.");
        var metric = account.Metrics.ToDictionary(m => m.Id, m => m.Name);
        var forms = new Dictionary<string, (int Views, HashSet<string> Viewers, int Submits)>();
        foreach (var e in report.Events(account).Where(e => e.FormId is not null))
        {
            var f = forms.TryGetValue(e.FormId!, out var x) ? x : (Views: 0, Viewers: new HashSet<string>(), Submits: 0);
            if (metric[e.MetricId] == "Viewed Form")
            {
                f.Views++;
                f.Viewers.Add(e.ProfileId);
            }
            else if (metric[e.MetricId] == "Submitted Form")
                f.Submits++;
            forms[e.FormId!] = f;
        }
        var results = new JsonArray();
        foreach (var (id, f) in forms.OrderBy(g => g.Key, StringComparer.Ordinal))
            results.Add(new JsonObject
            {
                ["groupings"] = new JsonObject { ["form_id"] = id },
                ["statistics"] = Statistics(report.Statistics, new Dictionary<string, double>
                {
                    ["viewed_form"] = f.Views,
                    ["viewed_form_uniques"] = f.Viewers.Count,
                    ["submits"] = f.Submits,
                    ["submit_rate"] = Rate(f.Submits, f.Viewers.Count),
                }),
            });
        return Paged(request, type, results, options.Value.ReportPageSize);
    }

    private static JsonObject Statistics(IEnumerable<string> wanted, Dictionary<string, double> values)
    {
        var statistics = new JsonObject();
        foreach (var name in wanted)
            statistics[name] = values.GetValueOrDefault(name);
        return statistics;
    }

    private static double Rate(double part, double whole) => whole == 0 ? 0 : part / whole;

    private static ReportRequest? ReadRequest(JsonObject body, string type, HashSet<string> allowed, bool requireConversionMetric, SandboxAccount account, TimeProvider time, SandboxOptions options)
    {
        try
        {
            if (body["data"]?["type"]?.GetValue<string>() != type || body["data"]?["attributes"] is not JsonObject attributes)
                return null;
            var statistics = attributes["statistics"]?.AsArray().Select(s => s!.GetValue<string>()).ToList();
            if (statistics is null || statistics.Count == 0 || statistics.Any(s => !allowed.Contains(s)))
                return null;
            var conversion = attributes["conversion_metric_id"]?.GetValue<string>();
            if (requireConversionMetric && account.Metrics.All(m => m.Id != conversion))
                return null;
            var now = time.GetUtcNow().UtcDateTime;
            var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(options.Timezone) ?? DateTimeZone.Utc;
            var (start, end) = Timeframe(attributes["timeframe"] as JsonObject, now, zone);
            if (end <= start || end - start > TimeSpan.FromDays(366))
                return null;
            return new ReportRequest(statistics, conversion, start, end, now);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or JsonException)
        {
            return null;
        }
    }

    /// <summary>A custom timeframe's bounds are the spec's date-time: RFC 3339 with an offset; anything else is a 400 pointing at the member, as Klaviyo answers.</summary>
    private static IResult? TimeframeFormatError(JsonObject body)
    {
        if (body["data"]?["attributes"]?["timeframe"] is not JsonObject timeframe || timeframe.ContainsKey("key"))
            return null;
        foreach (var bound in new[] { "start", "end" })
        {
            var value = timeframe[bound] is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;
            if (!Rfc3339.TryParse(value, out _))
                return SandboxErrors.InvalidMember(
                    $"'{value}' is not a valid date-time: send RFC 3339 with an offset, e.g. 2022-11-08T00:00:00+00:00 (the offset is ignored; the company's time zone is used).",
                    $"/data/attributes/timeframe/{bound}");
        }
        return null;
    }

    /// <summary>A timeframe in the company's time zone, as Klaviyo reads it: keys are whole local days, custom bounds are local clock times (any offset is ignored).</summary>
    private static (DateTime Start, DateTime End) Timeframe(JsonObject? timeframe, DateTime now, DateTimeZone zone)
    {
        DateTime Utc(LocalDateTime local) => local.InZoneLeniently(zone).ToDateTimeUtc();
        if (timeframe?["key"]?.GetValue<string>() is { } key)
        {
            var today = Instant.FromDateTimeUtc(now).InZone(zone).Date;
            DateTime Midnight(LocalDate day) => zone.AtStartOfDay(day).ToDateTimeUtc();
            return key switch
            {
                "today" => (Midnight(today), Midnight(today.PlusDays(1))),
                "yesterday" => (Midnight(today.PlusDays(-1)), Midnight(today)),
                "last_7_days" => (Midnight(today.PlusDays(-7)), Midnight(today)),
                "last_30_days" => (Midnight(today.PlusDays(-30)), Midnight(today)),
                "last_90_days" => (Midnight(today.PlusDays(-90)), Midnight(today)),
                "last_365_days" => (Midnight(today.PlusDays(-365)), Midnight(today)),
                "last_12_months" => (Midnight(today.PlusMonths(-12)), Midnight(today)),
                _ => throw new FormatException($"Unknown timeframe key '{key}'."),
            };
        }
        static LocalDateTime Clock(string text) => LocalDateTime.FromDateTime(DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture).DateTime);
        return (Utc(Clock(timeframe!["start"]!.GetValue<string>())), Utc(Clock(timeframe["end"]!.GetValue<string>())));
    }

    private sealed record ReportRequest(IReadOnlyList<string> Statistics, string? ConversionMetricId, DateTime Start, DateTime End, DateTime Now)
    {
        /// <summary>Events received by now whose datetime falls in the timeframe.</summary>
        public IEnumerable<SandboxEvent> Events(SandboxAccount account) => account.EventsHappenedBetween(Start, End, Now);
    }

    private sealed class Tally
    {
        public int Delivered, Opens, Clicks, Conversions;
        public double Value;
        public HashSet<string> Openers { get; } = [];
        public HashSet<string> Clickers { get; } = [];
        public HashSet<string> Converters { get; } = [];
    }
}
