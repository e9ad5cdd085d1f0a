using System.Text.Json.Nodes;

namespace Klaviyo.Sandbox;

/// <summary>POST /api/metric-aggregates: count, sum_value and unique of one metric per hour, day, week or month (UTC).</summary>
public static class SandboxAggregateEndpoints
{
    private static readonly string[] Measurements = ["count", "sum_value", "unique"];

    public static void MapAggregates(this RouteGroupBuilder api) =>
        api.MapPost("/metric-aggregates", (HttpRequest request, JsonObject body, SandboxAccount account, TimeProvider time) =>
        {
            var attributes = body["data"]?["attributes"] as JsonObject;
            if (body["data"]?["type"]?.GetValue<string>() != "metric-aggregate" || attributes is null)
                return SandboxErrors.Invalid("The body must be a 'metric-aggregate' with attributes.");
            var metricId = attributes["metric_id"]?.GetValue<string>();
            if (account.Metrics.All(m => m.Id != metricId))
                return SandboxErrors.Invalid($"'{metricId}' is not a metric of this account.", "metric_id");
            var measurements = attributes["measurements"]?.AsArray().Select(m => m?.GetValue<string>()).ToList() ?? [];
            if (measurements.Count == 0 || measurements.Any(m => !Measurements.Contains(m)))
                return SandboxErrors.Invalid("measurements must be some of count, sum_value, unique.", "measurements");
            var interval = attributes["interval"]?.GetValue<string>() ?? "day";
            if (interval is not ("hour" or "day" or "week" or "month"))
                return SandboxErrors.Invalid("interval must be hour, day, week or month.", "interval");
            DateTime? start = null, end = null;
            try
            {
                foreach (var condition in (attributes["filter"]?.AsArray() ?? []).SelectMany(f => KlaviyoFilter.Parse(f!.GetValue<string>())))
                {
                    if (condition is { Field: "datetime", Operator: "greater-or-equal", Value: DateTime from })
                        start = from;
                    else if (condition is { Field: "datetime", Operator: "less-than", Value: DateTime to })
                        end = to;
                }
            }
            catch (FormatException)
            {
                return SandboxErrors.Invalid("Invalid filter provided", "filter");
            }
            if (start is null || end is null || end <= start || end - start > TimeSpan.FromDays(366))
                return SandboxErrors.Invalid("filter must bound datetime with greater-or-equal and less-than, at most a year apart.", "filter");

            var buckets = new List<DateTime>();
            for (var at = Bucket(start.Value, interval); at < end; at = Next(at, interval))
                buckets.Add(at);
            var count = new double[buckets.Count];
            var sum = new double[buckets.Count];
            var unique = buckets.Select(_ => new HashSet<string>()).ToArray();
            var now = time.GetUtcNow().UtcDateTime;
            foreach (var e in account.EventsHappenedBetween(start.Value, end.Value, now))
            {
                if (e.MetricId != metricId)
                    continue;
                var index = buckets.BinarySearch(Bucket(e.Datetime, interval));
                if (index < 0)
                    continue;
                count[index]++;
                sum[index] += e.Value;
                unique[index].Add(e.ProfileId);
            }
            var values = new JsonObject();
            foreach (var m in measurements)
                values[m!] = new JsonArray([.. (m switch { "count" => count, "sum_value" => sum.Select(v => Math.Round(v, 2)).ToArray(), _ => unique.Select(u => (double)u.Count).ToArray() }).Select(v => JsonValue.Create(v))]);
            return JsonApi.Document(new JsonObject
            {
                ["data"] = new JsonObject
                {
                    ["type"] = "metric-aggregate",
                    ["id"] = Guid.NewGuid().ToString(),
                    ["attributes"] = new JsonObject
                    {
                        ["dates"] = new JsonArray([.. buckets.Select(b => JsonValue.Create(JsonApi.Iso(b)))]),
                        ["data"] = new JsonArray(new JsonObject { ["dimensions"] = new JsonArray(), ["measurements"] = values }),
                    },
                    ["links"] = new JsonObject { ["self"] = $"{JsonApi.BaseUrl(request)}/api/metric-aggregates/" },
                },
                ["links"] = new JsonObject { ["self"] = $"{JsonApi.BaseUrl(request)}/api/metric-aggregates/" },
            });
        }).AddEndpointFilter(new SandboxGate(RateTier.S));

    private static DateTime Bucket(DateTime at, string interval) => interval switch
    {
        "hour" => new DateTime(at.Year, at.Month, at.Day, at.Hour, 0, 0, DateTimeKind.Utc),
        "day" => DateTime.SpecifyKind(at.Date, DateTimeKind.Utc),
        "week" => DateTime.SpecifyKind(at.Date.AddDays(-(((int)at.DayOfWeek + 6) % 7)), DateTimeKind.Utc),
        _ => new DateTime(at.Year, at.Month, 1, 0, 0, 0, DateTimeKind.Utc),
    };

    private static DateTime Next(DateTime at, string interval) => interval switch
    {
        "hour" => at.AddHours(1),
        "day" => at.AddDays(1),
        "week" => at.AddDays(7),
        _ => at.AddMonths(1),
    };
}
