using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Klaviyo.Tests.Infrastructure;

namespace Klaviyo.Tests.Sandbox;

/// <summary>
/// Both sides against Klaviyo's spec (the vendored request and response schemas): every body the
/// client sends during a whole sync validates — the report timeframes are RFC 3339 date-times with an
/// offset — and the sandbox refuses a body the real API would refuse, as Klaviyo does (400 pointing at
/// the member), and answers with every member the spec requires.
/// </summary>
public sealed class SpecConformanceTests(SandboxApiFactory factory) : IClassFixture<SandboxApiFactory>
{
    [Fact]
    public async Task Every_body_the_client_sends_in_a_whole_sync_is_valid_against_the_spec()
    {
        await factory.SyncEverythingOnceAsync();

        var validated = new HashSet<string>();
        var violations = new List<string>();
        foreach (var (method, path, body) in factory.ClientBodies)
        {
            var relative = path[path.IndexOf("/api/", StringComparison.Ordinal)..];
            var operation = SpecSchema.RequestFor(method.Method, relative);
            Assert.True(operation is not null, $"{method} {relative} sends a body whose schema is not vendored (Sandbox/Spec/extract-schemas.py)");
            using var document = JsonDocument.Parse(body);
            violations.AddRange(SpecSchema.Validate(document.RootElement, operation.Value.Schema).Select(v => $"{operation.Value.OperationId} {v}"));
            validated.Add(operation.Value.OperationId);
        }
        Assert.Empty(violations);
        Assert.Superset(new HashSet<string> { "query_campaign_values", "query_flow_values", "query_form_values" }, validated);
    }
}

/// <summary>The sandbox's side of the spec on its own account, its rate limits off so that these requests are judged on their bodies alone.</summary>
public sealed class SandboxRequestValidationTests(SandboxRequestValidationTests.Fixture sandbox) : IClassFixture<SandboxRequestValidationTests.Fixture>
{
    public sealed class Fixture : SandboxApiFactory
    {
        public Fixture() => With("Sandbox:RateLimits", "false");
    }

    /// <summary>A campaign values report of opens for Placed Order over a custom timeframe.</summary>
    private HttpRequestMessage CampaignReport(string start, string end)
    {
        var request = SandboxApiFactory.SandboxRequest(HttpMethod.Post, "/api/campaign-values-reports");
        request.Content = JsonContent.Create(new
        {
            data = new
            {
                type = "campaign-values-report",
                attributes = new
                {
                    statistics = new[] { "opens" },
                    conversion_metric_id = sandbox.Account.Metrics.First(m => m.Name == "Placed Order").Id,
                    timeframe = new { start, end },
                },
            },
        });
        return request;
    }

    [Theory]
    [InlineData("2025-12-06T00:00:00")]
    [InlineData("2025-12-06")]
    [InlineData("2025-12-06 00:00:00+00:00")]
    [InlineData("yesterday")]
    public async Task The_sandbox_refuses_a_timeframe_bound_that_is_not_an_RFC_3339_date_time_as_Klaviyo_does(string start)
    {
        using var request = CampaignReport(start, "2026-12-01T00:00:00-05:00");
        var response = await sandbox.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors")[0];
        Assert.Equal("invalid", error.GetProperty("code").GetString());
        Assert.Equal("/data/attributes/timeframe/start", error.GetProperty("source").GetProperty("pointer").GetString());
    }

    [Fact]
    public async Task The_sandbox_accepts_the_same_timeframe_with_an_offset()
    {
        using var request = CampaignReport("2026-11-01T00:00:00-04:00", "2026-12-01T00:00:00Z");
        var response = await sandbox.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_sandboxs_account_has_every_member_the_spec_requires_nested_ones_included()
    {
        using var request = SandboxApiFactory.SandboxRequest(HttpMethod.Get, "/api/accounts");
        var response = await sandbox.CreateClient().SendAsync(request);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        // The resources, not the links: real answers send "prev": null where the spec says a non-null uri (KLAVIYO-API.md §3).
        var violations = SpecSchema.Validate(document.RootElement.GetProperty("data"), SpecSchema.Response("get_accounts").GetProperty("properties").GetProperty("data"));
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }
}
