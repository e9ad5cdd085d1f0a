using Npgsql;

namespace Klaviyo.Testing.Processes;

/// <summary>Throwaway PostgreSQL databases (the tests' and benchmarks' own, one per app).</summary>
public static class PostgreSqlDatabase
{
    /// <summary>Drops <paramref name="database"/> on <paramref name="server"/> (a connection string without a database), closing whatever is still connected.</summary>
    public static void Drop(string server, string database)
    {
        NpgsqlConnection.ClearAllPools();
        using var connection = new NpgsqlConnection($"{server};Database=postgres");
        connection.Open();
        using var drop = connection.CreateCommand();
        drop.CommandText = $"DROP DATABASE IF EXISTS \"{database.Replace("\"", "\"\"")}\" WITH (FORCE)";
        drop.ExecuteNonQuery();
    }
}
