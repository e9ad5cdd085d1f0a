using System.Text.Json.Nodes;

namespace Klaviyo.Sandbox;

/// <summary>Profiles and events: the growing part of the account.</summary>
public static class SandboxActivityEndpoints
{
    private const int MaxScanPerPage = 200_000;

    private static readonly ResourceQuery<SandboxProfile> ProfileQuery = new ResourceQuery<SandboxProfile>("profile", 20, 100)
        .Filter("id", p => p.Id, "any", "equals")
        .Filter("email", p => p.Email, "any", "equals")
        .Filter("created", p => p.Created, "greater-than", "less-than")
        .Filter("updated", p => p.Updated, "greater-than", "less-than")
        .Sort("created", p => p.Created).Sort("email", p => p.Email).Sort("id", p => p.Id).Sort("updated", p => p.Updated);

    private static readonly ResourceQuery<SandboxEvent> EventQuery = new ResourceQuery<SandboxEvent>("event", 200, 1000)
        .Filter("metric_id", e => e.MetricId, "equals")
        .Filter("profile_id", e => e.ProfileId, "equals")
        .Filter("profile", e => e.ProfileId, "has")
        .Filter("metric", e => e.MetricId, "has")
        .Filter("datetime", e => e.Datetime, "greater-or-equal", "greater-than", "less-or-equal", "less-than")
        .Filter("timestamp", e => (double)new DateTimeOffset(e.Datetime).ToUnixTimeSeconds(), "greater-or-equal", "greater-than", "less-or-equal", "less-than")
        .Sort("datetime", e => e.Datetime).Sort("timestamp", e => e.Datetime);

    public static void MapActivity(this RouteGroupBuilder api)
    {
        api.MapGet("/profiles", (HttpRequest request, SandboxAccount account, TimeProvider time) =>
        {
            if (ProfileQuery.Read(request, out var query) is { } invalid)
                return invalid;
            var count = account.ProfileCountAt(time.GetUtcNow().UtcDateTime);
            var withSubscriptions = request.Query["additional-fields[profile]"].ToString().Split(',').Contains("subscriptions");
            var all = ProfileQuery.Apply(LongRange(count).Select(account.Profile), query).ToList();
            var page = all.Skip((int)query.Offset).Take(query.PageSize);
            return JsonApi.Collection(request, page.Select(p => Profile(request, p, withSubscriptions)),
                query.Offset + query.PageSize < all.Count ? query.Offset + query.PageSize : null);
        }).AddEndpointFilter(new SandboxGate(RateTier.L));

        api.MapGet("/events", (HttpRequest request, SandboxAccount account, TimeProvider time) =>
        {
            if (EventQuery.Read(request, out var query) is { } invalid)
                return invalid;
            var now = time.GetUtcNow().UtcDateTime;
            var (from, to) = IndexRange(account, query.Conditions, now);
            var descending = query.Sort is not null && query.Descending;
            // The cursor is the next index to scan: pages stay cheap at any account size.
            var next = query.Offset == 0 ? (descending ? to - 1 : from) : query.Offset - 1;
            var page = new List<SandboxEvent>(query.PageSize);
            var scanned = 0;
            while (page.Count < query.PageSize && next >= from && next < to && scanned++ < MaxScanPerPage)
            {
                var e = account.Event(next);
                if (EventQuery.Matches(e, query))
                    page.Add(e);
                next += descending ? -1 : 1;
            }
            var more = next >= from && next < to;
            return JsonApi.Collection(request, page.Select(e => Event(JsonApi.BaseUrl(request), e)), more ? next + 1 : null);
        }).AddEndpointFilter(new SandboxGate(RateTier.XL));
    }

    /// <summary>The indices that can match the request's datetime bounds (the tightest of each side).</summary>
    private static (long From, long To) IndexRange(SandboxAccount account, IEnumerable<FilterCondition> conditions, DateTime now)
    {
        var bounds = conditions.Where(c => c.Field == "datetime" && c.Value is DateTime).ToList();
        var from = bounds.Where(c => c.Operator is "greater-than" or "greater-or-equal").Select(c => (DateTime?)c.Value).Max();
        var to = bounds.Where(c => c.Operator is "less-than" or "less-or-equal").Select(c => (DateTime?)c.Value).Min();
        return account.IndicesThatCanHappenBetween(from, to, now);
    }

    private static IEnumerable<long> LongRange(long count)
    {
        for (long i = 0; i < count; i++)
            yield return i;
    }

    private static JsonObject Profile(HttpRequest request, SandboxProfile p, bool withSubscriptions)
    {
        var attributes = new JsonObject
        {
            ["email"] = p.Email,
            ["phone_number"] = null,
            ["external_id"] = null,
            ["first_name"] = p.Email.Split('.')[0],
            ["last_name"] = null,
            ["created"] = JsonApi.Iso(p.Created),
            ["updated"] = JsonApi.Iso(p.Updated),
            ["location"] = new JsonObject(),
            ["properties"] = new JsonObject(),
        };
        if (withSubscriptions)
            attributes["subscriptions"] = new JsonObject
            {
                ["email"] = new JsonObject
                {
                    ["marketing"] = new JsonObject
                    {
                        ["can_receive_email_marketing"] = p.Consent == "SUBSCRIBED",
                        ["consent"] = p.Consent,
                        ["consent_timestamp"] = JsonApi.Iso(p.Created),
                        ["last_updated"] = JsonApi.Iso(p.Updated),
                        ["suppression"] = new JsonArray(),
                        ["list_suppressions"] = new JsonArray(),
                    },
                },
            };
        return JsonApi.Resource(request, "profile", "profiles", p.Id, attributes);
    }

    /// <summary>An event resource as Get Events and Get Event answer it (and webhook payloads carry it).</summary>
    public static JsonObject Event(string baseUrl, SandboxEvent e)
    {
        var properties = new JsonObject();
        if (e.Value != 0)
            properties["$value"] = e.Value;
        if (e.CampaignId is not null)
            properties["$attributed_message"] = e.MessageId;
        if (e.FlowId is not null)
            (properties["$flow"], properties["$message"]) = (e.FlowId, e.MessageId);
        if (e.FormId is not null)
            properties["$form_id"] = e.FormId;
        var attributions = new JsonArray();
        if (e.CampaignId is not null)
            attributions.Add(new JsonObject { ["type"] = "campaign", ["id"] = e.CampaignId });
        if (e.FlowId is not null)
            attributions.Add(new JsonObject { ["type"] = "flow", ["id"] = e.FlowId });
        return JsonApi.Resource(baseUrl, "event", "events", e.Id, new JsonObject
        {
            ["timestamp"] = new DateTimeOffset(e.Datetime).ToUnixTimeSeconds(),
            ["event_properties"] = properties,
            ["datetime"] = JsonApi.Iso(e.Datetime),
            ["uuid"] = new Guid((int)(e.Index >> 32), (short)(e.Index >> 16), (short)e.Index, 0x8a, 1, 2, 3, 4, 5, 6, 7).ToString(),
        }, new JsonObject
        {
            ["metric"] = JsonApi.ToOne("metric", e.MetricId),
            ["profile"] = JsonApi.ToOne("profile", e.ProfileId),
            ["attributions"] = new JsonObject { ["data"] = attributions },
        });
    }
}
