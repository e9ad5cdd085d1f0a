using System.Net;
using System.Net.Http.Json;
using Klaviyo.Core.Data;
using Klaviyo.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Klaviyo.Tests.Sandbox;

/// <summary>
/// Who can use the sandbox's Klaviyo API: hosted in the app, only the app itself (a key of the
/// process's own); standalone, only this machine unless told otherwise; and it delivers webhooks to
/// the app's receiver alone, never to an address a caller names.
/// </summary>
public sealed class SandboxExposureTests
{
    private static HttpRequestMessage CreateWebhook(string key, string endpoint, string topic = "event:klaviyo.opened_email")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/sandbox/klaviyo/api/webhooks")
        {
            Content = JsonContent.Create(new
            {
                data = new
                {
                    type = "webhook",
                    attributes = new { name = "mine", endpoint_url = endpoint, secret_key = "a-secret-of-my-own" },
                    relationships = new Dictionary<string, object> { ["webhook-topics"] = new { data = new[] { new { type = "webhook-topic", id = topic } } } },
                },
            }),
        };
        request.Headers.TryAddWithoutValidation("Authorization", $"Klaviyo-API-Key {key}");
        request.Headers.Add("revision", "2026-07-15");
        return request;
    }

    [Fact]
    public async Task Hosted_without_a_configured_key_the_sandbox_answers_only_its_own_app()
    {
        await using var factory = new SandboxApiFactory();
        factory.With("Sandbox:ApiKey", null);
        using var request = SandboxApiFactory.SandboxRequest(HttpMethod.Get, "/api/accounts");
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient().SendAsync(request)).StatusCode);

        var run = await factory.SyncAsync(SyncEntity.Account);
        Assert.Equal(SyncRunOutcome.Succeeded, run.Outcome);
    }

    [Theory]
    [InlineData("http://127.0.0.1:6379/")]
    [InlineData("https://evil.example/hook")]
    [InlineData("http://localhost/webhooks/other")]
    [InlineData("http://localhost/webhooks/klaviyo/london/deeper")]
    [InlineData("http://localhost/webhooks/klaviyox")]
    public async Task Hosted_the_sandbox_delivers_webhooks_only_to_the_apps_receiver(string endpoint)
    {
        await using var factory = new SandboxApiFactory();
        factory.With("Klaviyo:Webhooks:PublicUrl", "http://localhost").With("Sandbox:RateLimits", "false"); // the app registers its own at once
        var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.BadRequest, (await client.SendAsync(CreateWebhook("pk_sandbox_local", endpoint))).StatusCode);
        using var allowed = await client.SendAsync(CreateWebhook("pk_sandbox_local", "http://localhost/webhooks/klaviyo"));
        Assert.True(allowed.StatusCode == HttpStatusCode.Created, await allowed.Content.ReadAsStringAsync());
        // An added account's receiver, one segment beneath the app's.
        using var account = await client.SendAsync(CreateWebhook("pk_sandbox_local", "http://localhost/webhooks/klaviyo/london"));
        Assert.True(account.StatusCode == HttpStatusCode.Created, await account.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Standalone_the_sandbox_refuses_to_listen_on_a_network_address_unless_told()
    {
        var (exitCode, output) = await DashboardProcess.RunProjectAsync("Klaviyo.Sandbox", ["--urls", "http://0.0.0.0:0"]);
        Assert.Equal(1, exitCode);
        Assert.Contains("Sandbox:AllowNetwork", output);
    }

    [Fact]
    public async Task Standalone_without_webhook_targets_the_sandbox_delivers_nowhere()
    {
        await using var sandbox = new WebApplicationFactory<Klaviyo.Sandbox.Program>().WithWebHostBuilder(b => b
            .UseSetting("Sandbox:HistoryDays", "1").UseSetting("Sandbox:EventsPerDay", "10").UseSetting("Sandbox:Profiles", "5").UseSetting("Sandbox:AnchorFile", ""));
        Assert.Equal(HttpStatusCode.BadRequest, (await sandbox.CreateClient().SendAsync(CreateWebhook("pk_sandbox_local", "http://127.0.0.1:5201/webhooks/klaviyo"))).StatusCode);
    }
}
