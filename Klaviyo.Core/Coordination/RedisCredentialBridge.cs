using System.Text.Json;
using Klaviyo.Core.Security;
using StackExchange.Redis;

namespace Klaviyo.Core.Coordination;

/// <summary>
/// Carries credential changes (a key revoked, an account deleted, locked or demoted, the first
/// account created) to every instance over Redis, so a revoked key's open socket closes on whichever
/// instance holds it, within the time a publish takes, and the first account ends anonymous access
/// everywhere. Without Redis each instance still re-checks its sockets every
/// Security:Sockets:RevalidateInterval and looks for a first account every few seconds.
/// </summary>
public sealed class RedisCredentialBridge(RedisConnection connection, LeaderLease lease, CredentialChanges changes, ILogger<RedisCredentialBridge> logger)
    : IHostedService
{
    public static readonly RedisChannel Channel = RedisChannel.Literal("klaviyo:credentials");

    private ConnectionMultiplexer? _redis;

    public sealed record Envelope(string Origin, bool SignInRequired);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _redis = await connection.GetAsync();
        await _redis.GetSubscriber().SubscribeAsync(Channel, (_, message) => Receive(message));
        changes.ChangedHere += Send;
    }

    private void Send(CredentialNotice notice)
    {
        try
        {
            _redis?.GetSubscriber().Publish(Channel, JsonSerializer.Serialize(new Envelope(lease.InstanceId, notice.SignInRequired)), CommandFlags.FireAndForget);
        }
        catch (RedisException e)
        {
            // The other instances find out at their next periodic re-check.
            logger.LogWarning("Could not announce a credential change over Redis ({Error})", e.GetType().Name);
        }
    }

    private void Receive(RedisValue message)
    {
        try
        {
            if (JsonSerializer.Deserialize<Envelope>(message.ToString()) is { } envelope && envelope.Origin != lease.InstanceId)
                changes.Apply(new CredentialNotice(envelope.SignInRequired));
        }
        catch (JsonException)
        {
            logger.LogWarning("Dropped a malformed credential change from Redis");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        changes.ChangedHere -= Send;
        return Task.CompletedTask;
    }
}
