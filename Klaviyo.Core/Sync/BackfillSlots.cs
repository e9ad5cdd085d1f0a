using Klaviyo.Core.Data;

namespace Klaviyo.Core.Sync;

/// <summary>
/// Keeps every account fresh while others backfill. A backfill — the first or a full sync of events
/// or profiles, the entities an account can hold millions of — holds one of a few slots shared by the whole deployment (every account's engine) while it
/// fetches and writes a page, and gives it back between pages, so backfills of several accounts take
/// turns page by page (the slot's waiters are served first come, first served) and together never
/// use more than <see cref="Capacity"/> pipelines of the machine. Incremental syncs, which keep
/// numbers fresh, never wait here. At most <paramref name="pipelines"/> backfills are under way at
/// once: one that waits for its turn still holds the pages it fetched ahead, so fifty accounts added
/// together would otherwise hold fifty accounts' pages (half a million parsed events); the others wait to begin.
/// </summary>
public sealed class BackfillSlots(int capacity, int pipelines = int.MaxValue)
{
    private readonly SemaphoreSlim _slots = new(capacity, capacity);
    // Backfills under way at most (Sync:BackfillPipelines): never fewer than can write at once.
    private readonly int _pipelineCount = Math.Max(capacity, pipelines);
    private readonly SemaphoreSlim _pipelines = new(Math.Max(capacity, pipelines), Math.Max(capacity, pipelines));
    private int _waiting;

    public static BackfillSlots Of(SyncOptions options) =>
        new(Math.Max(1, options.ConcurrentBackfills), Math.Max(1, options.BackfillPipelines));

    /// <summary>Whether a first or full sync of the entity takes turns (the others are a few pages each).</summary>
    public static bool Bulky(SyncEntity entity) => entity is SyncEntity.Events or SyncEntity.Profiles;

    /// <summary>Backfill pages in flight at most (<c>Sync:ConcurrentBackfills</c>).</summary>
    public int Capacity { get; } = capacity;

    public int InUse => Capacity - _slots.CurrentCount;

    /// <summary>Backfills waiting to begin or for their turn.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Backfills under way (holding pages), whether writing or waiting for their turn.</summary>
    public int Running => _pipelineCount - _pipelines.CurrentCount;

    /// <summary>Waits to begin (a pipeline), then for a slot; disposing the turn gives both back.</summary>
    public async Task<Turn> TakeAsync(CancellationToken cancellationToken)
    {
        await WaitAsync(_pipelines, cancellationToken);
        try
        {
            await WaitAsync(_slots, cancellationToken);
        }
        catch
        {
            _pipelines.Release();
            throw;
        }
        return new Turn(this);
    }

    private async Task WaitAsync(SemaphoreSlim semaphore, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _waiting);
        try
        {
            await semaphore.WaitAsync(cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    /// <summary>A backfill under way and its slot; <see cref="Dispose"/> gives both back for good.</summary>
    public sealed class Turn(BackfillSlots slots) : IDisposable
    {
        private int _held = 1;
        private int _running = 1;

        /// <summary>Gives the slot to the backfill that waited longest, and waits for the next turn.</summary>
        public async Task YieldAsync(CancellationToken cancellationToken)
        {
            // Async waiters are served in order: a backfill waiting gets this slot before this one asks again.
            GiveBackSlot(); // only the slot: the backfill stays under way (its pipeline is kept)
            await slots.WaitAsync(slots._slots, cancellationToken);
            Volatile.Write(ref _held, 1);
        }

        public void Dispose()
        {
            GiveBackSlot();
            if (Interlocked.Exchange(ref _running, 0) == 1)
                slots._pipelines.Release();
        }

        private void GiveBackSlot()
        {
            if (Interlocked.Exchange(ref _held, 0) == 1)
                slots._slots.Release();
        }
    }
}
