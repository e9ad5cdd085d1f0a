using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Klaviyo.Sandbox;

/// <summary>Accounts, metrics, campaigns (with messages), flows, lists, segments and forms.</summary>
public static class SandboxCatalogEndpoints
{
    private static readonly ResourceQuery<SandboxMetric> MetricQuery = new ResourceQuery<SandboxMetric>("metric", 200, 0)
        .Filter("integration.name", m => m.Integration, "equals")
        .Filter("integration.category", m => m.Category, "equals");

    private static readonly ResourceQuery<(SandboxCampaign C, DateTime Now)> CampaignQuery = new ResourceQuery<(SandboxCampaign C, DateTime Now)>("campaign", 100, 100)
        .Filter("id", x => x.C.Id, "any")
        .Filter("messages.channel", x => x.C.Channel, "equals")
        .Filter("name", x => x.C.Name, "contains")
        .Filter("status", x => x.C.Status(x.Now), "any", "equals")
        .Filter("archived", _ => false, "equals")
        .Filter("created_at", x => x.C.CreatedAt, "greater-or-equal", "greater-than", "less-or-equal", "less-than")
        .Filter("scheduled_at", x => x.C.CreatedAt, "greater-or-equal", "greater-than", "less-or-equal", "less-than")
        .Filter("updated_at", x => x.C.UpdatedAt(x.Now), "greater-or-equal", "greater-than", "less-or-equal", "less-than")
        .Sort("created_at", x => x.C.CreatedAt).Sort("id", x => x.C.Id).Sort("name", x => x.C.Name)
        .Sort("scheduled_at", x => x.C.CreatedAt).Sort("updated_at", x => x.C.UpdatedAt(x.Now));

    private static readonly ResourceQuery<SandboxFlow> FlowQuery = new ResourceQuery<SandboxFlow>("flow", 50, 50)
        .Filter("id", f => f.Id, "any")
        .Filter("name", f => f.Name, "contains", "ends-with", "equals", "starts-with")
        .Filter("status", f => f.Status, "equals")
        .Filter("archived", _ => false, "equals")
        .Filter("created", f => f.Created, "equals", "greater-or-equal", "greater-than", "less-or-equal", "less-than")
        .Filter("updated", f => f.Updated, "equals", "greater-or-equal", "greater-than", "less-or-equal", "less-than")
        .Filter("trigger_type", f => f.TriggerType, "equals")
        .Sort("created", f => f.Created).Sort("id", f => f.Id).Sort("name", f => f.Name).Sort("status", f => f.Status)
        .Sort("trigger_type", f => f.TriggerType).Sort("updated", f => f.Updated);

    private static ResourceQuery<SandboxGroup> GroupQuery(string type, bool segment)
    {
        var query = new ResourceQuery<SandboxGroup>(type, 10, 10)
            .Filter("name", g => g.Name, "any", "equals")
            .Filter("id", g => g.Id, "any", "equals")
            .Filter("created", g => g.Created, "greater-than")
            .Filter("updated", g => g.Updated, "greater-than")
            .Sort("created", g => g.Created).Sort("id", g => g.Id).Sort("name", g => g.Name).Sort("updated", g => g.Updated);
        return segment ? query.Filter("is_active", g => g.IsActive, "any", "equals").Filter("is_starred", g => g.IsStarred, "equals") : query;
    }

    private static readonly ResourceQuery<SandboxGroup> ListQuery = GroupQuery("list", segment: false);
    private static readonly ResourceQuery<SandboxGroup> SegmentQuery = GroupQuery("segment", segment: true);

    private static readonly ResourceQuery<SandboxForm> FormQuery = new ResourceQuery<SandboxForm>("form", 20, 100)
        .Filter("id", f => f.Id, "any", "equals")
        .Filter("name", f => f.Name, "any", "contains", "equals")
        .Filter("ab_test", _ => false, "equals")
        .Filter("updated_at", f => f.UpdatedAt, "greater-or-equal", "greater-than", "less-or-equal", "less-than")
        .Filter("created_at", f => f.CreatedAt, "greater-or-equal", "greater-than", "less-or-equal", "less-than")
        .Filter("status", f => f.Status, "equals")
        .Sort("created_at", f => f.CreatedAt).Sort("updated_at", f => f.UpdatedAt);

    public static void MapCatalog(this RouteGroupBuilder api)
    {
        api.MapGet("/accounts", Account).AddEndpointFilter(new SandboxGate(RateTier.XS));

        api.MapGet("/metrics", (HttpRequest request, SandboxAccount account) =>
            Page(request, MetricQuery, account.Metrics, m => JsonApi.Resource(request, "metric", "metrics", m.Id, new JsonObject
            {
                ["name"] = m.Name,
                ["created"] = JsonApi.Iso(account.Start.AddDays(-700)),
                ["updated"] = JsonApi.Iso(account.Start.AddDays(-700)),
                ["integration"] = new JsonObject { ["object"] = "integration", ["id"] = m.Integration.ToLowerInvariant(), ["name"] = m.Integration, ["category"] = m.Category },
            }))).AddEndpointFilter(new SandboxGate(RateTier.M));

        api.MapGet("/campaigns", Campaigns).AddEndpointFilter(new SandboxGate(RateTier.M));

        api.MapGet("/campaigns/{id}/campaign-messages", (string id, HttpRequest request, SandboxAccount account, TimeProvider time) =>
            account.CampaignsAt(time.GetUtcNow().UtcDateTime).FirstOrDefault(c => c.Id == id) is { } campaign
                ? JsonApi.Collection(request, [Message(request, campaign)], null)
                : SandboxErrors.NotFound($"No campaign with id '{id}'.")).AddEndpointFilter(new SandboxGate(RateTier.M));

        api.MapGet("/flows", (HttpRequest request, SandboxAccount account) =>
            Page(request, FlowQuery, account.Flows, f => JsonApi.Resource(request, "flow", "flows", f.Id, new JsonObject
            {
                ["name"] = f.Name,
                ["status"] = f.Status,
                ["archived"] = false,
                ["created"] = JsonApi.Iso(f.Created),
                ["updated"] = JsonApi.Iso(f.Updated),
                ["trigger_type"] = f.TriggerType,
            }))).AddEndpointFilter(new SandboxGate(RateTier.S));

        api.MapGet("/lists", (HttpRequest request, SandboxAccount account) =>
            Page(request, ListQuery, account.Lists, l => List(request, l, null))).AddEndpointFilter(new SandboxGate(RateTier.L));
        api.MapGet("/lists/{id}", (string id, HttpRequest request, SandboxAccount account, TimeProvider time) =>
            account.Lists.FirstOrDefault(l => l.Id == id) is { } list
                ? JsonApi.Single(request, List(request, list, ProfileCount(request, "list", list, account, time)))
                : SandboxErrors.NotFound($"No list with id '{id}'.")).AddEndpointFilter(new SandboxGate(RateTier.L));

        api.MapGet("/segments", (HttpRequest request, SandboxAccount account) =>
            Page(request, SegmentQuery, account.Segments, s => Segment(request, s, null))).AddEndpointFilter(new SandboxGate(RateTier.L));
        api.MapGet("/segments/{id}", (string id, HttpRequest request, SandboxAccount account, TimeProvider time) =>
            account.Segments.FirstOrDefault(s => s.Id == id) is { } segment
                ? JsonApi.Single(request, Segment(request, segment, ProfileCount(request, "segment", segment, account, time)))
                : SandboxErrors.NotFound($"No segment with id '{id}'.")).AddEndpointFilter(new SandboxGate(RateTier.L));

        api.MapGet("/forms", (HttpRequest request, SandboxAccount account) =>
            Page(request, FormQuery, account.Forms, f => JsonApi.Resource(request, "form", "forms", f.Id, new JsonObject
            {
                ["name"] = f.Name,
                ["status"] = f.Status,
                ["ab_test"] = false,
                ["created_at"] = JsonApi.Iso(f.CreatedAt),
                ["updated_at"] = JsonApi.Iso(f.UpdatedAt),
            }))).AddEndpointFilter(new SandboxGate(RateTier.S));
    }

    private static IResult Account(HttpRequest request, IOptions<SandboxOptions> options) =>
        JsonApi.Collection(request,
            [JsonApi.Resource(request, "account", "accounts", options.Value.AccountId, new JsonObject
            {
                ["test_account"] = true,
                ["contact_information"] = new JsonObject
                {
                    ["default_sender_name"] = options.Value.AccountName,
                    ["default_sender_email"] = "hello@sandbox.example",
                    ["website_url"] = "https://sandbox.example",
                    ["organization_name"] = options.Value.AccountName,
                    ["street_address"] = new JsonObject
                    {
                        ["address1"] = "125 Summer St", ["address2"] = null, ["city"] = "Boston", ["region"] = "MA", ["country"] = "United States", ["zip"] = "02110",
                    },
                },
                ["industry"] = "Retail",
                ["timezone"] = options.Value.Timezone,
                ["preferred_currency"] = options.Value.Currency,
                ["public_api_key"] = options.Value.AccountId,
                ["locale"] = "en-US",
            })], null);

    /// <summary>Campaigns of one channel (Klaviyo requires the filter), with their messages when asked to include them.</summary>
    private static IResult Campaigns(HttpRequest request, SandboxAccount account, TimeProvider time)
    {
        if (CampaignQuery.Read(request, out var query) is { } invalid)
            return invalid;
        if (!query.Conditions.Any(c => c.Field == "messages.channel"))
            return SandboxErrors.Invalid("A channel filter is required: equals(messages.channel,'email'), 'sms' or 'mobile_push'.", "filter");
        var now = time.GetUtcNow().UtcDateTime;
        var include = request.Query["include"].ToString().Split(',').Contains("campaign-messages");
        var all = CampaignQuery.Apply(account.CampaignsAt(now).Select(c => (c, now)), query).ToList();
        var page = all.Skip((int)query.Offset).Take(query.PageSize).ToList();
        var included = include ? new JsonArray([.. page.Select(x => Message(request, x.C))]) : null;
        return JsonApi.Collection(request, page.Select(x => Campaign(request, x.C, now, include)), NextOffset(query, all.Count), included);
    }

    private static IResult Page<T>(HttpRequest request, ResourceQuery<T> resources, IEnumerable<T> source, Func<T, JsonObject> render)
    {
        if (resources.Read(request, out var query) is { } invalid)
            return invalid;
        var all = resources.Apply(source, query).ToList();
        return JsonApi.Collection(request, all.Skip((int)query.Offset).Take(query.PageSize).Select(render), NextOffset(query, all.Count));
    }

    private static long? NextOffset<T>(ResourceQuery<T>.Request query, int total) =>
        query.Offset + query.PageSize < total ? query.Offset + query.PageSize : null;

    private static int? ProfileCount(HttpRequest request, string type, SandboxGroup group, SandboxAccount account, TimeProvider time) =>
        request.Query[$"additional-fields[{type}]"].ToString().Split(',').Contains("profile_count")
            ? (int)(group.Share * account.ProfileCountAt(time.GetUtcNow().UtcDateTime))
            : null;

    private static JsonObject Campaign(HttpRequest request, SandboxCampaign c, DateTime now, bool withLinkage)
    {
        var relationships = new JsonObject
        {
            ["campaign-messages"] = withLinkage
                ? new JsonObject { ["data"] = new JsonArray(new JsonObject { ["type"] = "campaign-message", ["id"] = c.MessageId }) }
                : new JsonObject { ["links"] = new JsonObject { ["related"] = $"{JsonApi.BaseUrl(request)}/api/campaigns/{c.Id}/campaign-messages/" } },
        };
        return JsonApi.Resource(request, "campaign", "campaigns", c.Id, new JsonObject
        {
            ["name"] = c.Name,
            ["status"] = c.Status(now),
            ["archived"] = false,
            ["audiences"] = new JsonObject { ["included"] = new JsonArray("Y6nRLr"), ["excluded"] = new JsonArray() },
            ["send_options"] = new JsonObject { ["use_smart_sending"] = true },
            ["tracking_options"] = null,
            ["send_strategy"] = new JsonObject { ["method"] = "static", ["datetime"] = JsonApi.Iso(c.SendTime), ["options"] = new JsonObject { ["is_local"] = false } },
            ["created_at"] = JsonApi.Iso(c.CreatedAt),
            ["scheduled_at"] = JsonApi.Iso(c.CreatedAt),
            ["updated_at"] = JsonApi.Iso(c.UpdatedAt(now)),
            ["send_time"] = JsonApi.Iso(c.SendTime),
        }, relationships);
    }

    private static JsonObject Message(HttpRequest request, SandboxCampaign c)
    {
        JsonObject definition = c.Channel == "email"
            ? new() { ["channel"] = "email", ["label"] = c.Name, ["content"] = new JsonObject { ["subject"] = c.Subject, ["preview_text"] = "Open to see more", ["from_email"] = "hello@sandbox.example", ["from_label"] = "Sandbox Store", ["reply_to_email"] = null, ["cc_email"] = null, ["bcc_email"] = null } }
            : new() { ["channel"] = "sms", ["content"] = new JsonObject { ["body"] = c.Subject, ["media_url"] = null } };
        return JsonApi.Resource(request, "campaign-message", "campaign-messages", c.MessageId, new JsonObject
        {
            ["definition"] = definition,
            ["send_times"] = new JsonArray(new JsonObject { ["datetime"] = JsonApi.Iso(c.SendTime), ["is_local"] = false }),
            ["created_at"] = JsonApi.Iso(c.CreatedAt),
            ["updated_at"] = JsonApi.Iso(c.CreatedAt),
        }, new JsonObject { ["campaign"] = JsonApi.ToOne("campaign", c.Id) });
    }

    private static JsonObject List(HttpRequest request, SandboxGroup l, int? profileCount)
    {
        var attributes = new JsonObject { ["name"] = l.Name, ["created"] = JsonApi.Iso(l.Created), ["updated"] = JsonApi.Iso(l.Updated), ["opt_in_process"] = l.OptInProcess };
        if (profileCount is int count)
            attributes["profile_count"] = count;
        return JsonApi.Resource(request, "list", "lists", l.Id, attributes);
    }

    private static JsonObject Segment(HttpRequest request, SandboxGroup s, int? profileCount)
    {
        var attributes = new JsonObject
        {
            ["name"] = s.Name,
            ["definition"] = new JsonObject { ["condition_groups"] = new JsonArray() },
            ["created"] = JsonApi.Iso(s.Created),
            ["updated"] = JsonApi.Iso(s.Updated),
            ["is_active"] = s.IsActive,
            ["is_processing"] = false,
            ["is_starred"] = s.IsStarred,
        };
        if (profileCount is int count)
            attributes["profile_count"] = count;
        return JsonApi.Resource(request, "segment", "segments", s.Id, attributes);
    }
}
