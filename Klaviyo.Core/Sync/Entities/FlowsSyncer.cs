using Klaviyo.Api;
using Klaviyo.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.Core.Sync.Entities;

/// <summary>Flows, incrementally by <c>updated</c>.</summary>
public sealed class FlowsSyncer : IEntitySyncer
{
    public SyncEntity Entity => SyncEntity.Flows;

    public async Task SyncAsync(SyncContext context, CancellationToken cancellationToken)
    {
        var since = context.ReadCursor<SinceCursor>()?.Since;
        var query = "api/flows?page%5Bsize%5D=50&sort=updated" + (since is DateTime s ? "&filter=" + Uri.EscapeDataString(KlaviyoFilter.Compare("greater-than", "updated", s)) : "");
        DateTime? newest = null;
        await foreach (var page in context.Client.GetPagesAsync(query, RateTier.S, cancellationToken))
        {
            var flows = page.Data.Select(r =>
            {
                var a = r.Attributes();
                return new Flow
                {
                    Id = r.Id(),
                    Name = a.String("name") ?? "(unnamed flow)",
                    Status = a.String("status") ?? "draft",
                    Archived = a.Bool("archived"),
                    TriggerType = a.String("trigger_type"),
                    Created = a.Date("created") ?? DateTime.UnixEpoch,
                    Updated = a.Date("updated") ?? DateTime.UnixEpoch,
                };
            }).ToList();
            newest = Max(newest, flows.Select(f => (DateTime?)f.Updated).Max());
            await using var db = await context.OpenAsync(cancellationToken);
            await Upsert.ManyAsync(db.Flows, flows, f => f.Id, ids => db.Flows.Where(f => ids.Contains(f.Id)),
                (from, to) => (to.Name, to.Status, to.Archived, to.TriggerType, to.Created, to.Updated) = (from.Name, from.Status, from.Archived, from.TriggerType, from.Created, from.Updated), cancellationToken);
            await context.CommitPageAsync(db, new SinceCursor(since), flows.Count, cancellationToken);
        }
        await context.SaveCursorAsync(new SinceCursor(context.NextSince(newest, since)), cancellationToken);
    }

    private static DateTime? Max(DateTime? a, DateTime? b) => a is null ? b : b is null ? a : a > b ? a : b;
}
