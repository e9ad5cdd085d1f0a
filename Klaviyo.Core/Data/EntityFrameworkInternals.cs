using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Klaviyo.Core.Data;

/// <summary>
/// The services EF Core keys its internal service provider on — the logger factory and the query
/// cache — held once by the deployment and shared by every account's shell. With a logger factory
/// of its own per shell, EF built a service provider, a model and a compiled-query cache per account
/// (51 accounts: 103 models, each query compiled 51 times); shared, it builds them once. EF's own
/// messages therefore carry the deployment's categories, not the account's.
/// </summary>
public sealed class EntityFrameworkInternals(ILoggerFactory loggerFactory) : IDisposable
{
    public ILoggerFactory LoggerFactory { get; } = loggerFactory;

    /// <summary>The compiled-query cache, as large as the one EF makes for itself.</summary>
    public IMemoryCache QueryCache { get; } = new MemoryCache(new MemoryCacheOptions { SizeLimit = 10_240 });

    public DbContextOptionsBuilder Apply(DbContextOptionsBuilder options) => options.UseLoggerFactory(LoggerFactory).UseMemoryCache(QueryCache);

    public void Dispose() => QueryCache.Dispose();
}
