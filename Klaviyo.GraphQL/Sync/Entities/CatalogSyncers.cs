using Klaviyo.GraphQL.Data;
using Klaviyo.GraphQL.Sandbox;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.GraphQL.Sync.Entities;

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

/// <summary>Forms: a few dozen at most; read whole every run.</summary>
public sealed class FormsSyncer : IEntitySyncer
{
    public SyncEntity Entity => SyncEntity.Forms;

    public async Task SyncAsync(SyncContext context, CancellationToken cancellationToken)
    {
        await foreach (var page in context.Client.GetPagesAsync("api/forms?page%5Bsize%5D=100", RateTier.S, cancellationToken))
        {
            var forms = page.Data.Select(r =>
            {
                var a = r.Attributes();
                return new Form { Id = r.Id(), Name = a.RequiredString("name"), Status = a.RequiredString("status"), CreatedAt = a.RequiredDate("created_at"), UpdatedAt = a.RequiredDate("updated_at") };
            }).ToList();
            await using var db = await context.OpenAsync(cancellationToken);
            await Upsert.ManyAsync(db.Forms, forms, f => f.Id, ids => db.Forms.Where(f => ids.Contains(f.Id)),
                (from, to) => (to.Name, to.Status, to.CreatedAt, to.UpdatedAt) = (from.Name, from.Status, from.CreatedAt, from.UpdatedAt), cancellationToken);
            await context.CommitPageAsync(db, null, forms.Count, cancellationToken);
        }
    }
}

/// <summary>Flows, incrementally by <c>updated</c>.</summary>
public sealed class FlowsSyncer : IEntitySyncer
{
    public SyncEntity Entity => SyncEntity.Flows;

    public async Task SyncAsync(SyncContext context, CancellationToken cancellationToken)
    {
        var since = context.ReadCursor<SinceCursor>()?.Since;
        var query = "api/flows?page%5Bsize%5D=50&sort=updated" + (since is DateTime s ? "&filter=" + Uri.EscapeDataString(Klaviyo.KlaviyoFilter.Compare("greater-than", "updated", s)) : "");
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
        await using var final = await context.OpenAsync(cancellationToken);
        await context.CommitPageAsync(final, new SinceCursor(context.NextSince(newest, since)), 0, cancellationToken);
    }

    private static DateTime? Max(DateTime? a, DateTime? b) => a is null ? b : b is null ? a : a > b ? a : b;
}

public sealed record SinceCursor(DateTime? Since);

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
