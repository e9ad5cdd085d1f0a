using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Klaviyo.Core.Data;
using Klaviyo.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Klaviyo.Tests.Data;

/// <summary>
/// A deployment's database from the version before several accounts (its schema migrated up to the
/// migration before <c>ConnectedAccounts</c>, full of a synced account), opened by this version: every
/// row is kept, every number answers the same, and it is the first account.
/// </summary>
public sealed class SingleAccountUpgradeTests : IDisposable
{
    private readonly string _path = ApiFactory.NewDatabasePath();

    private sealed class Instance(string path) : SandboxApiFactory(path);

    public void Dispose() => new Instance(_path) { KeepDatabase = false }.Dispose();

    [Fact]
    public async Task A_single_account_database_of_the_version_before_keeps_every_row_and_number()
    {
        var to = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);
        var query = $$"""
            { overview(range: { from: "{{to.AddDays(-2).ToString("O", CultureInfo.InvariantCulture)}}", to: "{{to.ToString("O", CultureInfo.InvariantCulture)}}" }) {
                totalRevenue { value } orders { value } activeSubscribers { value } formSubmissions { value } openRate { value } conversionRate { value } revenueSeries { start total } }
              campaigns(first: 50) { totalCount nodes { id name } } account { name currency timezone } }
            """;
        string before;
        Dictionary<string, long> rows;
        await using (var old = new Instance(_path) { KeepDatabase = true })
        {
            await old.SyncEverythingAsync();
            before = Rounded(await old.GraphQL().QueryAsync(query));
            await using var db = old.OpenDatabaseDirectly();
            rows = await CountAsync(db);
        }
        Assert.True(rows["Events"] > 0 && rows["CampaignStatistics"] > 0, "the old database holds a synced account");

        // What the version before several accounts left: its schema ends at the migration before ConnectedAccounts.
        await using (var never = new Instance(_path) { KeepDatabase = true }) // never started: its disposal would drop the database
        await using (var db = never.OpenDatabaseDirectly())
        {
            var migrations = db.Database.GetMigrations().ToList();
            var connected = migrations.FindIndex(m => m.EndsWith("_ConnectedAccounts", StringComparison.Ordinal));
            await db.GetService<IMigrator>().MigrateAsync(migrations[connected - 1]);
            Assert.DoesNotContain(await db.Database.GetAppliedMigrationsAsync(), m => m.EndsWith("_ConnectedAccounts", StringComparison.Ordinal));
        }

        await using var upgraded = new Instance(_path) { KeepDatabase = true };
        var client = upgraded.GraphQL();
        Assert.Equal(before, Rounded(await client.QueryAsync(query)));
        await using (var db = upgraded.OpenDatabaseDirectly())
            Assert.Equal(rows, await CountAsync(db));
        var accounts = (await client.QueryAsync("{ accounts { id isDefault currency } }"))["accounts"]!.AsArray();
        var only = Assert.Single(accounts);
        Assert.Equal(("default", true, "USD"), (only!["id"]!.GetValue<string>(), only["isDefault"]!.GetValue<bool>(), only["currency"]!.GetValue<string>()));
    }

    /// <summary>The answer with its numbers to 6 decimals: PostgreSQL may add the same values in another order from one plan to the next.</summary>
    private static string Rounded(JsonNode answer) =>
        Regex.Replace(answer.ToJsonString(), @"-?\d+\.\d+(E[-+]?\d+)?", m => Math.Round(double.Parse(m.Value, CultureInfo.InvariantCulture), 6).ToString("R", CultureInfo.InvariantCulture));

    private static async Task<Dictionary<string, long>> CountAsync(KlaviyoDbContext db) => new()
    {
        ["Events"] = await db.Events.LongCountAsync(),
        ["Profiles"] = await db.Profiles.LongCountAsync(),
        ["Metrics"] = await db.Metrics.LongCountAsync(),
        ["MetricRollups"] = await db.MetricRollups.LongCountAsync(),
        ["Campaigns"] = await db.Campaigns.LongCountAsync(),
        ["CampaignStatistics"] = await db.CampaignStatistics.LongCountAsync(),
        ["Flows"] = await db.Flows.LongCountAsync(),
        ["FlowStatistics"] = await db.FlowStatistics.LongCountAsync(),
        ["Forms"] = await db.Forms.LongCountAsync(),
        ["Lists"] = await db.Lists.LongCountAsync(),
        ["Segments"] = await db.Segments.LongCountAsync(),
        ["SyncStates"] = await db.SyncStates.LongCountAsync(),
        ["SyncRuns"] = await db.SyncRuns.LongCountAsync(),
        ["Accounts"] = await db.Accounts.LongCountAsync(),
    };
}
