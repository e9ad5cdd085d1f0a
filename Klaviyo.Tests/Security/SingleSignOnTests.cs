using System.Net;
using Klaviyo.Core.Security;
using Klaviyo.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Klaviyo.Tests.Security;

/// <summary>Single sign-on end to end: the dashboard (Production) against a real OpenID Connect provider on loopback.</summary>
public sealed class SingleSignOnTests : IAsyncLifetime
{
    private readonly TestIdentityProvider _provider = new();
    private Dashboard _dashboard = null!;

    private sealed class Dashboard(Uri authority) : WebApplicationFactory<Program>
    {
        private readonly string _database = Path.Combine(Path.GetTempPath(), $"klaviyo-sso-{Guid.NewGuid():N}.db");

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Production");
            builder.ConfigureTestServices(services => services.AddLoopbackPeer());
            builder.UseSetting("ConnectionStrings:Klaviyo", $"Data Source={_database};Pooling=False");
            builder.UseSetting("Sync:Enabled", "false");
            builder.UseSetting("Security:Oidc:Authority", authority.ToString());
            builder.UseSetting("Security:Oidc:ClientId", TestIdentityProvider.ClientId);
            builder.UseSetting("Security:Oidc:ClientSecret", TestIdentityProvider.ClientSecret);
            builder.UseSetting("Security:Oidc:RequireHttpsMetadata", "false");
            foreach (var (scope, index) in new[] { "openid", "profile", "email", "roles" }.Select((s, i) => (s, i)))
                builder.UseSetting($"Security:Oidc:Scopes:{index}", scope);
            builder.UseSetting("Security:Oidc:RoleMap:analytics-admins", "Admin");
            builder.UseSetting("Security:Oidc:RoleMap:analytics-team", "Viewer");
        }

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            File.Delete(_database);
        }
    }

    public async Task InitializeAsync()
    {
        await _provider.StartAsync("http://localhost/signin-oidc");
        _dashboard = new Dashboard(_provider.Authority);
    }

    public async Task DisposeAsync()
    {
        await _dashboard.DisposeAsync();
        await _provider.DisposeAsync();
    }

    /// <summary>Follows the redirects a browser would: dashboard → provider → dashboard; returns the dashboard's last answer.</summary>
    private async Task<HttpResponseMessage> SignInThroughProviderAsync(HttpClient browser)
    {
        using var providerClient = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var response = await browser.GetAsync("/account/external?returnUrl=%2F");
        for (var hops = 0; hops < 10 && response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther; hops++)
        {
            var next = response.Headers.Location!;
            if (!next.IsAbsoluteUri)
                next = new Uri(browser.BaseAddress!, next);
            response = next.Host == "localhost" ? await browser.GetAsync(next.PathAndQuery) : await providerClient.GetAsync(next);
        }
        return response;
    }

    [Fact]
    public async Task A_provider_user_in_a_mapped_group_signs_in_with_the_mapped_role()
    {
        _provider.NextUser = new("user-1", "sso-admin@example.com", "analytics-admins", "everyone");
        var browser = _dashboard.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var login = await (await browser.GetAsync("/account/login")).Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"sso\"", login);

        var landed = await SignInThroughProviderAsync(browser);
        Assert.Equal(HttpStatusCode.OK, landed.StatusCode);
        Assert.Contains("http-equiv=\"refresh\"", await landed.Content.ReadAsStringAsync());

        var dashboard = await browser.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        var html = await dashboard.Content.ReadAsStringAsync();
        Assert.Contains("sso-admin@example.com", html);
        Assert.Contains("data-testid=\"admin-link\"", html);

        using var scope = _dashboard.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var account = await users.FindByLoginAsync(OidcSignIn.Scheme, "user-1");
        Assert.NotNull(account);
        Assert.Equal([Roles.Admin], await users.GetRolesAsync(account));
    }

    [Fact]
    public async Task A_provider_user_whose_groups_map_to_no_role_is_refused()
    {
        _provider.NextUser = new("user-2", "outsider@example.com", "sales");
        var browser = _dashboard.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var landed = await SignInThroughProviderAsync(browser);
        Assert.Contains("error=norole", landed.RequestMessage!.RequestUri!.ToString());
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task A_provider_that_lowers_a_users_role_lowers_it_in_the_accounts_the_user_is_limited_to()
    {
        _provider.NextUser = new("user-limited", "limited@example.com", "analytics-admins");
        await SignInThroughProviderAsync(_dashboard.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));
        using (var scope = _dashboard.Services.CreateScope())
        {
            var user = (await scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>().FindByLoginAsync(OidcSignIn.Scheme, "user-limited"))!;
            // An Admin limits the user to the deployment's account, as Admin there.
            await scope.ServiceProvider.GetRequiredService<UserAccounts>().SetAccountRolesAsync(user, new Dictionary<string, string> { [Klaviyo.Core.Data.ConnectedAccount.DefaultId] = Roles.Admin });
        }

        // The provider now puts the user in a group that maps to Viewer.
        _provider.NextUser = new("user-limited", "limited@example.com", "analytics-team");
        await SignInThroughProviderAsync(_dashboard.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));

        using var check = _dashboard.Services.CreateScope();
        var users = check.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var signedIn = (await users.FindByLoginAsync(OidcSignIn.Scheme, "user-limited"))!;
        Assert.Equal([Roles.Viewer], await users.GetRolesAsync(signedIn));
        var principal = await check.ServiceProvider.GetRequiredService<SignInManager<IdentityUser>>().CreateUserPrincipalAsync(signedIn);
        var access = AccountAccess.Of(principal);
        Assert.True(access.Limited);
        Assert.Equal(Roles.Viewer, access.RoleIn(Klaviyo.Core.Data.ConnectedAccount.DefaultId));
        Assert.False(access.Holds(Klaviyo.Core.Data.ConnectedAccount.DefaultId, [Roles.Operator]));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_existing_local_account_is_linked_by_e_mail_only_when_the_provider_verified_it(bool verified)
    {
        var email = $"owner-{verified}@example.com".ToLowerInvariant();
        string localId;
        using (var scope = _dashboard.Services.CreateScope())
            localId = (await scope.ServiceProvider.GetRequiredService<UserAccounts>().CreateAsync(email, "a long enough password", Roles.Viewer, CancellationToken.None)).Id;
        _provider.NextUser = new($"claims-{verified}", email, "analytics-admins") { EmailVerified = verified };
        var browser = _dashboard.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var landed = await SignInThroughProviderAsync(browser);

        using var check = _dashboard.Services.CreateScope();
        var users = check.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var local = (await users.FindByIdAsync(localId))!;
        if (verified)
        {
            Assert.Equal(HttpStatusCode.OK, landed.StatusCode);
            Assert.Equal(localId, (await users.FindByLoginAsync(OidcSignIn.Scheme, $"claims-{verified}"))?.Id);
            Assert.Equal([Roles.Admin], await users.GetRolesAsync(local));
        }
        else
        {
            Assert.Contains("error=unverified", landed.RequestMessage!.RequestUri!.ToString());
            Assert.Null(await users.FindByLoginAsync(OidcSignIn.Scheme, $"claims-{verified}"));
            Assert.Empty(await users.GetLoginsAsync(local));
            Assert.Equal([Roles.Viewer], await users.GetRolesAsync(local));
            Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/")).StatusCode);
        }
    }

    [Theory]
    [InlineData("/\t/evil.example")]
    [InlineData("/\n/evil.example")]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("https://evil.example")]
    [InlineData("evil.example")]
    public void Return_urls_that_a_browser_could_read_as_another_site_become_the_home_page(string url) =>
        Assert.Equal("/", OidcSignIn.LocalUrl(System.Text.RegularExpressions.Regex.Unescape(url)));

    [Theory]
    [InlineData("/")]
    [InlineData("/admin?tab=keys")]
    [InlineData("/graphql/")]
    public void Local_return_urls_are_kept(string url) => Assert.Equal(url, OidcSignIn.LocalUrl(url));
}
