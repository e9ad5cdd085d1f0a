using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Klaviyo.Core.Hosting;
using Klaviyo.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Klaviyo.Tests.Browser;

/// <summary>
/// The whole product as a user starts it (Klaviyo.Web: dashboard + API + sandbox + sync) on a real
/// Kestrel port, over a small living sandbox (an event every 2 s, events synced every second),
/// plus Debian's Chromium driven by Playwright. Ready once every entity has synced once.
/// </summary>
public sealed class DashboardServer : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"klaviyo-browser-{Guid.NewGuid():N}.db");
    private IPlaywright? _playwright;

    public Uri BaseAddress { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    public static string Artifacts { get; } = Directory.CreateDirectory(Path.Combine(RepositoryRoot.Path, "TestResults", "browser")).FullName;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        // Outside Development, package assets (MudBlazor's CSS and JS) are found through the build's static web assets manifest.
        builder.UseStaticWebAssets();
        builder.UseSetting("ConnectionStrings:Klaviyo", $"Data Source={_database}");
        builder.UseSetting("Sandbox:HistoryDays", "7");
        builder.UseSetting("Sandbox:EventsPerDay", "1500");
        builder.UseSetting("Sandbox:Profiles", "300");
        builder.UseSetting("Sandbox:Campaigns", "12");
        builder.UseSetting("Sandbox:Flows", "4");
        builder.UseSetting("Sandbox:LiveEventInterval", "00:00:02");
        builder.UseSetting("Sandbox:LiveProfileInterval", "1.00:00:00");
        builder.UseSetting("Sandbox:LiveCampaignInterval", "1.00:00:00");
        builder.UseSetting("Sync:Intervals:Events", "00:00:01");
        builder.UseSetting("Sync:RetryAfterFailure", "00:00:01");
        builder.UseSetting("Klaviyo:RetryBaseDelay", "00:00:00.010");
        builder.UseSetting("Klaviyo:MaxRetries", "1");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        // The tests press Refresh more often than a person would.
        builder.UseSetting("Security:RateLimits:Enabled", "false");
    }

    public async Task InitializeAsync()
    {
        UseKestrel(0);
        StartServer();
        BaseAddress = Services.GetRequiredService<IServer>().LocalBase();
        await WaitUntilEverythingSyncedAsync();

        (_playwright, Browser) = await Chromium.LaunchAsync();
    }

    public HttpClient Http() => new() { BaseAddress = BaseAddress };

    public async Task<JsonNode> QueryAsync(string query, object? variables = null)
    {
        using var http = Http();
        using var response = await http.PostAsJsonAsync("graphql", new { query, variables });
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(json["errors"] is null, json.ToJsonString());
        return json["data"]!;
    }

    public async Task SetSandboxFaultsAsync(object faults)
    {
        using var http = Http();
        (await http.PostAsJsonAsync("sandbox/klaviyo/_control/faults", faults)).EnsureSuccessStatusCode();
    }

    private async Task WaitUntilEverythingSyncedAsync()
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < deadline)
        {
            var status = await QueryAsync("{ syncStatus(forceFresh: true) { entities { lastSuccessAt } } }");
            if (status["syncStatus"]!["entities"]!.AsArray().All(e => e!["lastSuccessAt"] is not null))
                return;
            await Task.Delay(500);
        }
        throw new TimeoutException("The sandbox did not finish its first sync within 3 minutes.");
    }

    public new async Task DisposeAsync()
    {
        if (Browser is not null)
            await Browser.DisposeAsync();
        _playwright?.Dispose();
        await base.DisposeAsync();
        foreach (var file in new[] { _database, _database + "-wal", _database + "-shm" })
            File.Delete(file);
    }
}
