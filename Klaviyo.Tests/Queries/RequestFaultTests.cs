using Klaviyo.Core.Errors;
using Klaviyo.Tests.Infrastructure;

namespace Klaviyo.Tests.Queries;

/// <summary>A database error the request caused is that request's error with a code, never the global database state.</summary>
public sealed class RequestFaultTests(SeededApiFactory factory) : IClassFixture<SeededApiFactory>
{
    [Fact]
    public async Task A_filter_with_more_values_than_the_database_takes_is_INVALID_INPUT_and_nothing_turns_FALLBACK()
    {
        // SQLite takes at most 32 766 parameters in a statement; PostgreSQL gets the list as one array parameter and answers.
        var values = Enumerable.Repeat("x", 33_000).ToArray();
        var client = factory.GraphQL();
        const string Query = "query($ids: [String]) { campaigns(where: { id: { in: $ids } }) { totalCount } }";
        if (ApiFactory.PostgreSqlServer is null)
            Assert.Equal("INVALID_INPUT", await client.ErrorCodeAsync(Query, new { ids = values }));
        else
            Assert.Equal(0, (await client.QueryAsync(Query, new { ids = values }))["campaigns"]!["totalCount"]!.GetValue<int>());
        Assert.True(factory.Service<ApiErrorBoard>().IsEmpty, "a request's own error raised a global one");
        var after = await client.QueryAsync("{ campaigns(first: 1) { dataSource } diagnostics { errors { code } } }");
        Assert.NotEqual("FALLBACK", after["campaigns"]!["dataSource"]!.GetValue<string>());
        Assert.Empty(after["diagnostics"]!["errors"]!.AsArray());
    }

    [Fact]
    public void Constraint_and_range_errors_are_the_requests_outages_are_the_databases()
    {
        var constraint = new Microsoft.Data.Sqlite.SqliteException("UNIQUE constraint failed: Events.Id", 19);
        var busy = new Microsoft.Data.Sqlite.SqliteException("database is locked", 5);

        Assert.Equal("CONFLICT", ErrorClassifier.RequestFault(new Microsoft.EntityFrameworkCore.DbUpdateException("save", constraint))!.Code);
        Assert.Null(ErrorClassifier.RequestFault(busy));
        Assert.True(ErrorClassifier.IsDatabaseOutage(busy));
        Assert.False(ErrorClassifier.IsDatabaseOutage(constraint));
        // A sync that broke a constraint failed itself; the database did not go away.
        Assert.Equal("SYNC_FAILED", ErrorClassifier.Classify(constraint).Code);
        Assert.Equal("DATABASE_UNAVAILABLE", ErrorClassifier.Classify(busy).Code);
    }
}
