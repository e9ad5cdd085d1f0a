using Klaviyo.GraphQL.Data;
using Klaviyo.GraphQL.Klaviyo;
using Klaviyo.GraphQL.Metrics;
using Klaviyo.GraphQL.Sandbox;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.GraphQL.Sync.Entities;

/// <summary>
/// Events by <c>datetime</c>: the cursor is the newest datetime seen (capped at the run's start,
/// so an event stamped in the future cannot push it ahead) less the overlap; every
/// <see cref="SyncOptions.SweepInterval"/> a run starts <see cref="SyncOptions.LookBack"/>
/// before the cursor, for events that arrived late. Only events new to the database are inserted and added to the
/// rollups, in the same transaction as the page's checkpoint: re-reads change nothing.
/// </summary>
public sealed class EventsSyncer : IEntitySyncer
{
    public SyncEntity Entity => SyncEntity.Events;

    public async Task SyncAsync(SyncContext context, CancellationToken cancellationToken)
    {
        var cursor = context.ReadCursor<EventCursor>() ?? new EventCursor(null, null, null, null, null);
        var sweep = cursor.Next is null && cursor.Since is not null && (cursor.SweptAt is null || context.Now - cursor.SweptAt >= context.Options.SweepInterval);
        // An event that arrived after the previous sweep began arrived after that sweep's cursor, and
        // happened at most LookBack before it arrived: this sweep reads from that cursor less LookBack.
        var from = sweep ? (cursor.SweepFrom ?? cursor.Since) - context.Options.LookBack : cursor.Since;
        var sweptAt = sweep ? context.RunStartedAt : cursor.SweptAt;
        var sweepFrom = sweep ? cursor.Since : cursor.SweepFrom ?? cursor.Since;
        var newest = cursor.Newest;
        var query = cursor.Next ?? "api/events?sort=datetime&page%5Bsize%5D=1000"
            + (from is DateTime f ? "&filter=" + Uri.EscapeDataString(KlaviyoFilter.Compare("greater-or-equal", "datetime", f)) : "");
        if (sweep)
            context.Logger.LogDebug("Sync {RunId} Events: look-back sweep from {From:u}", context.RunId, from);

        await foreach (var page in context.Client.GetPagesAsync(query, RateTier.XL, cancellationToken))
        {
            var events = page.Data.Select(Parse).ToList();
            // A future timestamp must not drag the cursor past now.
            newest = events.Select(e => (DateTime?)(e.Datetime > context.RunStartedAt ? context.RunStartedAt : e.Datetime)).Append(newest).Max();
            await using var db = await context.OpenAsync(cancellationToken);
            var ids = events.Select(e => e.Id).Distinct().ToList();
            var known = (await db.Events.Where(e => ids.Contains(e.Id)).Select(e => e.Id).ToListAsync(cancellationToken)).ToHashSet();
            var fresh = events.DistinctBy(e => e.Id).Where(e => !known.Contains(e.Id)).ToList();
            db.Events.AddRange(fresh);
            await AddToRollupsAsync(db, fresh, cancellationToken);
            await context.CommitPageAsync(db, cursor with { Next = page.Next, Newest = newest }, events.Count, cancellationToken);
        }
        await context.SaveCursorAsync(new EventCursor(context.NextSince(newest, cursor.Since), null, null, sweptAt, sweepFrom), cancellationToken);
    }

    private static Event Parse(System.Text.Json.JsonElement resource)
    {
        var a = resource.Attributes();
        var metric = resource.Linkage("metric").Select(l => l.Id).FirstOrDefault()
            ?? throw new KlaviyoException(KlaviyoFailure.InvalidResponse, $"Klaviyo sent event {resource.Id()} without a metric.");
        var attributions = resource.Linkage("attributions").ToList();
        return new Event
        {
            Id = resource.Id(),
            MetricId = metric,
            ProfileId = resource.Linkage("profile").Select(l => l.Id).FirstOrDefault(),
            Datetime = a.RequiredDate("datetime"),
            Value = a.Number("event_properties", "$value"),
            CampaignId = attributions.Where(l => l.Type == "campaign").Select(l => l.Id).FirstOrDefault(),
            FlowId = attributions.Where(l => l.Type == "flow").Select(l => l.Id).FirstOrDefault() ?? a.String("event_properties", "$flow"),
            MessageId = a.String("event_properties", "$message") ?? a.String("event_properties", "$attributed_message"),
            FormId = a.String("event_properties", "$form_id"),
        };
    }

    /// <summary>Adds new events to their hourly and daily buckets (created when missing).</summary>
    private static async Task AddToRollupsAsync(KlaviyoDbContext db, IReadOnlyList<Event> fresh, CancellationToken cancellationToken)
    {
        if (fresh.Count == 0)
            return;
        var deltas = MetricRollupBuilder.From(fresh);
        var metrics = deltas.Select(d => d.MetricId).Distinct().ToList();
        var starts = deltas.Select(d => d.BucketStart).Distinct().ToList();
        var stored = await db.MetricRollups
            .Where(r => metrics.Contains(r.MetricId) && starts.Contains(r.BucketStart))
            .ToDictionaryAsync(r => (r.MetricId, r.Granularity, r.BucketStart, r.Channel), cancellationToken);
        foreach (var delta in deltas)
        {
            if (stored.TryGetValue((delta.MetricId, delta.Granularity, delta.BucketStart, delta.Channel), out var rollup))
            {
                rollup.Count += delta.Count;
                rollup.SumValue += delta.SumValue;
            }
            else
                db.MetricRollups.Add(delta);
        }
    }
}

/// <param name="Since">Where the next run starts reading.</param>
/// <param name="Next">Mid-run: the next page, so a killed process resumes where it stopped.</param>
/// <param name="Newest">Mid-run: the newest datetime seen so far.</param>
/// <param name="SweptAt">When the last look-back sweep started.</param>
/// <param name="SweepFrom">The cursor when the last sweep started: the next sweep reads from it less the look-back.</param>
public sealed record EventCursor(DateTime? Since, string? Next, DateTime? Newest, DateTime? SweptAt, DateTime? SweepFrom);
