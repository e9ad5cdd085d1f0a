using System.Diagnostics;
using System.Text.Json;
using Klaviyo.Core.Coordination;
using Klaviyo.Core.Data;
using Klaviyo.Core.RestClient;
using Klaviyo.Core.Sync.Events;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.Core.Sync;

/// <summary>What a syncer needs for one entity of one run: the client, the database, its cursor, and progress reporting.</summary>
public sealed class SyncContext(
    Guid runId,
    SyncEntity entity,
    SyncMode mode,
    string? cursor,
    KlaviyoClient client,
    IDbContextFactory<KlaviyoDbContext> contexts,
    EventBus bus,
    LeaderLease lease,
    SyncOptions options,
    TimeProvider time,
    ILogger logger,
    BackfillSlots.Turn? backfill = null,
    SyncOutcomes? outcomes = null)
{
    private readonly long _started = Stopwatch.GetTimestamp();

    public Guid RunId { get; } = runId;
    public SyncEntity Entity { get; } = entity;
    public SyncMode Mode { get; } = mode;
    public KlaviyoClient Client { get; } = client;
    public SyncOptions Options { get; } = options;
    public ILogger Logger { get; } = logger;
    /// <summary>When the run started: no cursor may pass it.</summary>
    public DateTime RunStartedAt { get; } = time.GetUtcNow().UtcDateTime;
    public long Processed { get; private set; }
    public long Written { get; private set; }
    public int Pages { get; private set; }
    /// <summary>Of <see cref="Written"/>, the records already announced (by <see cref="CoveredFromAsync"/>) before the entity finished.</summary>
    public long Announced { get; private set; }
    public string? Cursor { get; private set; } = mode == SyncMode.Full ? null : cursor;

    public DateTime Now => time.GetUtcNow().UtcDateTime;

    public Task<KlaviyoDbContext> OpenAsync(CancellationToken cancellationToken) => contexts.CreateDbContextAsync(cancellationToken);

    public T? ReadCursor<T>() where T : class => Cursor is null ? null : JsonSerializer.Deserialize<T>(Cursor);

    /// <summary>
    /// Saves the page's changes and the new cursor in one transaction (one SaveChanges, or the
    /// transaction the page's writes already run in), then reports progress: a crash before this
    /// loses the page, never half of it.
    /// </summary>
    /// <param name="written">Records the page wrote without the change tracker; tracked changes are counted here.</param>
    /// <param name="pages">Klaviyo's pages this commit holds (a syncer may commit several that arrived together).</param>
    public async Task CommitPageAsync(KlaviyoDbContext db, object? cursor, int processed, CancellationToken cancellationToken, long written = 0, int pages = 1)
    {
        // Written = records this page inserted, deleted or actually changed (EF tracks which values differ); derived rollups are not records.
        written += db.ChangeTracker.Entries().Count(e => e.Entity is not (SyncState or MetricRollup) && e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted);
        // The page and its checkpoint commit only while this instance still holds the sync lease at its epoch.
        var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        await using var _ = own;
        await lease.FenceAsync(db, cancellationToken);
        var state = await db.SyncStates.SingleAsync(s => s.Entity == Entity, cancellationToken);
        state.Cursor = cursor is null ? null : JsonSerializer.Serialize(cursor);
        await db.SaveChangesAsync(cancellationToken);
        if (db.Database.CurrentTransaction is { } transaction)
            await transaction.CommitAsync(cancellationToken);
        Cursor = state.Cursor;
        Processed += processed;
        Written += written;
        Pages += pages;
        var elapsed = Stopwatch.GetElapsedTime(_started).TotalSeconds;
        bus.Publish(new SyncProgressEvent(RunId, Entity, Processed, null, Pages, elapsed > 0 ? Processed / elapsed : 0, null, Now));
        Logger.LogDebug("Sync {RunId} {Entity}: page {Page} committed, {Processed} read, {Written} written", RunId, Entity, Pages, Processed, Written);
        // A backfill lets the one that waited longest (another account's, often) take its page before its next.
        if (backfill is not null)
            await backfill.YieldAsync(cancellationToken);
    }

    /// <summary>
    /// Everything of this entity from <paramref name="from"/> on is stored, though its first sync is still
    /// reading older records: readers may answer for windows from there on (see <see cref="Freshness.SyncClock.Covered"/>).
    /// </summary>
    public async Task CoveredFromAsync(DateTime from)
    {
        if (outcomes is not null && await outcomes.CoveredAsync(RunId, Entity, from, Written - Announced))
            Announced = Written;
    }

    /// <summary>Saves the cursor a finished entity leaves for its next run (not a page: no progress is reported).</summary>
    public async Task SaveCursorAsync(object cursor, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await lease.FenceAsync(db, cancellationToken);
        var state = await db.SyncStates.SingleAsync(s => s.Entity == Entity, cancellationToken);
        state.Cursor = JsonSerializer.Serialize(cursor);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        Cursor = state.Cursor;
    }

    /// <summary>The next incremental cursor: the newest record seen less the overlap, never beyond the run's start.</summary>
    public DateTime NextSince(DateTime? newestSeen, DateTime? previous)
    {
        var newest = newestSeen ?? previous ?? RunStartedAt;
        if (newest > RunStartedAt)
            newest = RunStartedAt;
        return newest - Options.Overlap;
    }
}
