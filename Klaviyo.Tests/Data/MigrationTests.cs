using Klaviyo.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Klaviyo.Tests.Data;

public sealed class MigrationTests
{
    private static SqlServerKlaviyoDbContext SqlServer() =>
        new(new DbContextOptionsBuilder<SqlServerKlaviyoDbContext>().UseSqlServer("Server=unreachable;Database=Klaviyo").Options);

    private static SqliteKlaviyoDbContext Sqlite(string path = ":memory:") =>
        new(new DbContextOptionsBuilder<SqliteKlaviyoDbContext>().UseSqlite($"Data Source={path}").Options);

    [Fact]
    public void SQL_Server_migrations_create_every_table_and_index_of_the_model()
    {
        using var db = SqlServer();
        var script = db.GetService<IMigrator>().GenerateScript();

        foreach (var entity in db.Model.GetEntityTypes())
        {
            Assert.Contains($"CREATE TABLE [{entity.GetTableName()}]", script);
            foreach (var index in entity.GetIndexes())
                Assert.Contains($"INDEX [{index.GetDatabaseName()}] ON [{entity.GetTableName()}]", script);
            Assert.Contains($"CONSTRAINT [{entity.FindPrimaryKey()!.GetName()}] PRIMARY KEY", script);
        }
    }

    [Fact]
    public void SQL_Server_money_and_timestamps_use_server_types()
    {
        using var db = SqlServer();
        var script = db.GetService<IMigrator>().GenerateScript();
        Assert.Contains("[Datetime] datetime2 NOT NULL", script);
        Assert.Contains("[SumValue] float NOT NULL", script);
        Assert.Contains("[Name] nvarchar(400) NOT NULL", script);
    }

    [Fact]
    public void Every_provider_has_migrations_for_the_current_model()
    {
        using var sqlServer = SqlServer();
        using var sqlite = Sqlite();
        using var postgreSql = new PostgreSqlKlaviyoDbContext(new DbContextOptionsBuilder<PostgreSqlKlaviyoDbContext>().UseNpgsql("Host=unreachable;Database=klaviyo").Options);
        Assert.False(postgreSql.Database.HasPendingModelChanges(), "Add a PostgreSQL migration: dotnet ef migrations add <Name> --project Klaviyo.GraphQL --context PostgreSqlKlaviyoDbContext --output-dir Data/Migrations/PostgreSql");
        Assert.Equal(postgreSql.Model.GetEntityTypes().Count(), sqlite.Model.GetEntityTypes().Count());
        Assert.False(sqlServer.Database.HasPendingModelChanges(), "Add a SQL Server migration: dotnet ef migrations add <Name> --project Klaviyo.GraphQL --context SqlServerKlaviyoDbContext --output-dir Data/Migrations/SqlServer");
        Assert.False(sqlite.Database.HasPendingModelChanges(), "Add a SQLite migration: dotnet ef migrations add <Name> --project Klaviyo.GraphQL --context SqliteKlaviyoDbContext --output-dir Data/Migrations/Sqlite");
        Assert.Equal(sqlServer.Model.GetEntityTypes().Count(), sqlite.Model.GetEntityTypes().Count());
    }

    [Fact]
    public async Task SQLite_migrations_apply_to_an_empty_file_and_create_every_table()
    {
        var path = Path.Combine(Path.GetTempPath(), $"migrate-{Guid.NewGuid():N}.db");
        try
        {
            await using (var db = Sqlite(path + ";Pooling=False"))
            {
                await db.Database.MigrateAsync();
                var connection = db.Database.GetDbConnection();
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT name FROM sqlite_master WHERE type IN ('table', 'index')";
                var names = new List<string>();
                await using (var reader = await command.ExecuteReaderAsync())
                    while (await reader.ReadAsync())
                        names.Add(reader.GetString(0));

                foreach (var entity in db.Model.GetEntityTypes())
                {
                    Assert.Contains(entity.GetTableName()!, names);
                    foreach (var index in entity.GetIndexes())
                        Assert.Contains(index.GetDatabaseName()!, names);
                }
                Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task SQLite_migrations_go_down_and_up_again_and_the_report_rows_survive_the_metric_and_channel_key()
    {
        var path = Path.Combine(Path.GetTempPath(), $"migrate-{Guid.NewGuid():N}.db");
        try
        {
            await using var db = Sqlite(path + ";Pooling=False");
            var migrator = db.GetService<IMigrator>();
            var all = db.Database.GetMigrations().ToList();
            var before = all[all.FindIndex(m => m.EndsWith("_ReportsPerMetricAndChannel", StringComparison.Ordinal)) - 1];

            // A database of the previous version, with a campaign's and a flow's report rows.
            await migrator.MigrateAsync(before);
            await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO "Metrics" ("Id", "Name", "Created", "Updated") VALUES ('PO', 'Placed Order', '2026-11-01', '2026-11-01');
                INSERT INTO "Campaigns" ("Id", "Name", "Status", "Channel", "Archived", "CreatedAt", "UpdatedAt") VALUES ('C1', 'Sale', 'Sent', 'sms', 0, '2026-11-01', '2026-11-01');
                INSERT INTO "Flows" ("Id", "Name", "Status", "Archived", "Created", "Updated") VALUES ('F1', 'Welcome', 'live', 0, '2026-11-01', '2026-11-01');
                INSERT INTO "CampaignStatistics" ("CampaignId", "WindowStart", "WindowEnd", "FetchedAt", "Values_Bounced", "Values_Clicks", "Values_ClicksUnique", "Values_ConversionUniques", "Values_ConversionValue", "Values_Conversions", "Values_Delivered", "Values_Opens", "Values_OpensUnique", "Values_Recipients", "Values_SpamComplaints", "Values_Unsubscribes")
                    VALUES ('C1', '2026-01-01', '2026-11-02', '2026-11-02', 0, 5, 4, 2, 99.5, 2, 100, 0, 0, 100, 0, 0);
                INSERT INTO "FlowStatistics" ("FlowId", "WindowStart", "WindowEnd", "FetchedAt", "Values_Bounced", "Values_Clicks", "Values_ClicksUnique", "Values_ConversionUniques", "Values_ConversionValue", "Values_Conversions", "Values_Delivered", "Values_Opens", "Values_OpensUnique", "Values_Recipients", "Values_SpamComplaints", "Values_Unsubscribes")
                    VALUES ('F1', '2026-01-01', '2026-11-02', '2026-11-02', 0, 7, 6, 3, 150, 3, 200, 80, 70, 200, 0, 0);
                """);

            await migrator.MigrateAsync();
            var campaign = await db.CampaignStatistics.AsNoTracking().SingleAsync();
            var flow = await db.FlowStatistics.AsNoTracking().SingleAsync();
            Assert.Equal(("C1", "PO", "sms", 100, 99.5), (campaign.CampaignId, campaign.ConversionMetricId, campaign.Channel, campaign.Values.Delivered, campaign.Values.ConversionValue));
            Assert.Equal(("F1", "PO", "email", 70), (flow.FlowId, flow.ConversionMetricId, flow.Channel, flow.Values.OpensUnique));

            // Another metric's row cannot go back: the previous key holds one row per campaign.
            db.CampaignStatistics.Add(new CampaignStatistics { CampaignId = "C1", ConversionMetricId = "OTHER", Channel = "sms", Values = new MessageStatistics { Delivered = 1 } });
            await db.SaveChangesAsync();
            await migrator.MigrateAsync(before);
            await using (var command = db.Database.GetDbConnection().CreateCommand())
            {
                await db.Database.OpenConnectionAsync();
                command.CommandText = """SELECT "Values_Delivered" FROM "CampaignStatistics" WHERE "CampaignId" = 'C1'""";
                Assert.Equal(100L, await command.ExecuteScalarAsync());
                await db.Database.CloseConnectionAsync();
            }

            // Every migration down to nothing, then up again.
            await migrator.MigrateAsync(Migration.InitialDatabase);
            await migrator.MigrateAsync();
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            Assert.Empty(await db.CampaignStatistics.ToListAsync());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
