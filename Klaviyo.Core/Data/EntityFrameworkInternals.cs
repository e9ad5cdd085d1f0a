using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Klaviyo.Core.Data;

/// <summary>
/// EF Core keeps its model and compiled queries in the memory cache of its internal service provider,
/// and keys that provider on the options' services. Every account's shell is a host of its own (its
/// own logger factory among them), so EF built a provider, a model and a compiled-query cache per
/// account (51 accounts: 103 models, each query compiled 51 times). One query cache for the process,
/// given to every context, makes them one.
/// </summary>
public static class EntityFrameworkInternals
{
    /// <summary>The compiled-query and model cache, as large as the one EF makes for itself.</summary>
    private static readonly IMemoryCache QueryCache = new MemoryCache(new MemoryCacheOptions { SizeLimit = 10_240 });

    public static DbContextOptionsBuilder UseSharedQueryCache(this DbContextOptionsBuilder options) => options.UseMemoryCache(QueryCache);
}
