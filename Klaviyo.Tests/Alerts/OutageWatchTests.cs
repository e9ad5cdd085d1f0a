using System.Text.Json.Nodes;
using Klaviyo.Core.Alerts;
using Klaviyo.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Klaviyo.Tests.Alerts;

/// <summary>The database unreachable: told straight to the contact points (the outbox is in the database), once, resolved and logged when it is back.</summary>
public sealed class OutageWatchTests : IAsyncLifetime
{
    private readonly DatabaseFaults _database = new();
    private readonly ApiFactory _factory;

    public OutageWatchTests() => _factory = new ApiFactory()
        // The test makes each look itself (the watch's own loop looks once at start, then in an hour).
        .With("Alerts:Enabled", "true").With("Alerts:OutageCheck", "01:00:00").With("Alerts:OutageAfter", "00:00:00").With("Alerts:Tick", "01:00:00")
        .WithServices(s => s.AddSingleton<IInterceptor>(_database));

    public Task InitializeAsync() => _factory.SeedAsync(TestData.Seed);

    public Task DisposeAsync()
    {
        _factory.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task An_unreachable_database_is_told_once_then_resolved_and_logged_when_it_answers()
    {
        await using var receiver = await HookReceiver.StartAsync();
        await _factory.GraphQL().QueryAsync($$"""mutation { createContactPoint(input: { name: "on call", kind: "WEBHOOK", url: "{{receiver.Url}}" }) { secret } }""");
        await _factory.GraphQL().QueryAsync("mutation { evaluateAlerts { to } }"); // the built-in rules exist
        var watch = _factory.Service<OutageWatch>();
        await watch.CheckAsync(CancellationToken.None); // remembers whom to tell

        _database.Down = true;
        await watch.CheckAsync(CancellationToken.None);
        await watch.CheckAsync(CancellationToken.None); // still down: nothing new
        _database.Down = false;
        await watch.CheckAsync(CancellationToken.None);

        var told = receiver.Requests.Where(r => r.Body.Contains("Database unreachable", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, told.Count);
        var states = told.Select(r => JsonNode.Parse(r.Body)!["alerts"]![0]!["state"]!.GetValue<string>()).ToList();
        Assert.Equal(["FIRING", "RESOLVED"], states);
        Assert.Contains("cannot reach the database", told[0].Body);
        Assert.NotEqual(told[0].Headers["webhook-id"].ToString(), told[1].Headers["webhook-id"].ToString());

        await using var db = _factory.OpenDatabaseDirectly();
        var log = await db.AlertLog.AsNoTracking().Where(e => e.RuleName == "Database unreachable").OrderBy(e => e.At).Select(e => e.To).ToListAsync();
        Assert.Equal(["Firing", "Resolved"], log);
    }
}
