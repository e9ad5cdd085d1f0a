using System.Security.Claims;
using System.Text.Json;
using GraphQL;
using GraphQL.Types;
using GraphQL.Validation;
using GraphQLParser;
using Klaviyo.Core.Security;
using Klaviyo.Tests.Infrastructure;
using Klaviyo.Web.Client;
using Klaviyo.Web.Client.Models;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ServerEntity = Klaviyo.Core.Data.SyncEntity;

namespace Klaviyo.Tests.Client;

/// <summary>
/// The dashboard's typed client against the API: every operation is valid against the committed
/// schema.graphql, and a real answer to each deserializes strictly into its result records.
/// </summary>
public sealed class ClientOperationTests(ClientOperationTests.Factory factory) : IClassFixture<ClientOperationTests.Factory>
{
    public sealed class Factory : SandboxApiFactory
    {
        private ClaimsPrincipal? _admin;

        /// <summary>A second account in the sandbox, for the account operations.</summary>
        public Factory() => With("Sandbox:Accounts:London:Currency", "GBP");

        /// <summary>A signed-in Admin, as the dashboard's circuit holds one (the operations below create keys and users, which ends anonymous access).</summary>
        public ClaimsPrincipal Admin()
        {
            if (_admin is not null)
                return _admin;
            using var scope = Services.CreateScope();
            var user = scope.ServiceProvider.GetRequiredService<UserAccounts>().CreateAsync("client-tests@example.com", "a long enough password", Roles.Admin, CancellationToken.None).GetAwaiter().GetResult();
            return _admin = scope.ServiceProvider.GetRequiredService<SignInManager<IdentityUser>>().CreateUserPrincipalAsync(user).GetAwaiter().GetResult();
        }

        public string Token() => Service<DashboardTokens>().Mint(Admin())!;

        public GraphQLTransport Transport() => new(CreateClient(), Endpoint(), new DashboardCredentials(
            new StaticAuthenticationState(Admin()), Service<DashboardTokens>(), new ConfigurationBuilder().Build()));

        private GraphQLEndpoint Endpoint() => new(
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["GraphQL:Endpoint"] = new Uri(Server.BaseAddress, "graphql").ToString() }).Build(),
            Server);
    }

    public static TheoryData<string> OperationNames => [.. KlaviyoGraphQLClientDocuments.All.Keys.Order(StringComparer.Ordinal)];

    [Fact]
    public void Every_operation_file_is_found()
    {
        Assert.Equal(
            ["AddAccount", "AlertsChanged", "AlertsOverview", "ApiErrors", "ApiKeys", "Campaigns", "ConnectedAccounts", "ContactPoints", "ConversionMetrics", "CreateAlertRule", "CreateApiKey", "CreateContactPoint", "CreateDigest",
                "CreateUser", "DataChanged", "DeleteAlertRule", "DeleteContactPoint", "DeleteDigest", "Diagnostics", "Digests", "DismissAlert", "EndSilence", "Flows", "Forms", "Lists", "Overview",
                "Portfolio", "RefreshData", "RemoveAccount", "RevokeApiKey", "Segments", "SendDigestNow", "ServerState", "SetAccountPaused", "SetAlertRuleEnabled", "SetUserAccountRoles", "SuppressAlert", "SyncCompleted", "SyncProgress", "SyncRuns", "SyncStatus", "TestContactPoint", "UpdateUser", "Users"],
            KlaviyoGraphQLClientDocuments.All.Keys.Order(StringComparer.Ordinal));
    }

    private static readonly Dictionary<string, Dictionary<string, object?>> SampleVariables = new()
    {
        ["Overview"] = new() { ["range"] = new Dictionary<string, object?> { ["start"] = "2026-01-01T00:00:00Z", ["end"] = "2026-01-02T00:00:00Z" } },
        ["Portfolio"] = new() { ["range"] = new Dictionary<string, object?> { ["preset"] = "LAST_30_DAYS" } },
        ["CreateApiKey"] = new() { ["name"] = "tool", ["role"] = "VIEWER" },
        ["RevokeApiKey"] = new() { ["id"] = "6c1c8f5e-0000-0000-0000-000000000000" },
        ["CreateUser"] = new() { ["email"] = "a@example.com", ["password"] = "long enough password", ["role"] = "VIEWER" },
        ["UpdateUser"] = new() { ["id"] = "1" },
        ["SetUserAccountRoles"] = new() { ["id"] = "1" },
        ["CreateContactPoint"] = new() { ["input"] = new Dictionary<string, object?> { ["name"] = "team", ["kind"] = "EMAIL", ["addresses"] = new[] { "a@example.com" } } },
        ["DeleteContactPoint"] = new() { ["id"] = "6c1c8f5e-0000-0000-0000-000000000000" },
        ["TestContactPoint"] = new() { ["id"] = "6c1c8f5e-0000-0000-0000-000000000000" },
        ["DismissAlert"] = new() { ["ruleId"] = "6c1c8f5e-0000-0000-0000-000000000000" },
        ["SuppressAlert"] = new() { ["ruleId"] = "6c1c8f5e-0000-0000-0000-000000000000", ["days"] = 30 },
        ["SetAlertRuleEnabled"] = new() { ["id"] = "6c1c8f5e-0000-0000-0000-000000000000", ["enabled"] = false },
        ["EndSilence"] = new() { ["id"] = "6c1c8f5e-0000-0000-0000-000000000000" },
        ["CreateAlertRule"] = new() { ["input"] = new Dictionary<string, object?> { ["name"] = "r", ["kind"] = "THRESHOLD", ["kpi"] = "REVENUE", ["threshold"] = 1.0 } },
        ["DeleteAlertRule"] = new() { ["id"] = "6c1c8f5e-0000-0000-0000-000000000000" },
        ["CreateDigest"] = new() { ["input"] = new Dictionary<string, object?> { ["name"] = "d", ["frequency"] = "DAILY", ["contactPointIds"] = new[] { "6c1c8f5e-0000-0000-0000-000000000000" } } },
        ["DeleteDigest"] = new() { ["id"] = "6c1c8f5e-0000-0000-0000-000000000000" },
        ["SendDigestNow"] = new() { ["id"] = "6c1c8f5e-0000-0000-0000-000000000000" },
        ["AddAccount"] = new() { ["apiKey"] = "pk_x" },
        ["SetAccountPaused"] = new() { ["id"] = "london", ["paused"] = true },
        ["RemoveAccount"] = new() { ["id"] = "london" },
    };

    [Theory]
    [MemberData(nameof(OperationNames))]
    public async Task The_operation_is_valid_against_schema_graphql(string name)
    {
        var schema = await CommittedSchemaAsync();
        var document = Parser.Parse(KlaviyoGraphQLClientDocuments.All[name]);
        var result = await new DocumentValidator().ValidateAsync(new ValidationOptions
        {
            Schema = schema,
            Document = document,
            Operation = document.Definitions.OfType<GraphQLParser.AST.GraphQLOperationDefinition>().Single(),
            Rules = DocumentValidator.CoreRules,
            // Validation checks required variables too: operations with some get sample values.
            Variables = new Inputs(SampleVariables.GetValueOrDefault(name) ?? []),
        });
        Assert.True(result.IsValid, string.Join("\n", result.Errors.Select(e => e.Message)));
        Assert.Equal(name, document.Definitions.OfType<GraphQLParser.AST.GraphQLOperationDefinition>().Single().Name?.StringValue);
    }

    /// <summary>schema.graphql as a schema; subscription fields get placeholder streams (validation never runs them).</summary>
    private static async Task<ISchema> CommittedSchemaAsync()
    {
        var sdl = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "schema.graphql"));
        var subscriptionFields = Parser.Parse(sdl).Definitions.OfType<GraphQLParser.AST.GraphQLObjectTypeDefinition>()
            .Single(d => d.Name.StringValue == "Subscription").Fields!.Select(f => f.Name.StringValue).ToList();
        var schema = global::GraphQL.Types.Schema.For(sdl, builder =>
        {
            foreach (var field in subscriptionFields)
                builder.Types.For("Subscription").FieldFor(field).StreamResolver = new global::GraphQL.Resolvers.SourceStreamResolver<object>(_ => System.Reactive.Linq.Observable.Empty<object>());
        });
        schema.Initialize();
        return schema;
    }

    [Fact]
    public async Task Every_query_and_mutation_answer_deserializes_strictly()
    {
        await factory.SyncEverythingOnceAsync();
        // Every method of the generated client, against the real server, read strictly.
        var api = new KlaviyoGraphQLClient(factory.Transport());
        var end = DateTime.UtcNow.Date.AddDays(1);
        var page = new PageQuery(5, SortField: "name");

        var overview = await api.OverviewAsync(new OverviewVariables(new DateRangeInput(Start: end.AddDays(-30), End: end)));
        var campaigns = await api.CampaignsAsync(new CampaignsVariables(page.First, Order: page.Order<CampaignSortInput>()));
        var flows = await api.FlowsAsync(new FlowsVariables(page.First, Order: page.Order<FlowSortInput>()));
        var forms = await api.FormsAsync(new FormsVariables(page.First, Order: page.Order<FormSortInput>()));
        var segments = await api.SegmentsAsync(new SegmentsVariables(page.First, Order: page.Order<SegmentSortInput>()));
        var lists = await api.ListsAsync(new ListsVariables(page.First, Order: page.Order<ListSortInput>()));
        var status = await api.SyncStatusAsync(new SyncStatusVariables(ForceFresh: false));
        var diagnostics = await api.DiagnosticsAsync(new DiagnosticsVariables(Admin: true));
        var viewerDiagnostics = await api.DiagnosticsAsync(new DiagnosticsVariables(Admin: false));
        var created = await api.CreateApiKeyAsync(new CreateApiKeyVariables("client test", Role.Viewer));
        var keys = await api.ApiKeysAsync();
        var revoked = await api.RevokeApiKeyAsync(new RevokeApiKeyVariables(created.CreateApiKey.ApiKey.Id));
        var user = await api.CreateUserAsync(new CreateUserVariables($"{Guid.NewGuid():N}@example.com", "correct horse battery", Role.Operator));
        var updated = await api.UpdateUserAsync(new UpdateUserVariables(user.CreateUser.Id, Role.Viewer, Locked: true));
        var users = await api.UsersAsync();
        var metrics = await api.ConversionMetricsAsync();
        var serverState = await api.ServerStateAsync();
        var refreshed = await api.RefreshDataAsync(new RefreshDataVariables([SyncEntity.Metrics]));
        var runs = await api.SyncRunsAsync(new SyncRunsVariables(5));
        var added = await api.AddAccountAsync(new AddAccountVariables("pk_sandbox_local_london"));
        var paused = await api.SetAccountPausedAsync(new SetAccountPausedVariables(added.AddAccount.Id, true));
        var portfolio = await api.PortfolioAsync(new PortfolioVariables(new DateRangeInput(Preset: RangePreset.Last30Days)));
        var londonState = await api.ServerStateAsync(new ServerStateVariables(AccountId: added.AddAccount.Id));
        var accounts = await api.ConnectedAccountsAsync();
        var removed = await api.RemoveAccountAsync(new RemoveAccountVariables(added.AddAccount.Id));

        Assert.NotNull(overview.Overview.LastUpdated);
        Assert.True(overview.Overview.TotalRevenue.Value > 0);
        Assert.Equal(5, campaigns.Campaigns.Nodes.Count);
        Assert.True(flows.Flows.TotalCount > 0);
        Assert.True(forms.Forms.TotalCount > 0);
        Assert.True(segments.Segments.TotalCount > 0);
        Assert.True(lists.Lists.TotalCount > 0);
        Assert.Equal(12, status.SyncStatus.Entities.Count);
        Assert.Equal(KlaviyoMode.Sandbox, diagnostics.Diagnostics.Klaviyo.Mode);
        Assert.Equal(KlaviyoMode.Sandbox, serverState.Diagnostics.Klaviyo.Mode);
        Assert.NotEmpty(diagnostics.Diagnostics.Database.Tables!);
        Assert.Null(viewerDiagnostics.Diagnostics.Database.Tables);
        Assert.StartsWith("kda_" + created.CreateApiKey.ApiKey.Prefix + "_", created.CreateApiKey.Secret);
        Assert.Contains(keys.ApiKeys, k => k.Id == created.CreateApiKey.ApiKey.Id && k.Active);
        Assert.False(revoked.RevokeApiKey.Active);
        Assert.Equal((Role.Viewer, true), (updated.UpdateUser.Role, updated.UpdateUser.LockedOut));
        Assert.Contains(users.Users, u => u.Id == user.CreateUser.Id);
        Assert.Contains(metrics.ConversionMetrics.Nodes, m => m.Name == "Placed Order");
        Assert.Equal([SyncEntity.Metrics], refreshed.RefreshData.Scopes);
        Assert.NotEmpty(runs.SyncRuns);
        Assert.Equal(("LONDON", true), (added.AddAccount.KlaviyoId, paused.SetAccountPaused.Paused));
        Assert.Equal(["default", added.AddAccount.Id], portfolio.Portfolio.Rows.Select(r => r.Account.Id));
        Assert.Equal(KlaviyoMode.Sandbox, londonState.Diagnostics.Klaviyo.Mode);
        Assert.Equal(["default", added.AddAccount.Id], accounts.Accounts.Select(a => a.Id));
        Assert.True(removed.RemoveAccount);
        if (refreshed.RefreshData.Run is { } run)
            await factory.Service<Klaviyo.Core.Sync.SyncCoordinator>().WhenFinishedAsync(Guid.Parse(run.Id)).WaitAsync(TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task Every_subscription_event_deserializes_strictly()
    {
        await factory.SyncEverythingOnceAsync();
        await using var socket = await GraphQLWebSocketClient.InitialisedAsync(factory, new { authorization = $"Bearer {factory.Token()}" });
        string[] names = ["DataChanged", "SyncProgress", "SyncCompleted", "ApiErrors"];
        foreach (var name in names)
            await socket.SubscribeAsync(name, KlaviyoGraphQLClientDocuments.All[name]);

        // A failing then recovering metrics sync pushes an error, its resolution, progress, the runs' ends and
        // (one metric differs from Klaviyo's, so the sync writes) a data change.
        factory.SetFaults(new Klaviyo.Sandbox.SandboxFaults { Outage = true });
        await factory.SyncAsync(ServerEntity.Metrics);
        factory.SetFaults(new Klaviyo.Sandbox.SandboxFaults());
        await using (var db = await factory.Db())
            await db.Metrics.OrderBy(m => m.Id).Take(1).ExecuteUpdateAsync(m => m.SetProperty(x => x.Name, "renamed here"));
        await factory.SyncAsync(ServerEntity.Metrics);

        var seen = new HashSet<string>();
        while (seen.Count < names.Length)
        {
            var message = await socket.ReceiveAsync("next");
            var id = message["id"]!.GetValue<string>();
            using var json = JsonDocument.Parse(message["payload"]!["data"]!.ToJsonString());
            object parsed = id switch
            {
                "DataChanged" => GraphQLTransport.Deserialize<DataChangedData>(json.RootElement, id),
                "SyncProgress" => GraphQLTransport.Deserialize<SyncProgressData>(json.RootElement, id),
                "SyncCompleted" => GraphQLTransport.Deserialize<SyncCompletedData>(json.RootElement, id),
                _ => GraphQLTransport.Deserialize<ApiErrorsData>(json.RootElement, id),
            };
            Assert.NotNull(parsed);
            seen.Add(id);
        }
    }

    [Fact]
    public void A_field_missing_from_either_side_fails()
    {
        using var extra = JsonDocument.Parse("""{ "dataChanged": { "entities": ["EVENTS"], "lastUpdated": "2026-01-01T00:00:00Z", "runId": null, "at": "2026-01-01T00:00:00Z", "records": 1, "surprise": 1 } }""");
        using var missing = JsonDocument.Parse("""{ "dataChanged": { "entities": ["EVENTS"], "runId": null, "at": "2026-01-01T00:00:00Z", "records": 1 } }""");
        using var unknownEnum = JsonDocument.Parse("""{ "dataChanged": { "entities": ["WIDGETS"], "lastUpdated": "2026-01-01T00:00:00Z", "runId": null, "at": "2026-01-01T00:00:00Z", "records": 1 } }""");
        using var exact = JsonDocument.Parse("""{ "dataChanged": { "entities": ["CAMPAIGN_REPORTS"], "lastUpdated": "2026-01-01T00:00:00Z", "runId": null, "at": "2026-01-01T00:00:00Z", "records": 1 } }""");

        Assert.Equal(GraphQLClientException.InvalidResponse, Assert.Throws<GraphQLClientException>(() => GraphQLTransport.Deserialize<DataChangedData>(extra.RootElement, "DataChanged")).Code);
        Assert.Equal(GraphQLClientException.InvalidResponse, Assert.Throws<GraphQLClientException>(() => GraphQLTransport.Deserialize<DataChangedData>(missing.RootElement, "DataChanged")).Code);
        Assert.Equal(GraphQLClientException.InvalidResponse, Assert.Throws<GraphQLClientException>(() => GraphQLTransport.Deserialize<DataChangedData>(unknownEnum.RootElement, "DataChanged")).Code);
        Assert.Equal([SyncEntity.CampaignReports], GraphQLTransport.Deserialize<DataChangedData>(exact.RootElement, "DataChanged").DataChanged.Entities);
    }

    [Fact]
    public async Task A_GraphQL_error_becomes_an_exception_with_its_code_and_detail()
    {
        var transport = factory.Transport();
        var error = await Assert.ThrowsAsync<GraphQLClientException>(() =>
            transport.SendAsync<OverviewData>("Overview", new { range = new { start = DateTime.UtcNow, end = DateTime.UtcNow.AddDays(-1) } }, default));
        Assert.Equal("INVALID_INPUT", error.Code);
    }
}
