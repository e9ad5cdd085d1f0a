using System.Text.Json;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using ZiggyCreatures.Caching.Fusion;
using ZiggyCreatures.Caching.Fusion.Backplane.StackExchangeRedis;
using ZiggyCreatures.Caching.Fusion.Serialization.SystemTextJson;

namespace Klaviyo.Core.Coordination;

/// <summary>
/// With <c>Coordination:Redis</c>, the cache gets Redis as its second level (a result one instance
/// computed, another reads instead of asking the database) and as its backplane (an eviction on one
/// instance evicts every instance's memory copy), on the process's one Redis connection. Redis down:
/// its operations fail fast, the circuit breakers open, and each instance serves from memory and the
/// database until it is back (auto-recovery then replays what the backplane missed). Both levels get
/// the connection through <see cref="RedisConnection.SharedAsync"/>: they dispose what they are given.
/// </summary>
public static class RedisCacheLevels
{
    private static readonly TimeSpan CircuitBreaker = TimeSpan.FromSeconds(2);

    public static IFusionCacheBuilder WithRedisWhenCoordinated(this IFusionCacheBuilder cache, IConfiguration configuration)
    {
        if (string.IsNullOrWhiteSpace(configuration[$"{CoordinationOptions.Section}:Redis"]))
            return cache;
        return cache
            .WithOptions(o =>
            {
                o.DistributedCacheCircuitBreakerDuration = CircuitBreaker;
                o.BackplaneCircuitBreakerDuration = CircuitBreaker;
                // An outage is one warning as the breaker opens ("temporarily de-activated") and one as it
                // closes, not a stack trace per request.
                o.DistributedCacheErrorsLogLevel = LogLevel.Debug;
                o.BackplaneErrorsLogLevel = LogLevel.Debug;
                // Keys and channels of several deployments (and of a deployment's accounts) on one Redis stay apart.
                var coordination = configuration.GetSection(CoordinationOptions.Section).Get<CoordinationOptions>() ?? new CoordinationOptions();
                o.CacheKeyPrefix = coordination.RedisPrefix;
                // An account's evictions reach that account's caches only (the deployment keeps the default channel).
                if (coordination.Account is not null)
                    o.BackplaneChannelPrefix = $"{coordination.RedisPrefix}cache";
            })
            // Fields included: results hold value tuples ((long Count, double Sum)), whose items are fields.
            .WithSerializer(new FusionCacheSystemTextJsonSerializer(new JsonSerializerOptions { IncludeFields = true }))
            .WithDistributedCache(sp => new RedisCache(new RedisCacheOptions
            {
                ConnectionMultiplexerFactory = () => sp.GetRequiredService<RedisConnection>().SharedAsync(),
            }))
            .WithBackplane(sp => new RedisBackplane(new RedisBackplaneOptions
            {
                ConnectionMultiplexerFactory = () => sp.GetRequiredService<RedisConnection>().SharedAsync(),
            }));
    }
}
