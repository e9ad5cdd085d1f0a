using System.Diagnostics;
using Klaviyo.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Klaviyo.Core.Coordination;

/// <summary>
/// Which instance syncs. With coordination off this instance always leads (epoch 0) and nothing
/// touches the database. On, the lease is one row: taken or renewed by one conditional UPDATE
/// judged by the database's clock (a holder renews its own; anyone takes an expired one, adding 1
/// to the epoch). The holder believes it leads only until <c>TTL − renewal interval</c> after its
/// last successful renewal by its own monotonic clock, so it stops syncing before the lease can
/// pass; and every sync write checks the epoch in its transaction (<see cref="FenceAsync"/>), so a
/// deposed leader's late write is refused rather than interleaved with the new leader's.
/// </summary>
/// <remarks>
/// A connected account's lease (in its shell, on its own store) is fair rather than first come: only
/// the instance <see cref="InstanceRegistry"/> assigns the account to takes it, and a holder that is no
/// longer the owner hands it over (releases it) so the accounts spread over the live instances.
/// </remarks>
public sealed class LeaderLease(IDbContextFactory<KlaviyoDbContext> contexts, IOptions<CoordinationOptions> options, ILogger<LeaderLease> logger,
    InstanceRegistry? registry = null)
{
    private readonly Lock _gate = new();
    private CancellationTokenSource _leadership = new();
    private long _validUntil;
    private bool _leads;

    public bool Enabled { get; } = options.Value.Enabled;
    /// <summary>Set by <see cref="CoordinationServiceCollectionExtensions.AddKlaviyoCoordination"/> when not configured.</summary>
    public string InstanceId { get; } = options.Value.InstanceId ?? throw new InvalidOperationException("Coordination:InstanceId is decided at registration.");

    /// <summary>This instance holds the lease now (always, with coordination off).</summary>
    public bool IsLeader => !Enabled || (Volatile.Read(ref _leads) && Stopwatch.GetTimestamp() < Interlocked.Read(ref _validUntil));
    /// <summary>The epoch this instance leads (or last led) with: its sync writes are fenced on it.</summary>
    public long Epoch { get; private set; }
    /// <summary>The lease's epoch at this instance's last renewal, whoever holds it (diagnostics).</summary>
    public long SeenEpoch { get; private set; }
    public string? LeaderId { get; private set; }
    /// <summary>For a follower, how long the lease had left when last read (by the database's clock): when to try again to take it.</summary>
    public TimeSpan? ExpiresIn { get; private set; }
    public string? LeaderAddress { get; private set; }

    /// <summary>Cancelled when this instance stops leading: its runs stop, and with them its calls to Klaviyo.</summary>
    public CancellationToken Leadership
    {
        get
        {
            lock (_gate)
                return Enabled ? _leadership.Token : CancellationToken.None;
        }
    }

    /// <summary>The account whose lease this is, when it is shared fairly (an account's shell on a coordinated deployment).</summary>
    private string? FairAccount => registry is not null && Enabled ? options.Value.Account : null;

    /// <summary>Takes or renews the lease; returns whether this instance leads. Database errors count as not renewed.</summary>
    public async Task<bool> RenewAsync(CancellationToken cancellationToken)
    {
        if (FairAccount is { } account && registry!.OwnerOf(account) is var owner && owner != InstanceId && (owner is not null || !Volatile.Read(ref _leads)))
            return await StandAsideAsync(owner, cancellationToken);
        var started = Stopwatch.GetTimestamp();
        var ttl = (long)options.Value.LeaseTtl.TotalMilliseconds;
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var now = DatabaseClock.Sql(db);
            // Epoch + 1 when the holder changes: a CASE on the old holder, evaluated before the SET applies.
            // Only constants are spliced in (the clock expression, the row id); the values are parameters
            // (no address is '' on the wire: a raw SQL parameter cannot be a typeless null).
            var renew = $$"""
                UPDATE "SyncLeases" SET
                  "Epoch" = CASE WHEN "Holder" = {0} THEN "Epoch" ELSE "Epoch" + 1 END,
                  "Holder" = {0}, "Address" = NULLIF({1}, ''), "ExpiresAtMs" = {{now}} + {2}
                WHERE "Id" = {{SyncLease.SingletonId}} AND ("Holder" = {0} OR "Holder" IS NULL OR "ExpiresAtMs" < {{now}})
                """;
            await db.Database.ExecuteSqlRawAsync(renew,
                [InstanceId, options.Value.Address ?? "", ttl], cancellationToken);
            var lease = await db.SyncLeases.AsNoTracking().SingleAsync(l => l.Id == SyncLease.SingletonId, cancellationToken);
            var leads = lease.Holder == InstanceId;
            // Clamped: what matters is only whether it expires before the next renewal.
            ExpiresIn = leads ? null : TimeSpan.FromMilliseconds(Math.Clamp(lease.ExpiresAtMs - await DatabaseClock.NowAsync(db, cancellationToken), 0, ttl));
            lock (_gate)
            {
                (LeaderId, LeaderAddress, SeenEpoch) = (lease.Holder, lease.Address, lease.Epoch);
                if (leads)
                {
                    // Valid for TTL − one renewal interval from when the renewal was sent: it stops before the row can expire.
                    var margin = options.Value.LeaseTtl - options.Value.RenewEvery;
                    Interlocked.Exchange(ref _validUntil, started + (long)(margin.TotalSeconds * Stopwatch.Frequency));
                    if (!_leads)
                        logger.LogInformation("Instance {Instance} leads the sync (epoch {Epoch})", InstanceId, lease.Epoch);
                    Epoch = lease.Epoch;
                    Volatile.Write(ref _leads, true);
                }
                else if (_leads)
                    StepDown($"instance {lease.Holder} holds the lease");
            }
            return leads;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Could not renew the sync lease ({Error}); this instance stops syncing when it lapses", e.GetType().Name);
            return false;
        }
    }

    /// <summary>Another instance owns the account (or none is known yet): hands the lease over if held, and reads who holds it.</summary>
    private async Task<bool> StandAsideAsync(string? owner, CancellationToken cancellationToken)
    {
        try
        {
            if (Volatile.Read(ref _leads))
            {
                logger.LogInformation("Instance {Instance} hands the sync of account {Account} over to {Owner}", InstanceId, FairAccount, owner);
                await ReleaseAsync(cancellationToken, $"account {FairAccount} is assigned to {owner ?? "another instance"}", LogLevel.Information);
            }
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var lease = await db.SyncLeases.AsNoTracking().SingleAsync(l => l.Id == SyncLease.SingletonId, cancellationToken);
            lock (_gate)
                (LeaderId, LeaderAddress, SeenEpoch) = (lease.Holder, lease.Address, lease.Epoch);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Could not read the sync lease ({Error})", e.GetType().Name);
        }
        return false;
    }

    /// <summary>Stops leading once the lease's local validity has passed (called on every keeper tick).</summary>
    public void CheckValidity()
    {
        lock (_gate)
        {
            if (_leads && Stopwatch.GetTimestamp() >= Interlocked.Read(ref _validUntil))
                StepDown("the lease could not be renewed in time");
        }
    }

    /// <summary>Gives the lease up (a graceful stop, or a hand-over to the account's owner): another instance takes it at its next renewal, not after the TTL.</summary>
    /// <param name="level">A hand-over, which accounts added one by one cause many of, is not a warning.</param>
    public async Task ReleaseAsync(CancellationToken cancellationToken, string reason = "this instance is stopping", LogLevel level = LogLevel.Warning)
    {
        lock (_gate)
        {
            if (!_leads)
                return;
            StepDown(reason, level);
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.SyncLeases.Where(l => l.Id == SyncLease.SingletonId && l.Holder == InstanceId)
            .ExecuteUpdateAsync(u => u.SetProperty(l => l.ExpiresAtMs, 0L), cancellationToken);
    }

    /// <summary>
    /// Inside a sync write's transaction: refuses it unless this instance still holds the lease at
    /// the epoch it leads with. On PostgreSQL and SQL Server the row stays locked until the write
    /// commits, so the lease cannot change hands in between; SQLite's writer lock does the same.
    /// </summary>
    public async Task FenceAsync(KlaviyoDbContext db, CancellationToken cancellationToken)
    {
        if (!Enabled)
            return;
        var epoch = Epoch;
        var held = await db.SyncLeases.Where(l => l.Id == SyncLease.SingletonId && l.Holder == InstanceId && l.Epoch == epoch)
            .ExecuteUpdateAsync(u => u.SetProperty(l => l.Epoch, l => l.Epoch), cancellationToken);
        if (held != 1)
            throw new LeaseLostException($"Instance {InstanceId} no longer holds the sync lease at epoch {epoch}: the write is refused.");
    }

    private void StepDown(string why, LogLevel level = LogLevel.Warning)
    {
        Volatile.Write(ref _leads, false);
        logger.Log(level, "Instance {Instance} stops leading the sync: {Why}", InstanceId, why);
        _leadership.Cancel();
        _leadership.Dispose();
        _leadership = new CancellationTokenSource();
    }
}
