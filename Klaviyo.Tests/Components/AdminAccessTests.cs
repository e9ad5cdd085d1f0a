using Bunit;
using Klaviyo.Web.Components.Pages;

namespace Klaviyo.Tests.Components;

/// <summary>The admin page says which accounts each user and key may see, and gives a limited user every account again.</summary>
public sealed class AdminAccessTests : DashboardTestContext
{
    private static string Account(string id, string name, bool isDefault) =>
        $$"""{ "id": "{{id}}", "name": "{{name}}", "klaviyoId": null, "isDefault": {{(isDefault ? "true" : "false")}}, "paused": false, "sandbox": true, "timezone": null, "currency": null, "addedAt": "2026-12-01T00:00:00Z" }""";

    private static string User(string id, string email, string role, string accountRoles) =>
        $$"""{ "id": "{{id}}", "email": "{{email}}", "role": "{{role}}", "lockedOut": false, "lockoutEnd": null, "external": false, "accountRoles": {{accountRoles}} }""";

    public AdminAccessTests()
    {
        Answer("ConnectedAccounts", $$"""{ "accounts": [ {{Account("default", "Store US", true)}}, {{Account("london", "London", false)}} ] }""");
        Answer("ApiKeys", """{ "apiKeys": [ { "id": "k1", "name": "London BI", "prefix": "abc", "role": "VIEWER", "createdBy": "admin", "createdAt": "2026-12-01T00:00:00Z", "expiresAt": null, "revokedAt": null, "lastUsedAt": null, "active": true, "accountIds": ["london"] } ] }""");
        Answer("Users", $$"""{ "users": [ {{User("u1", "ops@example.com", "OPERATOR", """[{ "accountId": "london", "role": "OPERATOR" }]""")}}, {{User("u2", "all@example.com", "VIEWER", "null")}} ] }""");
        Answer("SetUserAccountRoles", $$"""{ "setUserAccountRoles": {{User("u1", "ops@example.com", "OPERATOR", "null")}} }""");
    }

    [Fact]
    public void Each_user_and_key_says_which_accounts_it_sees()
    {
        var cut = Render<Admin>();

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=user-accounts]").Count));
        Assert.Equal(["London: Operator", "every account"], cut.FindAll("[data-testid=user-accounts]").Select(c => c.TextContent.Replace("Change", "").Trim()));
        Assert.Contains("London", cut.Find("[data-testid=key-row]").TextContent);
    }

    [Fact]
    public void An_Admin_gives_a_limited_user_every_account_again()
    {
        var cut = Render<Admin>();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=edit-access]").Count));

        cut.FindAll("[data-testid=edit-access]")[0].Click();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=access-editor]")));
        Assert.Single(cut.FindAll("[data-testid=grant-london]"));
        cut.Find("input[data-testid=every-account], [data-testid=every-account] input").Change(true);
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=grant-london]")));
        cut.Find("[data-testid=save-access]").Click();

        cut.WaitForAssertion(() => Assert.Equal(1, RequestsFor("SetUserAccountRoles")));
        var sent = Requests.Single(r => r.Operation == "SetUserAccountRoles").Variables;
        Assert.Equal("u1", sent.GetProperty("id").GetString());
        Assert.False(sent.TryGetProperty("accountRoles", out var roles) && roles.ValueKind != System.Text.Json.JsonValueKind.Null);
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=access-editor]")));
    }
}
