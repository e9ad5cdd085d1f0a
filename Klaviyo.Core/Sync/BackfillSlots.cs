using Klaviyo.Core.Data;

namespace Klaviyo.Core.Sync;

/// <summary>
/// Keeps every account fresh while others backfill. A backfill — the first or a full sync of events
/// or profiles, the entities an account can hold millions of — holds one of a few slots shared by the whole deployment (every account's engine) while it
/// fetches and writes a page, and gives it back between pages, so backfills of several accounts take
/// turns page by page (the slot's waiters are served first come, first served) and together never
/// use more than <see cref="Capacity"/> pipelines of the machine. Incremental syncs, which keep
/// numbers fresh, never wait here.
/// </summary>
public sealed class BackfillSlots(int capacity)
{
    private readonly SemaphoreSlim _slots = new(capacity, capacity);
    private int _waiting;

    /// <summary>Whether a first or full sync of the entity takes turns (the others are a few pages each).</summary>
    public static bool Bulky(SyncEntity entity) => entity is SyncEntity.Events or SyncEntity.Profiles;

    /// <summary>Backfill pages in flight at most (<c>Sync:ConcurrentBackfills</c>).</summary>
    public int Capacity { get; } = capacity;

    public int InUse => Capacity - _slots.CurrentCount;

    /// <summary>Backfills waiting for their turn.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Waits for a slot; disposing the turn gives it back.</summary>
    public async Task<Turn> TakeAsync(CancellationToken cancellationToken)
    {
        await WaitAsync(cancellationToken);
        return new Turn(this);
    }

    private async Task WaitAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _waiting);
        try
        {
            await _slots.WaitAsync(cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    /// <summary>A slot held by one backfill; <see cref="Dispose"/> gives it back for good.</summary>
    public sealed class Turn(BackfillSlots slots) : IDisposable
    {
        private int _held = 1;

        /// <summary>Gives the slot to the backfill that waited longest, and waits for the next turn.</summary>
        public async Task YieldAsync(CancellationToken cancellationToken)
        {
            // Async waiters are served in order: a backfill waiting gets this slot before this one asks again.
            Dispose();
            await slots.WaitAsync(cancellationToken);
            Volatile.Write(ref _held, 1);
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _held, 0) == 1)
                slots._slots.Release();
        }
    }
}
