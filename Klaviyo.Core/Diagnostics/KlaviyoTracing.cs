using System.Diagnostics;

namespace Klaviyo.Core.Diagnostics;

/// <summary>
/// The product's spans: GraphQL operations, sync runs and their entities, database commands and the
/// dashboard's own actions. Klaviyo calls are HttpClient's spans ("System.Net.Http"), incoming requests
/// ASP.NET Core's; W3C trace context links them from a dashboard click to Klaviyo and back.
/// </summary>
public static class KlaviyoTracing
{
    public const string SourceName = "Klaviyo.Dashboard";

    /// <summary>Every source exported over OTLP (ours, HttpClient's, Blazor's events and circuits).</summary>
    public static readonly string[] Sources = [SourceName, "System.Net.Http", "Microsoft.AspNetCore.Components", "Microsoft.AspNetCore.Components.Server.Circuits"];

    public static readonly ActivitySource Source = new(SourceName, AppVersion.Current);

    /// <summary>Marks a span failed with the error's code (never its detail, which may name server internals).</summary>
    public static void Failed(this Activity? activity, string code)
    {
        activity?.SetStatus(ActivityStatusCode.Error, code);
        activity?.SetTag("error.type", code);
    }
}
