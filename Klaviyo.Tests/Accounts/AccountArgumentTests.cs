using System.Text.Json.Nodes;
using Klaviyo.Tests.Infrastructure;

namespace Klaviyo.Tests.Accounts;

/// <summary>The schema keeps accounts apart: every root field of an account's data names its account; only the deployment's own fields do not.</summary>
public sealed class AccountArgumentTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    /// <summary>Fields about the deployment itself: who is calling, users, API keys, the accounts list, the portfolio over them.</summary>
    private static readonly HashSet<string> DeploymentFields =
        ["me", "apiKeys", "users", "accounts", "createApiKey", "revokeApiKey", "createUser", "updateUser", "deleteUser", "addAccount", "setAccountPaused", "replaceAccountKey", "removeAccount", "portfolio", "setUserAccountRoles"];

    [Fact]
    public async Task Every_root_field_of_an_accounts_data_takes_accountId_and_the_deployments_own_do_not()
    {
        var schema = (await factory.GraphQL().QueryAsync(
            "{ __schema { queryType { fields { name args { name } } } mutationType { fields { name args { name } } } subscriptionType { fields { name args { name } } } } }"))["__schema"]!;
        var roots = new[] { "queryType", "mutationType", "subscriptionType" }
            .SelectMany(root => schema[root]!["fields"]!.AsArray().Select(f => (Root: root, Name: f!["name"]!.GetValue<string>(), Args: f["args"]!.AsArray())))
            .ToList();
        static bool TakesAccount(JsonArray args) => args.Any(a => a!["name"]!.GetValue<string>() == "accountId");

        Assert.True(roots.Count > 40, $"only {roots.Count} root fields");
        Assert.Empty(roots.Where(f => !DeploymentFields.Contains(f.Name) && !TakesAccount(f.Args)).Select(f => $"{f.Root}.{f.Name}"));
        Assert.Empty(roots.Where(f => DeploymentFields.Contains(f.Name) && TakesAccount(f.Args)).Select(f => $"{f.Root}.{f.Name}"));
    }
}
