using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Klaviyo.Core.Data;

// Used by `dotnet ef` only: migrations are generated without starting the app.
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteKlaviyoDbContext>
{
    public SqliteKlaviyoDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteKlaviyoDbContext>().UseSqlite("Data Source=design.db").Options);
}

internal sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerKlaviyoDbContext>
{
    public SqlServerKlaviyoDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlServerKlaviyoDbContext>().UseSqlServer("Server=design;Database=Klaviyo").Options);
}

internal sealed class PostgreSqlDesignTimeFactory : IDesignTimeDbContextFactory<PostgreSqlKlaviyoDbContext>
{
    public PostgreSqlKlaviyoDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgreSqlKlaviyoDbContext>().UseNpgsql("Host=design;Database=klaviyo").Options);
}
