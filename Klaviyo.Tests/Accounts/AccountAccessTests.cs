using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using GraphQL;
using GraphQL.Types;
using Klaviyo.Core.Data;
using Klaviyo.Core.Security;
using Klaviyo.GraphQL.Accounts;
using Klaviyo.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Klaviyo.Tests.Accounts;

/// <summary>
/// Access per account: a user or API key limited to some accounts sees those alone, with its role in
/// each, and an account it may not see answers exactly as one that does not exist.
/// </summary>
public sealed class AccountAccessTests : LondonAccountTests
{
    private const string Revenue = "{ overview(range: { preset: LAST_30_DAYS }) { totalRevenue { value } } }";

    private GraphQLTestClient? _admin;

    /// <summary>An Admin of the deployment (the first user created ends anonymous access).</summary>
    private async Task<GraphQLTestClient> AdminAsync() => _admin ??= await KeyAsync(Roles.Admin);

    private async Task<GraphQLTestClient> KeyAsync(string role, params string[] accounts)
    {
        var created = await App.Service<ApiKeyService>().CreateAsync($"{role} of {string.Join('+', accounts)}", role, null, "tests", CancellationToken.None,
            accounts.Length == 0 ? null : accounts);
        return Bearer(created.Secret);
    }

    private GraphQLTestClient Bearer(string token)
    {
        var http = App.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new GraphQLTestClient(http);
    }

    /// <summary>A dashboard user limited by an Admin's <c>setUserAccountRoles</c>, calling as the dashboard does for it (its principal, minted into a token).</summary>
    private async Task<GraphQLTestClient> UserAsync(string email, params (string Account, string Role)[] roles)
    {
        var admin = await AdminAsync();
        var user = await App.Service<UserAccounts>().CreateAsync(email, "a-long-password-1", Roles.Viewer, CancellationToken.None);
        var set = await admin.QueryAsync(
            "mutation($id: ID!, $roles: [AccountRoleInput!]) { setUserAccountRoles(input: { id: $id, accountRoles: $roles }) { accountRoles { accountId role } } }",
            new { id = user.Id, roles = roles.Select(r => new { accountId = r.Account, role = r.Role.ToUpperInvariant() }) });
        Assert.Equal(roles.Length, set["setUserAccountRoles"]!["accountRoles"]!.AsArray().Count);
        using var scope = App.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var principal = await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<IdentityUser>>().CreateAsync((await users.FindByIdAsync(user.Id))!);
        var token = App.Service<DashboardTokens>().Mint(principal)!;
        Assert.NotNull(await App.Service<BearerCredentials>().AuthenticateAsync(token, CancellationToken.None));
        return Bearer(token);
    }

    private static async Task<JsonNode> ErrorAsync(GraphQLTestClient client, string query)
    {
        var response = await client.PostAsync(query);
        Assert.True(response.Errors is { Count: > 0 }, $"Expected an error, got: {response.Body}");
        return response.Errors![0]!;
    }

    [Fact]
    public async Task A_key_limited_to_one_account_sees_that_account_alone_and_reads_it_without_naming_it()
    {
        var london = await AddLondonAsync();
        await App.SyncAsync(SyncEntity.Account, SyncEntity.Metrics, SyncEntity.Events);
        await SyncAsync(london, SyncEntity.Account, SyncEntity.Metrics, SyncEntity.Events);
        var everywhere = await KeyAsync(Roles.Viewer);
        var londonOnly = await KeyAsync(Roles.Viewer, london);

        // The deployment's own revenue, read twice by a Viewer of every account: the second answer is a stored whole response.
        var own = (await everywhere.QueryAsync(Revenue))["overview"]!["totalRevenue"]!["value"]!.GetValue<double>();
        Assert.Equal(own, (await everywhere.QueryAsync(Revenue))["overview"]!["totalRevenue"]!["value"]!.GetValue<double>());
        var theirs = (await everywhere.QueryAsync(Revenue.Replace("overview(", $"overview(accountId: \"{london}\", ")))["overview"]!["totalRevenue"]!["value"]!.GetValue<double>();
        Assert.NotEqual(own, theirs);

        // The same bytes from London's Viewer read London (not the stored answer of the same role).
        Assert.Equal(theirs, (await londonOnly.QueryAsync(Revenue))["overview"]!["totalRevenue"]!["value"]!.GetValue<double>());
        var me = (await londonOnly.QueryAsync("{ me { role accountRoles { accountId role } } accounts { id } portfolio(range: { preset: LAST_7_DAYS }) { rows { account { id } } totals { currency } } }"));
        Assert.Equal($$"""[{"accountId":"{{london}}","role":"VIEWER"}]""", me["me"]!["accountRoles"]!.ToJsonString());
        Assert.Equal([london], me["accounts"]!.AsArray().Select(a => a!["id"]!.GetValue<string>()));
        Assert.Equal([london], me["portfolio"]!["rows"]!.AsArray().Select(a => a!["account"]!["id"]!.GetValue<string>()));
        Assert.Equal(["GBP"], me["portfolio"]!["totals"]!.AsArray().Select(t => t!["currency"]!.GetValue<string>()));
        var leases = (await londonOnly.QueryAsync("{ diagnostics { instance { accountLeases { accountId } } } }"))["diagnostics"]!["instance"]!["accountLeases"]!;
        Assert.Equal([london], leases.AsArray().Select(l => l!["accountId"]!.GetValue<string>()));
        // A key of every account still says so.
        Assert.Null((await everywhere.QueryAsync("{ me { accountRoles { role } } }"))["me"]!["accountRoles"]);
    }

    [Fact]
    public async Task An_account_hidden_from_the_caller_answers_as_one_that_does_not_exist()
    {
        var london = await AddLondonAsync();
        var londonOnly = await KeyAsync(Roles.Admin, london);

        var hidden = await ErrorAsync(londonOnly, "{ overview(accountId: \"default\", range: { preset: LAST_7_DAYS }) { totalRevenue { value } } }");
        var missing = await ErrorAsync(londonOnly, "{ overview(accountId: \"nowhere\", range: { preset: LAST_7_DAYS }) { totalRevenue { value } } }");
        Assert.Equal(("NOT_FOUND", "No account 'default'."), (hidden["extensions"]!["code"]!.GetValue<string>(), hidden["message"]!.GetValue<string>()));
        Assert.Equal(("NOT_FOUND", "No account 'nowhere'."), (missing["extensions"]!["code"]!.GetValue<string>(), missing["message"]!.GetValue<string>()));
        // Mutations and the nested Admin fields of its own account's diagnostics are not a way round.
        Assert.Equal("NOT_FOUND", (await ErrorAsync(londonOnly, "mutation { startSync(accountId: \"default\", input: {}) { joinedRunIds } }"))["extensions"]!["code"]!.GetValue<string>());
        Assert.Equal("NOT_FOUND", (await ErrorAsync(londonOnly, "{ diagnostics(accountId: \"default\") { database { tables { table rows } } } }"))["extensions"]!["code"]!.GetValue<string>());

        // Exports answer 404 alike.
        var http = londonOnly.Http;
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/export/campaigns.csv?account=default")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/export/campaigns.csv?account=nowhere")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/export/campaigns.csv?account={london}")).StatusCode);

        // A subscription to another account's pushes is refused the same way.
        var secret = londonOnly.Http.DefaultRequestHeaders.Authorization!.Parameter;
        await using var socket = await GraphQLWebSocketClient.InitialisedAsync(App, new { authorization = $"Bearer {secret}" });
        await socket.SubscribeAsync("other", "subscription { dataChanged(accountId: \"default\") { entities } }");
        var refused = await socket.ReceiveAsync();
        Assert.Contains("NOT_FOUND", refused!.ToJsonString());
        Assert.DoesNotContain("\"data\":{\"dataChanged\":{", refused.ToJsonString());
    }

    [Fact]
    public async Task A_users_role_holds_in_its_account_only()
    {
        var london = await AddLondonAsync();
        var user = await UserAsync("ops@example.com", (london, Roles.Operator), ("default", Roles.Viewer));

        var me = (await user.QueryAsync("{ me { role accountRoles { accountId role } } accounts { id } }"));
        Assert.Equal("OPERATOR", me["me"]!["role"]!.GetValue<string>());
        Assert.Equal(["default", london], me["accounts"]!.AsArray().Select(a => a!["id"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        await user.QueryAsync($"mutation {{ startSync(accountId: \"{london}\", input: {{ entities: [METRICS] }}) {{ joinedRunIds }} }}");
        var refused = await ErrorAsync(user, "mutation { startSync(input: { entities: [METRICS] }) { joinedRunIds } }");
        Assert.Equal("FORBIDDEN", refused["extensions"]!["code"]!.GetValue<string>());
        Assert.Contains("Operator", refused["message"]!.GetValue<string>());
        // Reading the deployment's own account, where it is a Viewer, is allowed.
        await user.QueryAsync(Revenue);
    }

    [Fact]
    public async Task An_Admin_of_some_accounts_manages_nothing_of_the_deployment()
    {
        var london = await AddLondonAsync();
        var admin = await KeyAsync(Roles.Admin, london);

        foreach (var query in new[]
        {
            "{ users { id } }",
            "{ apiKeys { id } }",
            "mutation { createApiKey(input: { name: \"x\", role: ADMIN }) { secret } }",
            "mutation { addAccount(input: { apiKey: \"pk_sandbox_local_tokyo\" }) { id } }",
            $"mutation {{ removeAccount(id: \"{london}\") }}",
        })
            Assert.Equal("FORBIDDEN", (await ErrorAsync(admin, query))["extensions"]!["code"]!.GetValue<string>());
        // Its own account's Admin fields are its to use.
        await admin.QueryAsync($"{{ diagnostics(accountId: \"{london}\") {{ database {{ tables {{ table }} }} }} }}");
    }

    [Fact]
    public async Task Grants_name_connected_accounts_once_with_a_role()
    {
        var london = await AddLondonAsync();
        var admin = await AdminAsync();
        var user = await App.Service<UserAccounts>().CreateAsync("someone@example.com", "a-long-password-1", Roles.Viewer, CancellationToken.None);
        const string Set = "mutation($id: ID!, $roles: [AccountRoleInput!]) { setUserAccountRoles(input: { id: $id, accountRoles: $roles }) { role accountRoles { accountId } } }";

        Assert.Equal("NOT_FOUND", await admin.ErrorCodeAsync(Set, new { id = user.Id, roles = new[] { new { accountId = "nowhere", role = "VIEWER" } } }));
        Assert.Equal("INVALID_INPUT", await admin.ErrorCodeAsync(Set, new { id = user.Id, roles = Array.Empty<object>() }));
        Assert.Equal("INVALID_INPUT", await admin.ErrorCodeAsync(Set, new { id = user.Id, roles = new[] { new { accountId = london, role = "VIEWER" }, new { accountId = london, role = "ADMIN" } } }));
        Assert.Equal("NOT_FOUND", await admin.ErrorCodeAsync("mutation { createApiKey(input: { name: \"x\", role: VIEWER, accountIds: [\"nowhere\"] }) { secret } }"));

        // Limited, then every account again.
        var limited = (await admin.QueryAsync(Set, new { id = user.Id, roles = new[] { new { accountId = london, role = "ADMIN" } } }))["setUserAccountRoles"]!;
        Assert.Equal(("ADMIN", london), (limited["role"]!.GetValue<string>(), limited["accountRoles"]![0]!["accountId"]!.GetValue<string>()));
        var everywhere = (await admin.QueryAsync(Set, new { id = user.Id, roles = (object?)null }))["setUserAccountRoles"]!;
        Assert.Null(everywhere["accountRoles"]);
    }

    [Fact]
    public void Every_field_of_an_accounts_data_is_behind_the_account_check()
    {
        var schema = App.Service<ISchema>();
        schema.Initialize();
        var roots = new IObjectGraphType?[] { schema.Query, schema.Mutation, schema.Subscription }.OfType<IObjectGraphType>().ToList();
        var accountFields = roots.SelectMany(r => r.Fields).Where(AccountScope.TakesAccount).ToList();

        Assert.True(accountFields.Count > 30, $"only {accountFields.Count} account fields");
        Assert.Empty(accountFields.Where(f => f.Resolver?.GetType().DeclaringType != typeof(AccountAuthorization)).Select(f => f.Name));
        Assert.Empty(accountFields.Where(f => f.StreamResolver is not null && f.StreamResolver.GetType().DeclaringType != typeof(AccountAuthorization)).Select(f => f.Name));
        // Fields below them that ask for a role ask it in the operation's account.
        var nested = schema.AllTypes.OfType<IObjectGraphType>().Where(t => !roots.Contains(t)).SelectMany(t => t.Fields).Where(f => f.GetRoles() is { Count: > 0 }).ToList();
        Assert.NotEmpty(nested);
        Assert.Empty(nested.Where(f => f.Resolver?.GetType().DeclaringType != typeof(AccountAuthorization)).Select(f => f.Name));
    }
}
