using System.Net;
using System.Text.Json;
using Klaviyo.Tests.Infrastructure;

namespace Klaviyo.Tests.Sandbox;

/// <summary>Auth, revision, validation, paging and rate limits the way Klaviyo answers them.</summary>
public sealed class SandboxProtocolTests(SandboxApiFactory factory) : IClassFixture<SandboxApiFactory>
{
    private async Task<(HttpResponseMessage Response, JsonElement Body)> GetAsync(string pathAndQuery, string? key = "pk_sandbox_local", string? revision = "2026-07-15", string? scheme = "Klaviyo-API-Key")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/sandbox/klaviyo" + pathAndQuery);
        if (key is not null)
            request.Headers.TryAddWithoutValidation("Authorization", $"{scheme} {key}");
        if (revision is not null)
            request.Headers.Add("revision", revision);
        var response = await factory.CreateClient().SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private static string ErrorCode(JsonElement body) => body.GetProperty("errors")[0].GetProperty("code").GetString()!;

    [Fact]
    public async Task A_missing_key_is_not_authenticated_and_a_wrong_one_fails_authentication()
    {
        var missing = await GetAsync("/api/metrics", key: null);
        var bearer = await GetAsync("/api/metrics", scheme: "Bearer");
        var wrong = await GetAsync("/api/metrics", key: "pk_wrong");

        Assert.Equal((HttpStatusCode.Unauthorized, "not_authenticated"), (missing.Response.StatusCode, ErrorCode(missing.Body)));
        Assert.Equal(HttpStatusCode.Unauthorized, bearer.Response.StatusCode);
        Assert.Equal((HttpStatusCode.Unauthorized, "authentication_failed"), (wrong.Response.StatusCode, ErrorCode(wrong.Body)));
        Assert.Equal("application/vnd.api+json", wrong.Response.Content.Headers.ContentType!.MediaType);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("yesterday")]
    public async Task The_revision_header_is_required(string? revision)
    {
        var (response, body) = await GetAsync("/api/metrics", revision: revision);
        Assert.Equal((HttpStatusCode.BadRequest, "invalid"), (response.StatusCode, ErrorCode(body)));
    }

    [Theory]
    [InlineData("/api/campaigns")]                                                                  // the channel filter is required
    [InlineData("/api/campaigns?filter=equals(messages.channel,'email'),contains(status,'Sent')")]  // status takes any/equals only
    [InlineData("/api/lists?filter=equals(secret,'x')")]                                            // no such field
    [InlineData("/api/lists?filter=equals(name,unquoted)")]                                         // strings need quotes
    [InlineData("/api/lists?sort=-nope")]
    [InlineData("/api/lists?page%5Bsize%5D=11")]
    [InlineData("/api/segments?page%5Bsize%5D=0")]
    [InlineData("/api/metrics?page%5Bsize%5D=10")]                                                  // metrics have no page[size]
    [InlineData("/api/events?page%5Bcursor%5D=forged")]
    public async Task Unsupported_filters_sorts_page_sizes_and_cursors_are_400_invalid(string pathAndQuery)
    {
        var (response, body) = await GetAsync(pathAndQuery);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid", ErrorCode(body));
        Assert.Equal("Invalid input.", body.GetProperty("errors")[0].GetProperty("title").GetString());
    }

    [Fact]
    public async Task Pages_link_to_the_next_one_with_an_absolute_url_until_the_last()
    {
        var seen = new List<string>();
        var next = "/api/segments/";
        while (next is not null)
        {
            var (response, body) = await GetAsync(next);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            seen.AddRange(body.GetProperty("data").EnumerateArray().Select(d => d.GetProperty("id").GetString()!));
            var link = body.GetProperty("links").GetProperty("next");
            if (link.ValueKind == JsonValueKind.Null)
                break;
            var uri = new Uri(link.GetString()!);
            Assert.True(uri.IsAbsoluteUri);
            Assert.Contains("page%5Bcursor%5D=", uri.Query);
            next = uri.PathAndQuery["/sandbox/klaviyo".Length..];
        }
        Assert.Equal(factory.Account.Segments.Select(s => s.Id), seen);
    }

    [Fact]
    public async Task Going_past_the_burst_limit_gets_429_with_Retry_After_and_no_RateLimit_headers()
    {
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 5; i++)
            answers.Add((await GetAsync("/api/forms")).Response); // forms: 3 a second

        var ok = answers.First(a => a.IsSuccessStatusCode);
        var throttled = answers.First(a => a.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.True(ok.Headers.Contains("RateLimit-Limit") && ok.Headers.Contains("RateLimit-Remaining") && ok.Headers.Contains("RateLimit-Reset"));
        Assert.True(throttled.Headers.RetryAfter!.Delta >= TimeSpan.FromSeconds(1));
        Assert.False(throttled.Headers.Contains("RateLimit-Limit"));
    }

    [Fact]
    public async Task Fault_injection_is_configured_through_the_control_endpoint()
    {
        var client = factory.CreateClient();
        var set = await client.PostAsync("/sandbox/klaviyo/_control/faults", new StringContent("{\"outage\": true}", System.Text.Encoding.UTF8, "application/json"));
        var during = await GetAsync("/api/accounts");
        var refused = await client.PostAsync("/sandbox/klaviyo/_control/faults", new StringContent("{\"errorRate\": 2}", System.Text.Encoding.UTF8, "application/json"));
        var cleared = await client.PostAsync("/sandbox/klaviyo/_control/faults", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        var after = await GetAsync("/api/accounts");

        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, during.Response.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.Response.StatusCode);
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_account()
    {
        var (_, first) = await GetAsync("/api/flows");
        await using var other = new SandboxApiFactory();
        using var request = SandboxApiFactory.SandboxRequest(HttpMethod.Get, "/api/flows");
        var second = JsonDocument.Parse(await (await other.CreateClient().SendAsync(request)).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(first.GetProperty("data").ToString(), second.GetProperty("data").ToString());
    }
}
