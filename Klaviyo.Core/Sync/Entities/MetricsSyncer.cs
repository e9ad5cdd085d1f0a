using Klaviyo.Api;
using Klaviyo.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.Core.Sync.Entities;

/// <summary>Metrics: few, with no change cursor; read whole every run.</summary>
public sealed class MetricsSyncer : IEntitySyncer
{
    public SyncEntity Entity => SyncEntity.Metrics;

    public async Task SyncAsync(SyncContext context, CancellationToken cancellationToken)
    {
        await foreach (var page in context.Client.GetPagesAsync("api/metrics", RateTier.M, cancellationToken))
        {
            var metrics = page.Data.Select(r =>
            {
                var a = r.Attributes();
                return new Metric
                {
                    Id = r.Id(),
                    Name = a.RequiredString("name"),
                    IntegrationName = a.String("integration", "name"),
                    IntegrationCategory = a.String("integration", "category"),
                    Created = a.Date("created") ?? DateTime.UnixEpoch,
                    Updated = a.Date("updated") ?? DateTime.UnixEpoch,
                };
            }).ToList();
            await using var db = await context.OpenAsync(cancellationToken);
            await Upsert.ManyAsync(db.Metrics, metrics, m => m.Id, ids => db.Metrics.Where(m => ids.Contains(m.Id)),
                (from, to) => (to.Name, to.IntegrationName, to.IntegrationCategory, to.Created, to.Updated) = (from.Name, from.IntegrationName, from.IntegrationCategory, from.Created, from.Updated), cancellationToken);
            await context.CommitPageAsync(db, null, metrics.Count, cancellationToken);
        }
    }
}
