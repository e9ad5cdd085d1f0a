using Klaviyo.Core.Accounts;
using Klaviyo.Core.Data;
using Klaviyo.Core.Hosting;
using Klaviyo.Core.Security;
using Klaviyo.Core.Sync;
using Klaviyo.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Klaviyo.Tests.Browser;

/// <summary>Sign-in in Chromium, with sign-in required (Production): a Viewer sees the dashboard without Refresh; an Admin reaches the admin page and creates a key.</summary>
public sealed class SignInBrowserTests : IAsyncLifetime
{
    private const string Password = "correct horse battery staple";
    private readonly Server _server = new();
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    private sealed class Server : WebApplicationFactory<Program>
    {
        private readonly string _database = Path.Combine(Path.GetTempPath(), $"klaviyo-browser-signin-{Guid.NewGuid():N}.db");

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Production");
            builder.UseStaticWebAssets();
            builder.UseSetting("ConnectionStrings:Klaviyo", $"Data Source={_database}");
            builder.UseSetting("Sync:Enabled", "false");
            builder.UseSetting("Security:BootstrapAdmin:Email", "admin@example.com");
            builder.UseSetting("Security:BootstrapAdmin:Password", Password);
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            // A second account in the hosted sandbox, for the admin page's account form.
            builder.UseSetting("Sandbox:ApiKey", "pk_sandbox_local");
            builder.UseSetting("Sandbox:Accounts:London:Currency", "GBP");
            builder.UseSetting("Sandbox:Accounts:Sydney:RevokeAfter", "00:00:00");
        }

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            // The deployment's database and the stores of the accounts added (klaviyo-….account-london.db).
            foreach (var file in Directory.GetFiles(Path.GetDirectoryName(_database)!, Path.GetFileNameWithoutExtension(_database) + ".*"))
                File.Delete(file);
        }
    }

    public async Task InitializeAsync()
    {
        _server.UseKestrel(0);
        _server.StartServer();
        using var scope = _server.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<UserAccounts>().CreateAsync("viewer@example.com", Password, Roles.Viewer, CancellationToken.None);
        (_playwright, _browser) = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _server.DisposeAsync();
    }

    private Uri Base => _server.Services.GetRequiredService<IServer>().LocalBase();

    private async Task<IPage> SignInAsync(string email)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        await page.GotoAsync(Base.ToString());
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login"));
        await page.FillAsync("[data-testid=email]", email);
        await page.FillAsync("[data-testid=password]", Password);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardServer.Artifacts, "sign-in.png") });
        await page.ClickAsync("[data-testid=sign-in]");
        await page.Locator("[data-interactive=true]").WaitForAsync();
        await Assertions.Expect(page.Locator("[data-testid=account-name]")).ToContainTextAsync(email);
        return page;
    }

    [Fact]
    public async Task A_Viewer_signs_in_and_sees_the_dashboard_without_Refresh_then_signs_out()
    {
        var page = await SignInAsync("viewer@example.com");
        await Assertions.Expect(page.Locator("[data-testid=account-name]")).ToContainTextAsync("Viewer");
        await Assertions.Expect(page.Locator("[data-testid=refresh-button]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=admin-link]")).ToHaveCountAsync(0);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardServer.Artifacts, "viewer-dashboard.png") });

        await page.ClickAsync("[data-testid=sign-out]");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login"));
        await page.GotoAsync(Base.ToString());
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login"));
    }

    [Fact]
    public async Task An_Admin_has_Refresh_and_creates_an_API_key_on_the_admin_page()
    {
        var page = await SignInAsync("admin@example.com");
        await Assertions.Expect(page.Locator("[data-testid=refresh-button]")).ToBeVisibleAsync();
        await page.ClickAsync("[data-testid=admin-link]");
        await page.Locator("[data-testid=admin-page][data-interactive=true]").WaitForAsync();
        await page.Locator("[data-testid=key-name] input, input[data-testid=key-name]").First.FillAsync("Looker");
        await page.ClickAsync("[data-testid=create-key]");
        await Assertions.Expect(page.Locator("[data-testid=new-key]")).ToContainTextAsync("kda_");
        await Assertions.Expect(page.Locator("[data-testid=key-row]")).ToContainTextAsync("Looker");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardServer.Artifacts, "admin.png"), FullPage = true });
    }

    [Fact]
    public async Task An_Admin_adds_a_Klaviyo_account_with_its_key_on_the_admin_page()
    {
        var page = await SignInAsync("admin@example.com");
        await page.GotoAsync(new Uri(Base, "admin").ToString());
        await page.Locator("[data-testid=admin-page][data-interactive=true]").WaitForAsync();
        var key = page.Locator("[data-testid=account-key] input, input[data-testid=account-key]").First;

        // Sydney's owner revoked the key: Klaviyo (the sandbox) answers 401.
        await key.FillAsync("pk_sandbox_local_sydney");
        await page.ClickAsync("[data-testid=add-account]");
        await Assertions.Expect(page.Locator("[data-testid=accounts-error]")).ToContainTextAsync("refused");

        await key.FillAsync("pk_sandbox_local_london");
        await page.ClickAsync("[data-testid=add-account]");
        await Assertions.Expect(page.Locator("[data-testid=account-row]")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("[data-testid=account-row]").Nth(1)).ToContainTextAsync("london");
        await Assertions.Expect(page.Locator("[data-testid=accounts]")).Not.ToContainTextAsync("pk_sandbox_local_london");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardServer.Artifacts, "admin-accounts.png"), FullPage = true });

        // The portfolio shows both, each in its own currency once synced; a row opens that account's dashboard, and Back returns.
        var london = _server.Services.GetRequiredService<AccountShells>().ServicesOf("london")!;
        await london.GetRequiredService<SyncCoordinator>().StartAndWaitAsync([SyncEntity.Account, SyncEntity.Metrics, SyncEntity.Events]);
        await page.GotoAsync(new Uri(Base, "portfolio").ToString());
        await page.Locator("[data-testid=portfolio-page][data-interactive=true]").WaitForAsync();
        await Assertions.Expect(page.Locator("[data-testid=portfolio-account]")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("[data-testid=portfolio-revenue]").Nth(1)).ToContainTextAsync("£", new() { Timeout = 60_000 });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardServer.Artifacts, "portfolio.png"), FullPage = true });
        await page.Locator("[data-testid=portfolio-account][data-account=london] a").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("account=london", StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.Commit });
        await Assertions.Expect(page.Locator("[data-testid=account-calendar]")).ToContainTextAsync("GBP", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("[data-testid=account-switcher]")).ToBeVisibleAsync();
        // Blazor navigates within the document: no load event to wait for, the page itself says it is back.
        await page.GoBackAsync(new() { WaitUntil = WaitUntilState.Commit });
        await Assertions.Expect(page.Locator("[data-testid=portfolio-account]")).ToHaveCountAsync(2);
        Assert.EndsWith("/portfolio", page.Url);
    }
}
