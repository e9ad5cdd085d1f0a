using System.Text.Json;
using Klaviyo.GraphQL.Execution;
using Klaviyo.Tests.Infrastructure;

namespace Klaviyo.Tests.Transport;

/// <summary>
/// A cached page's rows are executed once per selection and then written from the JSON kept with them
/// (the whole-response cache misses here: each body carries another request id, as a tracing client sends).
/// </summary>
public sealed class ListJsonTests(SeededApiFactory factory) : IClassFixture<SeededApiFactory>
{
    private int _requests;

    private async Task<JsonElement> QueryAsync(string query, object? variables = null)
    {
        var body = JsonSerializer.Serialize(new { query, variables, extensions = new { requestId = Interlocked.Increment(ref _requests) } });
        var response = await factory.GraphQL().SendRawAsync(body);
        Assert.True(response.Errors is null, response.Body);
        return JsonDocument.Parse(response.Body).RootElement.GetProperty("data").Clone();
    }

    [Fact]
    public async Task The_rows_of_a_cached_page_are_written_from_their_kept_JSON_and_read_the_same()
    {
        const string query = "query ListJsonKept { campaigns(first: 10, order: [{ name: ASC }]) { nodes { id name status sendTime openRate revenue } totalCount dataSource } }";
        var cache = factory.Service<ListJsonCache>();

        var first = await QueryAsync(query);
        var (served, kept) = (cache.Served, cache.Kept);
        var second = await QueryAsync(query);

        Assert.Equal(served + 1, cache.Served);
        Assert.Equal(kept, cache.Kept);
        Assert.Equal(first.GetProperty("campaigns").GetProperty("nodes").GetRawText(), second.GetProperty("campaigns").GetProperty("nodes").GetRawText());
        Assert.Equal(5, second.GetProperty("campaigns").GetProperty("nodes").GetArrayLength());
        Assert.Equal("Autumn Draft", second.GetProperty("campaigns").GetProperty("nodes")[0].GetProperty("name").GetString());
        Assert.Equal("CACHE", second.GetProperty("campaigns").GetProperty("dataSource").GetString());
    }

    [Fact]
    public async Task A_KPI_card_is_written_from_its_kept_JSON_until_the_sync_clock_moves()
    {
        const string query = "query ListJsonKpi { overview(range: { preset: LAST_30_DAYS }) { totalRevenue { value changePercent lastUpdated } } }";
        var cache = factory.Service<ListJsonCache>();

        var first = (await QueryAsync(query)).GetProperty("overview").GetProperty("totalRevenue");
        var (served, kept) = (cache.Served, cache.Kept);
        var second = (await QueryAsync(query)).GetProperty("overview").GetProperty("totalRevenue");

        Assert.Equal(served + 1, cache.Served);
        Assert.Equal(kept, cache.Kept);
        Assert.Equal(first.GetRawText(), second.GetRawText());
        Assert.NotEqual(JsonValueKind.Null, second.GetProperty("value").ValueKind);

        // A sync confirmed what revenue reads: the card says so at once, not from its kept JSON.
        var confirmed = second.GetProperty("lastUpdated").GetDateTime().ToUniversalTime().AddMinutes(7);
        var clock = factory.Service<Klaviyo.Core.Freshness.SyncClock>();
        foreach (var entity in Klaviyo.Core.Overview.OverviewReader.EventReads)
            clock.Confirmed(entity, confirmed);
        var third = (await QueryAsync(query)).GetProperty("overview").GetProperty("totalRevenue");

        Assert.Equal(confirmed, third.GetProperty("lastUpdated").GetDateTime().ToUniversalTime());
        Assert.Equal(second.GetProperty("value").GetRawText(), third.GetProperty("value").GetRawText());
    }

    [Fact]
    public async Task A_selection_that_reads_a_variable_is_executed_every_time()
    {
        const string query = "query ListJsonVariable($named: Boolean!) { campaigns(first: 10) { nodes { id name @include(if: $named) } } }";
        var cache = factory.Service<ListJsonCache>();
        var kept = cache.Kept;

        var named = await QueryAsync(query, new { named = true });
        var unnamed = await QueryAsync(query, new { named = false });

        Assert.Equal(kept, cache.Kept);
        Assert.All(named.GetProperty("campaigns").GetProperty("nodes").EnumerateArray(), n => Assert.True(n.TryGetProperty("name", out _)));
        Assert.All(unnamed.GetProperty("campaigns").GetProperty("nodes").EnumerateArray(), n => Assert.False(n.TryGetProperty("name", out _)));
    }

    [Fact]
    public async Task Rows_a_sync_changed_are_executed_anew()
    {
        const string query = "query ListJsonChanged { segments(first: 10, order: [{ name: ASC }]) { nodes { id name profileCount } } }";
        await QueryAsync(query);
        await QueryAsync(query);

        await factory.SeedAsync(db => db.Segments.Single(s => s.Id == "S2").Name = "VIP renamed");
        var after = await QueryAsync(query);

        Assert.Contains(after.GetProperty("segments").GetProperty("nodes").EnumerateArray(), n => n.GetProperty("name").GetString() == "VIP renamed");
        Assert.DoesNotContain(after.GetProperty("segments").GetProperty("nodes").EnumerateArray(), n => n.GetProperty("name").GetString() == "VIP");
    }

    [Fact]
    public async Task A_selection_past_the_kept_ones_replaces_the_oldest_and_is_then_served()
    {
        // Five selections of one cached page (its key is the page's arguments, the same for all five).
        var queries = Enumerable.Range(1, ListJsonCache.SelectionsPerList + 1)
            .Select(n => $"query ListJsonFull{n} {{ lists(first: 10) {{ nodes {{ id {string.Join(" ", new[] { "name", "profileCount", "optInProcess", "created", "updated" }.Take(n))} }} }} }}")
            .ToArray();
        foreach (var query in queries)
            await QueryAsync(query);
        var served = factory.Service<ListJsonCache>().Served;

        await QueryAsync(queries[^1]);

        Assert.Equal(served + 1, factory.Service<ListJsonCache>().Served);
    }

    [Fact]
    public async Task Concurrent_first_requests_for_one_text_share_one_parsed_document()
    {
        var documents = factory.Service<Klaviyo.GraphQL.Transport.DocumentCache>();
        // Long enough that its parse takes a while: the threads released together are all parsing at once.
        var fields = string.Join(" ", Enumerable.Range(0, 2000).Select(i => $"c{i}: campaigns(first: 5) {{ nodes {{ id name }} }}"));
        var text = $"query ListJsonRace{Guid.NewGuid():N} {{ {fields} }}";
        using var start = new Barrier(4);

        var parsed = await Task.WhenAll(Enumerable.Range(0, start.ParticipantCount).Select(_ => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            return documents.GetOrParse(text);
        }, TaskCreationOptions.LongRunning)));

        Assert.Single(parsed.Select(p => p!.Document).Distinct());
    }
}
