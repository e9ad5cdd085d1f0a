using Klaviyo.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.Testing.Processes;

/// <summary>A context on the SQLite file an app process writes, for checking what it stored (no pooling: the file is deleted afterwards).</summary>
public static class SqliteFile
{
    public static KlaviyoDbContext Open(string path) =>
        new SqliteKlaviyoDbContext(new DbContextOptionsBuilder<SqliteKlaviyoDbContext>().UseSqlite($"Data Source={path};Pooling=False").Options);
}
