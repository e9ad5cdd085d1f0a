using GraphQL.Types;
using Klaviyo.Core.Webhooks;

namespace Klaviyo.GraphQL.Webhooks;

public sealed class WebhookStateType : EnumerationGraphType<WebhookState>
{
    public WebhookStateType()
    {
        Name = "WebhookState";
        Description = "Whether Klaviyo pushes events to this server (system webhooks) or polling alone brings them.";
    }
}

public sealed class WebhookDiagnosticsType : ObjectGraphType<WebhookStatus>
{
    public WebhookDiagnosticsType()
    {
        Name = "WebhookDiagnostics";
        Description = "Klaviyo's system webhooks: registration and deliveries since the server started. Polling runs either way and finds whatever a webhook missed.";
        Field<NonNullGraphType<WebhookStateType>>("state").Resolve(c => c.Source.State);
        Field<StringGraphType>("message").Description("Why webhooks are unavailable or failing.").Resolve(c => c.Source.Message);
        Field<StringGraphType>("webhookId").Description("The account's webhook for this server.").Resolve(c => c.Source.WebhookId);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("topics").Resolve(c => c.Source.Topics);
        Field<NonNullGraphType<LongGraphType>>("deliveries").Description("Deliveries accepted.").Resolve(c => c.Source.Deliveries);
        Field<NonNullGraphType<LongGraphType>>("events").Description("Events in accepted deliveries.").Resolve(c => c.Source.Events);
        Field<NonNullGraphType<LongGraphType>>("stored").Description("Of those, events new to the database (the rest polling or an earlier delivery had stored).").Resolve(c => c.Source.Stored);
        Field<DateTimeGraphType>("lastDeliveryAt").Resolve(c => c.Source.LastDeliveryAt);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<WebhookRefusalType>>>>("refused").Description("Deliveries refused, by reason.")
            .Resolve(c => c.Source.Refused.OrderBy(r => r.Key).Select(r => new WebhookRefusal(r.Key, r.Value)).ToList());
    }
}

public sealed record WebhookRefusal(string Reason, long Count);

public sealed class WebhookRefusalType : ObjectGraphType<WebhookRefusal>
{
    public WebhookRefusalType()
    {
        Name = "WebhookRefusal";
        Field(r => r.Reason).Description("missing_header, bad_timestamp, bad_signature, stale, replay, bad_body, too_large or database.");
        Field(r => r.Count, type: typeof(NonNullGraphType<LongGraphType>));
    }
}
