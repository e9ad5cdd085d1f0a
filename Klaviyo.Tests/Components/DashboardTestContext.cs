using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Bunit;
using Bunit.TestDoubles;
using Klaviyo.Core.Security;
using Klaviyo.Tests.Infrastructure;
using Klaviyo.Web.Client;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MudBlazor.Services;

namespace Klaviyo.Tests.Components;

/// <summary>
/// bUnit with the dashboard's real client stack, whose HTTP answers come from <see cref="Answers"/>
/// (by operation name) instead of a server.
/// </summary>
public class DashboardTestContext : BunitContext
{
    public ConcurrentDictionary<string, Func<JsonElement, Task<string>>> Answers { get; } = new();
    public ConcurrentQueue<(string Operation, JsonElement Variables)> Requests { get; } = new();
    /// <summary>Signed in as an Admin unless a test says otherwise.</summary>
    public BunitAuthorizationContext Authorization { get; }

    public DashboardTestContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton(TimeProvider.System);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["GraphQL:Endpoint"] = "http://dashboard.test/graphql" }).Build();
        var endpoint = new GraphQLEndpoint(configuration, new NoServer());
        Services.AddSingleton(endpoint);
        var tokens = new DashboardTokens(new EphemeralDataProtectionProvider(), new CredentialStamp(Microsoft.Extensions.Options.Options.Create(new Microsoft.AspNetCore.Identity.IdentityOptions())), TimeProvider.System);
        var credentials = new DashboardCredentials(new StaticAuthenticationState(KlaviyoClaims.Anonymous(Roles.Admin)), tokens, configuration);
        var transport = new GraphQLTransport(new HttpClient(new StubHandler(this)), endpoint, credentials);
        Services.AddSingleton(transport);
        Services.AddSingleton<Klaviyo.Web.Client.Models.IGraphQLTransport>(transport);
        Services.AddSingleton<Klaviyo.Web.Client.Models.KlaviyoGraphQLClient>();
        Services.AddFusionCache(DashboardClient.CacheName);
        Services.AddSingleton(new LiveUpdates(endpoint, tokens, configuration, NullLogger<LiveUpdates>.Instance));
        Authorization = this.AddAuthorization();
        Authorization.SetAuthorized("admin@example.com");
        Authorization.SetRoles(Roles.Admin, Roles.Operator, Roles.Viewer);
        Services.AddScoped<ApiState>();
        Services.AddScoped<DashboardAccount>();
        Services.AddScoped<DashboardClient>();
        Services.AddScoped<DashboardSignals>();
        // The header's bell asks on every page: nothing fires unless a test says so.
        Answer("AlertsOverview", """{ "alerts": [], "alertRules": [], "alertLog": [], "alertSilences": [] }""");
        // The header's account switcher asks too: one account, so it is not shown unless a test says so.
        Answer("ConnectedAccounts", """{ "accounts": [] }""");
    }

    /// <summary>MudBlazor's services are only asynchronously disposable; xunit disposes synchronously.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
            DisposeAsync().AsTask().GetAwaiter().GetResult();
        else
            base.Dispose(disposing);
    }

    public void Answer(string operation, string data) => Answers[operation] = _ => Task.FromResult($$"""{"data":{{data}}}""");

    public void Fail(string operation, string code, string message) =>
        Answers[operation] = _ => Task.FromResult(JsonSerializer.Serialize(new { errors = new[] { new { message, extensions = new { code, detail = "detail for developers" } } } }));

    public int RequestsFor(string operation) => Requests.Count(r => r.Operation == operation);

    private sealed class StubHandler(DashboardTestContext context) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            using var body = JsonDocument.Parse(await request.Content!.ReadAsStringAsync(cancellationToken));
            var operation = body.RootElement.GetProperty("operationName").GetString()!;
            var variables = body.RootElement.GetProperty("variables").Clone();
            context.Requests.Enqueue((operation, variables));
            if (!context.Answers.TryGetValue(operation, out var answer))
                return new HttpResponseMessage(HttpStatusCode.InternalServerError) { Content = new StringContent("""{"errors":[{"message":"no answer stubbed"}]}""") };
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(await answer(variables), Encoding.UTF8, "application/graphql-response+json") };
        }
    }

    private sealed class NoServer : IServer
    {
        public IFeatureCollection Features { get; } = new FeatureCollection();
        public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken) where TContext : notnull => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public void Dispose() { }
    }
}
