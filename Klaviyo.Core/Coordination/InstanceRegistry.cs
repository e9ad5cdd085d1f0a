using Klaviyo.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Klaviyo.Core.Coordination;

/// <summary>
/// The live instances of a coordinated deployment and, from them, who syncs each connected account
/// (<see cref="LeaseAssignment"/>). Each renewal this instance writes its row (by the database's clock),
/// reads the rows seen within a lease's TTL less one renewal and the connected accounts, and recomputes the owners; an
/// account's lease (<see cref="LeaderLease"/> in its shell) is taken only by its owner and handed over
/// when the owner changes. A stopping instance deletes its row, so the others take its accounts at
/// their next renewal; a killed one's row ages out with its leases.
/// </summary>
public sealed class InstanceRegistry(IDbContextFactory<KlaviyoDbContext> contexts, IOptions<CoordinationOptions> options, ILogger<InstanceRegistry> logger)
{
    private volatile IReadOnlyDictionary<string, string>? _owners;
    private volatile IReadOnlyList<string> _live = [];

    private CoordinationOptions Options => options.Value;

    /// <summary>The instances alive at the last renewal (this one included), in order.</summary>
    public IReadOnlyList<string> Live => _live;

    /// <summary>Raised after a renewal that changed an owner: the accounts' lease keepers try at once rather than at their next tick.</summary>
    public event Action? OwnersChanged;

    /// <summary>The instance that should sync <paramref name="accountId"/>; null until the first renewal, or for an account not (yet) read.</summary>
    public string? OwnerOf(string accountId) => _owners?.GetValueOrDefault(accountId);

    /// <summary>Writes this instance's row and recomputes the owners; a database error keeps the last answer.</summary>
    public async Task RenewAsync(CancellationToken cancellationToken)
    {
        var id = Options.InstanceId!;
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var now = await DatabaseClock.NowAsync(db, cancellationToken);
            var ttl = (long)Options.LeaseTtl.TotalMilliseconds;
            // Seen within TTL − one renewal: a killed instance is known gone by the time its leases expire.
            var alive = (long)(Options.LeaseTtl - Options.RenewEvery).TotalMilliseconds;
            if (await db.LiveInstances.Where(i => i.Id == id).ExecuteUpdateAsync(u => u.SetProperty(i => i.SeenAtMs, now).SetProperty(i => i.Address, Options.Address), cancellationToken) == 0)
            {
                db.LiveInstances.Add(new LiveInstance { Id = id, Address = Options.Address, SeenAtMs = now });
                await db.SaveChangesAsync(cancellationToken);
            }
            // Rows of instances long gone (each start has a new id unless configured) are forgotten.
            await db.LiveInstances.Where(i => i.SeenAtMs < now - 20 * ttl).ExecuteDeleteAsync(cancellationToken);
            var live = await db.LiveInstances.AsNoTracking().Where(i => i.SeenAtMs >= now - alive).Select(i => i.Id).ToListAsync(cancellationToken);
            var accounts = await db.ConnectedAccounts.AsNoTracking().Where(a => a.Id != ConnectedAccount.DefaultId).Select(a => a.Id).ToListAsync(cancellationToken);
            string[] instances = [.. live.Append(id).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
            if (!instances.SequenceEqual(_live))
                logger.LogInformation("Live instances: {Instances}", string.Join(", ", instances));
            _live = instances;
            var owners = LeaseAssignment.Assign(instances, accounts);
            var changed = _owners is not { } before || before.Count != owners.Count || owners.Any(o => before.GetValueOrDefault(o.Key) != o.Value);
            _owners = owners;
            if (changed)
                OwnersChanged?.Invoke();
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Could not renew this instance's presence ({Error}); the accounts' owners stay as last computed", e.GetType().Name);
        }
    }

    /// <summary>A graceful stop: the others see this instance gone at their next renewal.</summary>
    public async Task LeaveAsync(CancellationToken cancellationToken)
    {
        var id = Options.InstanceId!;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.LiveInstances.Where(i => i.Id == id).ExecuteDeleteAsync(cancellationToken);
    }
}
