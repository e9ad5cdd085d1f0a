using System.Net;
using Klaviyo.Core.Hosting;
using Klaviyo.Testing.Processes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Klaviyo.Tests.Security;

/// <summary>
/// The dashboard behind a TLS-terminating reverse proxy, on Kestrel over TCP: with the proxy in
/// Security:TrustedProxies, the session cookie is Secure and sign-in limits count each client; with
/// nobody trusted, the same headers change nothing.
/// </summary>
public sealed class TrustedProxyTests
{
    private sealed class Dashboard(bool trustLoopbackProxy) : WebApplicationFactory<Program>
    {
        private readonly string _database = Path.Combine(Path.GetTempPath(), $"klaviyo-proxy-{Guid.NewGuid():N}.db");

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("ConnectionStrings:Klaviyo", $"Data Source={_database};Pooling=False");
            builder.UseSetting("Sync:Enabled", "false");
            builder.UseSetting("Security:BootstrapAdmin:Email", SignInTests.AdminEmail);
            builder.UseSetting("Security:BootstrapAdmin:Password", SignInTests.AdminPassword);
            builder.UseSetting("Security:RateLimits:SignInsPerMinute", "2");
            if (trustLoopbackProxy)
            {
                builder.UseSetting("Security:TrustedProxies:0", "127.0.0.1");
                builder.UseSetting("Security:TrustedProxies:1", "::1");
            }
        }

        public Uri Start()
        {
            UseKestrel(0);
            StartServer();
            return Services.GetRequiredService<IServer>().LocalBase();
        }

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            File.Delete(_database);
        }
    }

    /// <summary>Signs in as the proxy would relay it (https, the client's address), carrying cookies by hand: Secure ones would not go back over plain HTTP.</summary>
    private static async Task<HttpResponseMessage> SignInAsync(Uri server, string client)
    {
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = server };
        http.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        http.DefaultRequestHeaders.Add("X-Forwarded-For", client);
        using var page = await http.GetAsync("account/login");
        var cookies = string.Join("; ", page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        var token = SignInForm.Token(await page.Content.ReadAsStringAsync());
        using var post = new HttpRequestMessage(HttpMethod.Post, "account/login")
        {
            Content = SignInForm.Fields(token, SignInTests.AdminEmail, SignInTests.AdminPassword, returnUrl: "/\t/evil.example"),
        };
        post.Headers.Add("Cookie", cookies);
        return await http.SendAsync(post);
    }

    private static string? SessionCookie(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values.FirstOrDefault(c => c.StartsWith("klaviyo.session=", StringComparison.Ordinal)) : null;

    [Fact]
    public async Task Behind_a_trusted_proxy_the_session_cookie_is_Secure_and_sign_in_limits_count_each_client()
    {
        await using var dashboard = new Dashboard(trustLoopbackProxy: true);
        var server = dashboard.Start();

        using var signedIn = await SignInAsync(server, "203.0.113.5");
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/", signedIn.Headers.Location!.OriginalString); // the tab-smuggled return URL went home
        Assert.Contains("secure", SessionCookie(signedIn)!, StringComparison.OrdinalIgnoreCase);

        Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(server, "203.0.113.5")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await SignInAsync(server, "203.0.113.5")).StatusCode);
        // Another client behind the same proxy has its own allowance.
        Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(server, "203.0.113.6")).StatusCode);
    }

    [Fact]
    public async Task Without_trusted_proxies_forwarded_headers_change_neither_the_cookie_nor_the_limits()
    {
        await using var dashboard = new Dashboard(trustLoopbackProxy: false);
        var server = dashboard.Start();

        using var signedIn = await SignInAsync(server, "203.0.113.5");
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.DoesNotContain("secure", SessionCookie(signedIn)!, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(server, "203.0.113.6")).StatusCode);
        // Both "clients" were the same peer: its allowance is spent.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await SignInAsync(server, "203.0.113.7")).StatusCode);
    }
}
