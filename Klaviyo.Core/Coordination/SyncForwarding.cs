using System.Collections.Concurrent;
using System.Text.Json;
using Klaviyo.Core.Data;
using Klaviyo.Core.Errors;
using Klaviyo.Core.Sync;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Klaviyo.Core.Coordination;

/// <summary>
/// <c>startSync</c>, <c>refreshData</c> and <c>cancelSync</c> asked of a follower run on the leader:
/// the follower, which has already authenticated, authorized and rate-limited the caller, sends the
/// request over Redis to the instance its lease names and waits for the answer. The leader checks
/// it still leads, runs the request through its own coordinator (so the one-run-per-entity rule
/// holds across instances) and replies to the asking instance alone. No leader, a leader that
/// stopped leading, or no answer within <see cref="CoordinationOptions.ForwardTimeout"/>: the caller gets the retryable
/// NOT_LEADER error it would get without Redis.
/// </summary>
public sealed class SyncForwarding(
    RedisConnection connection,
    LeaderLease lease,
    SyncCoordinator coordinator,
    IHostApplicationLifetime lifetime,
    IOptions<CoordinationOptions> options,
    ILogger<SyncForwarding> logger) : IHostedService
{
    private readonly RedisChannel _requests = RedisChannel.Literal($"{options.Value.RedisPrefix}sync-requests");

    private readonly ConcurrentDictionary<Guid, TaskCompletionSource<Reply>> _waiting = new();
    private ConnectionMultiplexer? _redis;
    private TimeSpan ReplyTimeout => options.Value.ForwardTimeout;

    public sealed record Request(Guid Id, string Origin, string Target, string Kind, SyncEntity[] Entities, SyncMode Mode, string Trigger, Guid? RunId);

    public sealed record Reply(Guid Id, SyncCoordinator.StartResult? Started, bool? Cancelled, string? Code, string? Message, string? Leader, string? LeaderAddress);

    private RedisChannel Replies(string instance) => RedisChannel.Literal($"{options.Value.RedisPrefix}sync-replies:{instance}");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _redis = await connection.GetAsync();
        var subscriber = _redis.GetSubscriber();
        await subscriber.SubscribeAsync(_requests, (channel, message) => _ = AnswerAsync(message));
        await subscriber.SubscribeAsync(Replies(lease.InstanceId), (_, message) => Receive(message));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<SyncCoordinator.StartResult> StartOnLeaderAsync(IReadOnlyCollection<SyncEntity> entities, SyncMode mode, string trigger, CancellationToken cancellationToken)
    {
        var reply = await SendAsync("start", [.. entities], mode, trigger, null, cancellationToken);
        return reply.Started ?? throw new InvalidOperationException("The leader answered a start without its result.");
    }

    public async Task<bool> CancelOnLeaderAsync(Guid runId, CancellationToken cancellationToken) =>
        (await SendAsync("cancel", [], SyncMode.Incremental, "", runId, cancellationToken)).Cancelled ?? false;

    private async Task<Reply> SendAsync(string kind, SyncEntity[] entities, SyncMode mode, string trigger, Guid? runId, CancellationToken cancellationToken)
    {
        if (lease.LeaderId is not { } leader || leader == lease.InstanceId || _redis is not { IsConnected: true } redis)
            throw new NotLeaderError(lease);
        var request = new Request(Guid.NewGuid(), lease.InstanceId, leader, kind, entities, mode, trigger, runId);
        var answered = new TaskCompletionSource<Reply>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting[request.Id] = answered;
        try
        {
            await redis.GetSubscriber().PublishAsync(_requests, JsonSerializer.Serialize(request));
            var reply = await answered.Task.WaitAsync(ReplyTimeout, cancellationToken);
            if (reply.Code is null)
                return reply;
            throw new AppError(reply.Message ?? "The leader refused the request.", reply.Code, reply.Code == ErrorCodes.NotLeader
                ? new Dictionary<string, object?> { ["leader"] = reply.Leader, ["leaderAddress"] = reply.LeaderAddress, ["retryable"] = true }
                : null);
        }
        catch (RedisException)
        {
            throw new NotLeaderError(lease, $"The leader ({leader}) cannot be reached (Redis is unavailable); retry in a few seconds.");
        }
        catch (RedisTimeoutException)
        {
            // A TimeoutException too, but Redis's own: the request may not have reached the leader at all.
            throw new NotLeaderError(lease, $"The leader ({leader}) cannot be reached (Redis did not answer in time); retry in a few seconds.");
        }
        catch (TimeoutException)
        {
            logger.LogWarning("The leader {Leader} did not answer a forwarded {Kind} within {Timeout}", leader, kind, ReplyTimeout);
            throw new NotLeaderError(lease, $"The leader ({leader}) did not answer within {ReplyTimeout.TotalSeconds:0} s; retry in a few seconds.");
        }
        finally
        {
            _waiting.TryRemove(request.Id, out _);
        }
    }

    private void Receive(RedisValue message)
    {
        try
        {
            if (JsonSerializer.Deserialize<Reply>(message.ToString()) is { } reply && _waiting.TryGetValue(reply.Id, out var waiting))
                waiting.TrySetResult(reply);
        }
        catch (JsonException)
        {
            logger.LogWarning("Dropped a malformed sync reply from Redis");
        }
    }

    private async Task AnswerAsync(RedisValue message)
    {
        Request? request;
        try
        {
            request = JsonSerializer.Deserialize<Request>(message.ToString());
        }
        catch (JsonException)
        {
            logger.LogWarning("Dropped a malformed sync request from Redis");
            return;
        }
        if (request is null || request.Target != lease.InstanceId || _redis is null)
            return;
        var reply = await ExecuteAsync(request);
        try
        {
            await _redis.GetSubscriber().PublishAsync(Replies(request.Origin), JsonSerializer.Serialize(reply));
        }
        catch (RedisException e)
        {
            // The asking instance times out and tells its caller to retry; the run, if started, goes on.
            logger.LogWarning("Could not reply to a forwarded {Kind} from {Origin}: {Error}", request.Kind, request.Origin, e.Message);
        }
    }

    private async Task<Reply> ExecuteAsync(Request request)
    {
        if (!lease.IsLeader)
            return Refused(request, new NotLeaderError(lease));
        var stopping = lifetime.ApplicationStopping;
        try
        {
            return request.Kind switch
            {
                "start" => new Reply(request.Id, await coordinator.StartAsync(request.Entities, request.Mode, request.Trigger, stopping), null, null, null, null, null),
                "cancel" when request.RunId is { } runId => new Reply(request.Id, null, coordinator.Cancel(runId), null, null, null, null),
                _ => Refused(request, new AppError($"Unknown forwarded request '{request.Kind}'.", ErrorCodes.InvalidRequest)),
            };
        }
        catch (AppError e)
        {
            return Refused(request, e);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "A forwarded {Kind} from {Origin} failed", request.Kind, request.Origin);
            return Refused(request, new AppError("The leader could not start the sync.", ErrorCodes.InternalError));
        }
    }

    private Reply Refused(Request request, AppError error) =>
        new(request.Id, null, null, error.Code, error.Message, lease.LeaderId, lease.LeaderAddress);
}
