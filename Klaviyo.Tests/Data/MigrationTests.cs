using Klaviyo.GraphQL.Data;
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
    public void Both_providers_have_migrations_for_the_current_model()
    {
        using var sqlServer = SqlServer();
        using var sqlite = Sqlite();
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
}
