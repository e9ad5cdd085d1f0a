namespace Klaviyo.Core.Data;

public sealed class DatabaseOptions
{
    public const string Section = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;
    /// <summary>Apply pending migrations when the app starts.</summary>
    public bool MigrateOnStartup { get; set; } = true;
    /// <summary>Folder for the embedded SQLite file when no connection string is given.</summary>
    public string DataDirectory { get; set; } = "data";
}

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
    PostgreSql,
}
