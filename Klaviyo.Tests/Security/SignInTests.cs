using System.Net;
using Klaviyo.Core.Security;
using Klaviyo.Testing.Processes;
using Klaviyo.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Klaviyo.Tests.Security;

/// <summary>The dashboard's password sign-in (Klaviyo.Web in Production): the form, the session cookie, lockout, sign-out.</summary>
public sealed partial class SignInTests(SignInTests.Factory factory) : IClassFixture<SignInTests.Factory>
{
    public const string AdminEmail = "owner@example.com";
    public const string AdminPassword = "correct horse battery staple";

    public sealed class Factory : WebApplicationFactory<Program>
    {
        private readonly string _database = Path.Combine(Path.GetTempPath(), $"klaviyo-signin-{Guid.NewGuid():N}.db");

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Production");
            builder.ConfigureTestServices(services => services.AddLoopbackPeer());
            builder.UseSetting("ConnectionStrings:Klaviyo", $"Data Source={_database};Pooling=False");
            builder.UseSetting("Sync:Enabled", "false");
            builder.UseSetting("Security:BootstrapAdmin:Email", AdminEmail);
            builder.UseSetting("Security:BootstrapAdmin:Password", AdminPassword);
            builder.UseSetting("Security:Lockout:MaxFailedAttempts", "3");
            builder.UseSetting("Security:RateLimits:SignInsPerMinute", "1000");
        }

        public HttpClient Browser() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

        public async Task<string> CreateUserAsync(string role)
        {
            using var scope = Services.CreateScope();
            var email = $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@example.com";
            await scope.ServiceProvider.GetRequiredService<UserAccounts>().CreateAsync(email, AdminPassword, role, CancellationToken.None);
            return email;
        }

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            File.Delete(_database);
        }
    }

    public static async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string email, string password, string returnUrl = "/")
    {
        var page = await (await browser.GetAsync("/account/login")).Content.ReadAsStringAsync();
        var token = SignInForm.Token(page);
        Assert.False(string.IsNullOrEmpty(token), "the sign-in form has an antiforgery token");
        return await browser.PostAsync("/account/login", SignInForm.Fields(token, email, password, returnUrl));
    }

    [Fact]
    public async Task The_dashboard_sends_anonymous_visitors_to_the_sign_in_page()
    {
        var response = await factory.Browser().GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("http://localhost/account/login", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Signing_in_sets_a_strict_HttpOnly_session_cookie_and_opens_the_dashboard()
    {
        var browser = factory.Browser();
        var response = await SignInAsync(browser, AdminEmail, AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("klaviyo.session=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", cookie.Replace("samesite", "", StringComparison.OrdinalIgnoreCase), StringComparison.OrdinalIgnoreCase); // plain HTTP here: Secure only on HTTPS

        var dashboard = await browser.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        var html = await dashboard.Content.ReadAsStringAsync();
        Assert.Contains(AdminEmail, html);
        Assert.Contains("data-testid=\"sign-out\"", html);
    }

    [Fact]
    public async Task Repeated_wrong_passwords_lock_the_account()
    {
        var email = await factory.CreateUserAsync(Roles.Viewer);
        for (var i = 0; i < 2; i++)
            Assert.Contains("error=invalid", (await SignInAsync(factory.Browser(), email, "wrong password!!")).Headers.Location!.OriginalString);
        // The third failure (Security:Lockout:MaxFailedAttempts) locks the account; then even the right password is refused.
        Assert.Contains("error=locked", (await SignInAsync(factory.Browser(), email, "wrong password!!")).Headers.Location!.OriginalString);
        var locked = await SignInAsync(factory.Browser(), email, AdminPassword);
        Assert.Contains("error=locked", locked.Headers.Location!.OriginalString);
        Assert.DoesNotContain(locked.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith("klaviyo.session=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_Viewer_sees_no_Refresh_button_and_no_admin_link_and_cannot_open_the_admin_page()
    {
        var email = await factory.CreateUserAsync(Roles.Viewer);
        var browser = factory.Browser();
        await SignInAsync(browser, email, AdminPassword);
        var html = await (await browser.GetAsync("/")).Content.ReadAsStringAsync();
        Assert.Contains(email, html);
        Assert.DoesNotContain("data-testid=\"refresh-button\"", html);
        Assert.DoesNotContain("data-testid=\"admin-link\"", html);
        var admin = await browser.GetAsync("/admin");
        Assert.NotEqual(HttpStatusCode.OK, admin.StatusCode);

        var operatorBrowser = factory.Browser();
        await SignInAsync(operatorBrowser, await factory.CreateUserAsync(Roles.Operator), AdminPassword);
        Assert.Contains("data-testid=\"refresh-button\"", await (await operatorBrowser.GetAsync("/")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Signing_out_without_the_antiforgery_token_is_refused()
    {
        var browser = factory.Browser();
        await SignInAsync(browser, AdminEmail, AdminPassword);
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.PostAsync("/account/logout", new FormUrlEncodedContent([]))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).StatusCode); // still signed in
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        var browser = factory.Browser();
        await SignInAsync(browser, AdminEmail, AdminPassword);
        var page = await (await browser.GetAsync("/account/login")).Content.ReadAsStringAsync();
        var token = SignInForm.Token(page);
        var signedOut = await browser.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string> { [SignInForm.TokenField] = token }));
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/")).StatusCode);
    }
}
