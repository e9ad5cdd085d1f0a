using Microsoft.Playwright;

namespace Klaviyo.Tests.Browser;

/// <summary>Debian's Chromium under Playwright, started as the machine allows (headless, no sandbox as root, no background network).</summary>
public static class Chromium
{
    public const string Path = "/usr/bin/chromium";

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        if (!File.Exists(Path))
            throw new InvalidOperationException($"Chromium is missing at {Path}: install it with 'apt-get install -y chromium' (./test.sh does this as root).");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Path,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        return (playwright, browser);
    }
}
