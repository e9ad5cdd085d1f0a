using System.Text.Json;
using Klaviyo.Api;
using Klaviyo.Core.RestClient;
using Klaviyo.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Klaviyo.Tests.RestClient;

public sealed class KlaviyoClientTests(SandboxApiFactory factory) : IClassFixture<SandboxApiFactory>
{
    private KlaviyoClient NewClient() => factory.Services.CreateScope().ServiceProvider.GetRequiredService<KlaviyoClient>();

    [Fact]
    public async Task Pacing_keeps_a_burst_of_requests_under_the_tier_limit()
    {
        var client = NewClient();
        var started = factory.Clock.GetTimestamp();
        for (var i = 0; i < 7; i++)
            await client.GetAsync("api/forms?page%5Bsize%5D=100", RateTier.S, CancellationToken.None); // 3 a second allowed

        // Seven calls at 3 a second take two full seconds (3 now, 3 a second later, 1 a second after
        // that) and meet no 429. The request count is not asserted: a 5xx the loaded CI machine's
        // server answered once would be retried, which is the client's job, not a pacing failure.
        Assert.True(factory.Clock.GetElapsedTime(started) >= TimeSpan.FromSeconds(1.95), $"7 requests took {factory.Clock.GetElapsedTime(started)}");
        Assert.Equal(0, client.Throttled);
        Assert.InRange(client.Requests, 7, 9);
    }

    [Fact]
    public async Task A_400_is_a_bug_reported_with_Klaviyos_detail_and_never_retried()
    {
        var client = NewClient();
        var error = await Assert.ThrowsAsync<KlaviyoException>(() =>
            client.GetAsync("api/lists?filter=" + Uri.EscapeDataString("equals(secret,'x')"), RateTier.L, CancellationToken.None));

        Assert.Equal(KlaviyoFailure.InvalidRequest, error.Failure);
        Assert.Equal(400, error.Status);
        Assert.Contains("'secret' is not a valid field", error.Message);
        Assert.Equal(1, client.Requests);
    }

    [Fact]
    public async Task Pages_are_followed_to_the_end()
    {
        var client = NewClient();
        var ids = new List<string>();
        await foreach (var page in client.GetPagesAsync("api/segments?page%5Bsize%5D=3", RateTier.L, CancellationToken.None))
            ids.AddRange(page.Data.Select(d => d.GetProperty("id").GetString()!));
        Assert.Equal(factory.Account.Segments.Select(s => s.Id), ids);
    }

    [Theory]
    [InlineData("https://a.klaviyo.com/api/events/?filter=x&page%5Bcursor%5D=abc", "api/events/?filter=x&page%5Bcursor%5D=abc")]
    [InlineData("http://127.0.0.1:5247/sandbox/klaviyo/api/profiles/?page%5Bcursor%5D=abc", "api/profiles/?page%5Bcursor%5D=abc")]
    public void Next_links_are_rebased_on_the_configured_base_url(string next, string expected)
    {
        using var document = JsonDocument.Parse(JsonSerializer.Serialize(new { data = Array.Empty<object>(), links = new { next } }));
        Assert.Equal(expected, JsonApiPage.From(document, "api/x").Next);
    }

    [Fact]
    public void A_page_without_links_is_the_last()
    {
        using var document = JsonDocument.Parse("""{"data":[{"type":"metric","id":"A"}]}""");
        Assert.Null(JsonApiPage.From(document, "api/metrics").Next);
    }
}

public sealed class KlaviyoFilterTests
{
    [Fact]
    public void Built_filters_parse_back_to_their_conditions()
    {
        var at = new DateTime(2026, 3, 1, 12, 30, 0, DateTimeKind.Utc);
        var text = KlaviyoFilter.And(KlaviyoFilter.EqualTo("messages.channel", "email"), KlaviyoFilter.Compare("greater-than", "updated_at", at), KlaviyoFilter.EqualTo("archived", false));
        Assert.Equal("and(equals(messages.channel,\"email\"),greater-than(updated_at,2026-03-01T12:30:00Z),equals(archived,false))", text);
        Assert.Equal(
            [new FilterCondition("equals", "messages.channel", "email"), new FilterCondition("greater-than", "updated_at", at), new FilterCondition("equals", "archived", false)],
            KlaviyoFilter.Parse(text));
    }

    [Fact]
    public void Comma_lists_quotes_and_lists_parse()
    {
        var conditions = KlaviyoFilter.Parse("any(id,['a',\"b\"]),less-than(updated,2023-04-26T00:00:00Z),has(profile)");
        Assert.Equal(["a", "b"], (List<object?>)conditions[0].Value!);
        Assert.Equal(new DateTime(2023, 4, 26, 0, 0, 0, DateTimeKind.Utc), conditions[1].Value);
        Assert.Equal(("has", "profile", (object?)null), (conditions[2].Operator, conditions[2].Field, conditions[2].Value));
    }

    [Theory]
    [InlineData("equals(email,a@b.com)")]   // an unquoted string
    [InlineData("equals(name,'x'")]
    [InlineData("(name,'x')")]
    [InlineData("equals(name,'x') trailing")]
    public void Malformed_filters_are_refused(string text) =>
        Assert.Throws<FormatException>(() => KlaviyoFilter.Parse(text));
}
