using Klaviyo.GraphQL.Data;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.GraphQL.Freshness;

/// <summary>Computes <c>lastUpdated</c> from sync state: the oldest last success of the entities a payload reads.</summary>
public sealed class FreshnessReader(IDbContextFactory<KlaviyoDbContext> contexts)
{
    public async Task<DateTime?> LastUpdatedAsync(IReadOnlyCollection<SyncEntity> entities, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var successes = await db.SyncStates
            .Where(s => entities.Contains(s.Entity))
            .Select(s => s.LastSuccessAt)
            .ToListAsync(cancellationToken);
        if (successes.Count < entities.Count || successes.Any(s => s is null))
            return null;
        return successes.Min();
    }
}
