using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Klaviyo.Core.Data;

public static class DatabaseServiceCollectionExtensions
{
    /// <summary>
    /// Registers a pooled <see cref="IDbContextFactory{KlaviyoDbContext}"/> for the configured provider.
    /// A factory, not a scoped context: GraphQL.NET runs query resolvers in parallel. EF interceptors
    /// registered in DI (<see cref="IInterceptor"/>) are added to every context.
    /// </summary>
    public static IHostApplicationBuilder AddKlaviyoDatabase(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(DatabaseOptions.Section);
        builder.Services.Configure<DatabaseOptions>(section);
        var options = section.Get<DatabaseOptions>() ?? new DatabaseOptions();
        var connectionString = builder.Configuration.GetConnectionString("Klaviyo");
        builder.Services.AddSingleton<IInterceptor>(new CommandTracing(options.Provider));

        switch (options.Provider)
        {
            case DatabaseProvider.SqlServer:
                if (string.IsNullOrWhiteSpace(connectionString))
                    throw new InvalidOperationException("Database:Provider is SqlServer but ConnectionStrings:Klaviyo is not set.");
                builder.Services.AddPooledDbContextFactory<SqlServerKlaviyoDbContext>((sp, o) => o.UseSharedQueryCache().UseSqlServer(connectionString).AddInterceptors(sp.GetServices<IInterceptor>()));
                builder.Services.AddSingleton<IDbContextFactory<KlaviyoDbContext>, UpcastFactory<SqlServerKlaviyoDbContext>>();
                break;
            case DatabaseProvider.PostgreSql:
                if (string.IsNullOrWhiteSpace(connectionString))
                    throw new InvalidOperationException("Database:Provider is PostgreSql but ConnectionStrings:Klaviyo is not set.");
                builder.Services.AddPooledDbContextFactory<PostgreSqlKlaviyoDbContext>((sp, o) => o.UseSharedQueryCache().UseNpgsql(connectionString).AddInterceptors(sp.GetServices<IInterceptor>()));
                builder.Services.AddSingleton<IDbContextFactory<KlaviyoDbContext>, UpcastFactory<PostgreSqlKlaviyoDbContext>>();
                break;
            default:
                connectionString ??= DefaultSqliteConnectionString(builder.Environment.ContentRootPath, options.DataDirectory);
                builder.Services.AddPooledDbContextFactory<SqliteKlaviyoDbContext>((sp, o) => o.UseSharedQueryCache().UseSqlite(connectionString).AddInterceptors([.. sp.GetServices<IInterceptor>(), new SqliteConnectionSettings(options.SqliteCacheKiB)]));
                builder.Services.AddSingleton<IDbContextFactory<KlaviyoDbContext>, UpcastFactory<SqliteKlaviyoDbContext>>();
                break;
        }

        builder.Services.AddHostedService<DatabaseMigrator>();
        // Every SQL command at Information would drown the sync's own log lines.
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.Warning);
        return builder;
    }

    private static string DefaultSqliteConnectionString(string contentRoot, string dataDirectory)
    {
        var folder = Path.GetFullPath(Path.Combine(contentRoot, dataDirectory));
        Directory.CreateDirectory(folder);
        return $"Data Source={Path.Combine(folder, "klaviyo.db")}";
    }

    private sealed class UpcastFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<KlaviyoDbContext>
        where TContext : KlaviyoDbContext
    {
        public KlaviyoDbContext CreateDbContext() => inner.CreateDbContext();
    }
}
