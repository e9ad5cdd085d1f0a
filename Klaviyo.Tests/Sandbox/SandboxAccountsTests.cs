using System.Net;
using System.Text.Json;
using Klaviyo.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Klaviyo.Tests.Sandbox;

/// <summary>The sandbox plays several accounts, told apart by their keys as Klaviyo tells them apart: data, calendar, currency, quota, revocation and anchor of their own.</summary>
public sealed class SandboxAccountsTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"klaviyo-sandbox-{Guid.NewGuid():N}");

    private WebApplicationFactory<Klaviyo.Sandbox.Program> Sandbox(params (string Key, string Value)[] settings)
    {
        return new WebApplicationFactory<Klaviyo.Sandbox.Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Sandbox:HistoryDays", "3").UseSetting("Sandbox:EventsPerDay", "500").UseSetting("Sandbox:Profiles", "50")
                .UseSetting("Sandbox:LiveEventInterval", "1.00:00:00").UseSetting("Sandbox:AnchorFile", Path.Combine(_folder, "sandbox.json"));
            foreach (var (key, value) in settings)
                b.UseSetting(key, value);
        });
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(WebApplicationFactory<Klaviyo.Sandbox.Program> sandbox, string key, string pathAndQuery)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/sandbox/klaviyo/api/" + pathAndQuery);
        request.Headers.TryAddWithoutValidation("Authorization", $"Klaviyo-API-Key {key}");
        request.Headers.Add("revision", "2026-07-15");
        var response = await sandbox.CreateClient().SendAsync(request);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    private static async Task<(string Id, string Timezone, string Currency)> AccountAsync(WebApplicationFactory<Klaviyo.Sandbox.Program> sandbox, string key)
    {
        var (status, body) = await GetAsync(sandbox, key, "accounts");
        Assert.Equal(HttpStatusCode.OK, status);
        var account = body.GetProperty("data")[0];
        var attributes = account.GetProperty("attributes");
        return (account.GetProperty("id").GetString()!, attributes.GetProperty("timezone").GetString()!, attributes.GetProperty("preferred_currency").GetString()!);
    }

    private static async Task<List<JsonElement>> EventsAsync(WebApplicationFactory<Klaviyo.Sandbox.Program> sandbox, string key)
    {
        var (status, body) = await GetAsync(sandbox, key, "events?sort=datetime&page%5Bsize%5D=1000");
        Assert.Equal(HttpStatusCode.OK, status);
        return [.. body.GetProperty("data").EnumerateArray()];
    }

    [Fact]
    public async Task The_standalone_sandbox_plays_four_accounts_each_with_its_own_calendar_and_currency()
    {
        await using var sandbox = Sandbox();

        Assert.Equal(("SANDBX", "America/New_York", "USD"), await AccountAsync(sandbox, "pk_sandbox_local"));
        Assert.Equal(("LONDON", "Europe/London", "GBP"), await AccountAsync(sandbox, "pk_sandbox_london"));
        Assert.Equal(("TOKYOX", "Asia/Tokyo", "JPY"), await AccountAsync(sandbox, "pk_sandbox_tokyo"));
        Assert.Equal(("SYDNEY", "Australia/Sydney", "AUD"), await AccountAsync(sandbox, "pk_sandbox_sydney"));
    }

    [Fact]
    public async Task Each_account_has_data_of_its_own_and_yen_are_whole()
    {
        await using var sandbox = Sandbox();

        var main = await EventsAsync(sandbox, "pk_sandbox_local");
        var tokyo = await EventsAsync(sandbox, "pk_sandbox_tokyo");
        var ids = main.Select(e => e.GetProperty("id").GetString()).ToHashSet();

        Assert.NotEmpty(tokyo);
        Assert.DoesNotContain(tokyo, e => ids.Contains(e.GetProperty("id").GetString()));
        var yen = tokyo.Select(e => e.GetProperty("attributes").GetProperty("event_properties"))
            .Where(p => p.TryGetProperty("$value", out _)).Select(p => p.GetProperty("$value").GetDouble()).ToList();
        Assert.NotEmpty(yen);
        Assert.All(yen, v => Assert.Equal(Math.Round(v), v));
        Assert.True(yen.Average() > 1_000, $"orders average ¥{yen.Average():0}: prices are not scaled to yen");
    }

    [Fact]
    public async Task One_accounts_exhausted_quota_leaves_anothers_alone()
    {
        await using var sandbox = Sandbox();

        // The accounts endpoint's tier (XS) allows one call a second: the second within the second is throttled.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6 && !statuses.Contains(HttpStatusCode.TooManyRequests); i++)
            statuses.Add((await GetAsync(sandbox, "pk_sandbox_local", "accounts")).Status);
        var london = (await GetAsync(sandbox, "pk_sandbox_london", "accounts")).Status;

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.Equal(HttpStatusCode.OK, london);
    }

    [Fact]
    public async Task A_key_revoked_after_a_while_fails_authentication_and_the_others_still_work()
    {
        // Configured accounts replace the defaults; a key not named is the main key + "_<name>".
        await using var sandbox = Sandbox(("Sandbox:Accounts:Sydney:RevokeAfter", "00:00:00"), ("Sandbox:Accounts:London:Currency", "GBP"));

        var (status, body) = await GetAsync(sandbox, "pk_sandbox_local_sydney", "metrics");

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("authentication_failed", body.GetProperty("errors")[0].GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(sandbox, "pk_sandbox_local_london", "metrics")).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(sandbox, "pk_sandbox_local", "metrics")).Status);
    }

    [Fact]
    public async Task Each_account_keeps_its_own_start_across_restarts()
    {
        string first;
        await using (var sandbox = Sandbox())
            first = (await EventsAsync(sandbox, "pk_sandbox_london"))[0].GetProperty("attributes").GetProperty("datetime").GetString()!;

        Assert.True(File.Exists(Path.Combine(_folder, "sandbox.london.json")), "London's anchor is kept beside the main account's");
        await using (var restarted = Sandbox())
            Assert.Equal(first, (await EventsAsync(restarted, "pk_sandbox_london"))[0].GetProperty("attributes").GetProperty("datetime").GetString());
    }

    [Fact]
    public async Task Hosted_faults_are_set_per_account_and_an_unknown_account_is_404()
    {
        await using var app = new SandboxApiFactory();
        app.With("Sandbox:Accounts:London:Currency", "GBP");
        var client = app.CreateClient();
        static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

        var set = await client.PostAsync("/sandbox/klaviyo/_control/faults?account=london", Json("{\"outage\": true}"));
        var unknown = await client.PostAsync("/sandbox/klaviyo/_control/faults?account=nowhere", Json("{\"outage\": true}"));
        using var london = SandboxApiFactory.SandboxRequest(HttpMethod.Get, "/api/metrics");
        london.Headers.Remove("Authorization");
        london.Headers.TryAddWithoutValidation("Authorization", "Klaviyo-API-Key pk_sandbox_local_london");
        using var main = SandboxApiFactory.SandboxRequest(HttpMethod.Get, "/api/metrics");

        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.SendAsync(london)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(main)).StatusCode);
    }

    [Fact]
    public async Task Configured_accounts_replace_the_defaults_and_a_key_of_their_own_is_required()
    {
        await using var configured = Sandbox(("Sandbox:Accounts:Paris:Currency", "EUR"), ("Sandbox:Accounts:Paris:Timezone", "Europe/Paris"));
        Assert.Equal(("PARISX", "Europe/Paris", "EUR"), await AccountAsync(configured, "pk_sandbox_local_paris"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(configured, "pk_sandbox_london", "accounts")).Status);

        await using var clash = Sandbox(("Sandbox:Accounts:Paris:ApiKey", "pk_sandbox_local"));
        Assert.ThrowsAny<Exception>(() => clash.CreateClient());
    }
}
