using Klaviyo.Api;
using Klaviyo.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.Core.Sync.Entities;

/// <summary>Lists and segments with their profile counts, which only the single GET returns.</summary>
public sealed class GroupsSyncer(SyncEntity entity) : IEntitySyncer
{
    public SyncEntity Entity { get; } = entity;

    public async Task SyncAsync(SyncContext context, CancellationToken cancellationToken)
    {
        var (plural, type) = Entity == SyncEntity.Lists ? ("lists", "list") : ("segments", "segment");
        await foreach (var page in context.Client.GetPagesAsync($"api/{plural}?page%5Bsize%5D=10", RateTier.L, cancellationToken))
        {
            var groups = new List<(string Id, string Name, int Count, System.Text.Json.JsonElement A)>();
            foreach (var resource in page.Data)
            {
                var single = await context.Client.GetAsync($"api/{plural}/{Uri.EscapeDataString(resource.Id())}?additional-fields%5B{type}%5D=profile_count", RateTier.L, cancellationToken);
                var a = single.Data[0].Attributes();
                groups.Add((resource.Id(), a.String("name") ?? "(unnamed)", a.Int("profile_count") ?? 0, a));
            }
            await using var db = await context.OpenAsync(cancellationToken);
            if (Entity == SyncEntity.Lists)
                await Upsert.ManyAsync(db.Lists, groups.Select(g => new KlaviyoList
                {
                    Id = g.Id,
                    Name = g.Name,
                    ProfileCount = g.Count,
                    OptInProcess = g.A.String("opt_in_process"),
                    Created = g.A.Date("created") ?? DateTime.UnixEpoch,
                    Updated = g.A.Date("updated") ?? DateTime.UnixEpoch,
                }).ToList(), l => l.Id, ids => db.Lists.Where(l => ids.Contains(l.Id)),
                    (from, to) => (to.Name, to.ProfileCount, to.OptInProcess, to.Created, to.Updated) = (from.Name, from.ProfileCount, from.OptInProcess, from.Created, from.Updated), cancellationToken);
            else
                await Upsert.ManyAsync(db.Segments, groups.Select(g => new Segment
                {
                    Id = g.Id,
                    Name = g.Name,
                    ProfileCount = g.Count,
                    IsActive = g.A.Bool("is_active"),
                    IsStarred = g.A.Bool("is_starred"),
                    Created = g.A.Date("created") ?? DateTime.UnixEpoch,
                    Updated = g.A.Date("updated") ?? DateTime.UnixEpoch,
                }).ToList(), s => s.Id, ids => db.Segments.Where(s => ids.Contains(s.Id)),
                    (from, to) => (to.Name, to.ProfileCount, to.IsActive, to.IsStarred, to.Created, to.Updated) = (from.Name, from.ProfileCount, from.IsActive, from.IsStarred, from.Created, from.Updated), cancellationToken);
            await context.CommitPageAsync(db, null, groups.Count, cancellationToken);
        }
    }
}
