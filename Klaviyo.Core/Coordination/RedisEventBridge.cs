using System.Text.Json;
using Klaviyo.Core.Data;
using Klaviyo.Core.Errors;
using Klaviyo.Core.Freshness;
using Klaviyo.Core.Sync;
using Klaviyo.Core.Sync.Events;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Klaviyo.Core.Coordination;

/// <summary>
/// Carries the sync's events between instances over one Redis channel, so that a dashboard
/// connected to any instance hears what the leader did. Each event goes out in an envelope
/// (origin instance, sequence, type name, payload) and is delivered locally as before; an envelope
/// from another instance with a known type is applied here — caches evicted and the sync clock
/// reloaded for <c>dataChanged</c> and finished runs, the error board updated for <c>apiErrors</c> —
/// then published locally (and not sent back). Unknown types are dropped. After a lost connection
/// comes back, local clients are told everything changed, so they refetch what they missed.
/// </summary>
public sealed class RedisEventBridge(
    RedisConnection connection,
    LeaderLease lease,
    IOptions<CoordinationOptions> options,
    EventBus bus,
    FreshCache cache,
    SyncClock clock,
    ApiErrorBoard errors,
    TimeProvider time,
    ILogger<RedisEventBridge> logger) : IHostedService, IAsyncDisposable
{
    /// <summary>The deployment's channel, or an account's (its shell's events stay its own).</summary>
    private readonly RedisChannel _channel = RedisChannel.Literal($"{options.Value.RedisPrefix}events");

    private static readonly Dictionary<string, Type> Known = new[]
    {
        typeof(DataChangedEvent), typeof(SyncProgressEvent), typeof(ApiErrorEvent), typeof(SyncRun), typeof(Alerts.AlertsChangedEvent),
    }.ToDictionary(t => t.Name);

    // Set while a remote event is published locally: the forwarders must not send it back out.
    private static readonly AsyncLocal<bool> Applying = new();

    private readonly List<IDisposable> _forwarders = [];
    private ConnectionMultiplexer? _redis;
    private long _sequence;

    public sealed record Envelope(string Origin, long Sequence, string Type, JsonElement Payload);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Starts without Redis rather than not at all: events stay local until it answers.
        _redis = await connection.GetAsync();
        // The subscription and the command connection come back separately, and what was published
        // while either was down is lost: clients are told to refetch as each returns.
        _redis.ConnectionRestored += (_, _) => _ = RefetchEverythingAsync();
        await _redis.GetSubscriber().SubscribeAsync(_channel, (channel, message) => _ = ReceiveAsync(message));
        Forward<DataChangedEvent>();
        Forward<SyncProgressEvent>();
        Forward<ApiErrorEvent>();
        Forward<SyncRun>();
        Forward<Alerts.AlertsChangedEvent>();
    }

    private void Forward<T>() where T : class =>
        _forwarders.Add(bus.Observe<T>().Subscribe(e =>
        {
            if (Applying.Value || _redis is null)
                return;
            var envelope = new Envelope(lease.InstanceId, Interlocked.Increment(ref _sequence), typeof(T).Name, JsonSerializer.SerializeToElement(e));
            // Fire and forget: a lost Redis must not slow the sync; the event still went to local subscribers.
            // Without a connection the publish fails at once (fail-fast backlog); an exception escaping here
            // would end this subscription for good, so it is dropped: after the reconnect clients refetch.
            try
            {
                _redis.GetSubscriber().Publish(_channel, JsonSerializer.Serialize(envelope), CommandFlags.FireAndForget);
            }
            catch (RedisException)
            {
            }
        }));

    private async Task ReceiveAsync(RedisValue message)
    {
        try
        {
            var envelope = JsonSerializer.Deserialize<Envelope>(message.ToString());
            if (envelope is null || envelope.Origin == lease.InstanceId || !Known.TryGetValue(envelope.Type, out var type))
                return;
            var payload = envelope.Payload.Deserialize(type);
            switch (payload)
            {
                case DataChangedEvent changed:
                    await cache.EvictAsync(changed.Entities, here: true);
                    clock.Reload();
                    break;
                case SyncRun run when run.Outcome != SyncRunOutcome.Running:
                    clock.Reload();
                    await cache.ConfirmedAsync(run.Entities.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Enum.Parse<SyncEntity>), here: true);
                    break;
            }
            Applying.Value = true;
            try
            {
                if (payload is ApiErrorEvent error)
                    errors.Apply(error); // publishes locally when it changes what this instance shows
                else if (payload is not null)
                    bus.Publish(payload);
            }
            finally
            {
                Applying.Value = false;
            }
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException)
        {
            logger.LogWarning("Dropped a malformed event from Redis ({Error})", e.GetType().Name);
        }
    }

    private async Task RefetchEverythingAsync()
    {
        logger.LogInformation("Redis is back: telling this instance's clients to refetch");
        var entities = Enum.GetValues<SyncEntity>();
        // Everywhere, Redis's copies included: an eviction made while it was away may not have reached them.
        await cache.EvictAsync(entities);
        clock.Reload();
        var now = time.GetUtcNow().UtcDateTime;
        Applying.Value = true;
        try
        {
            bus.Publish(new DataChangedEvent(entities, now, null, now, 0));
        }
        finally
        {
            Applying.Value = false;
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask DisposeAsync()
    {
        foreach (var forwarder in _forwarders)
            forwarder.Dispose();
        return ValueTask.CompletedTask;
    }
}
