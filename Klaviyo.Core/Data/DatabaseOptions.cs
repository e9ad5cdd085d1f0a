namespace Klaviyo.Core.Data;

public sealed class DatabaseOptions
{
    public const string Section = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;
    /// <summary>Apply pending migrations when the app starts.</summary>
    public bool MigrateOnStartup { get; set; } = true;
    /// <summary>Folder for the embedded SQLite file when no connection string is given.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>
    /// SQLite's page cache per connection, in KiB; null is SQLite's default (2 MB). A connected
    /// account's store uses 512: a deployment of dozens of accounts pools a few connections per
    /// account, and their caches were most of its working set (the files stay in the OS's cache).
    /// </summary>
    public int? SqliteCacheKiB { get; set; }
}

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
    PostgreSql,
}
