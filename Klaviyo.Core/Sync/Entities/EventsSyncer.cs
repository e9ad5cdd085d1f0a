using Klaviyo.Api;
using Klaviyo.Core.Data;
using Klaviyo.Core.RestClient;

namespace Klaviyo.Core.Sync.Entities;

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

        // The next page is fetched and parsed while this one is written: Klaviyo's time, the parsing and the database's overlap.
        var pages = context.Client.GetPagesAsync(query, RateTier.XL, cancellationToken).Select(page => (page.Next, Events: page.Data.Select(Parse).ToList()));
        await foreach (var page in pages.Prefetch(1, cancellationToken))
        {
            var events = page.Events;
            // A future timestamp must not drag the cursor past now.
            newest = events.Select(e => (DateTime?)(e.Datetime > context.RunStartedAt ? context.RunStartedAt : e.Datetime)).Append(newest).Max();
            await using var db = await context.OpenAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var fresh = await EventPageWriter.WriteAsync(db, events, cancellationToken);
            await context.CommitPageAsync(db, cursor with { Next = page.Next, Newest = newest }, events.Count, cancellationToken, written: fresh.Count);
        }
        await context.SaveCursorAsync(new EventCursor(context.NextSince(newest, cursor.Since), null, null, sweptAt, sweepFrom), cancellationToken);
    }

    /// <summary>An event resource as we store it.</summary>
    public static Event Parse(System.Text.Json.JsonElement resource)
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
}

/// <param name="Since">Where the next run starts reading.</param>
/// <param name="Next">Mid-run: the next page, so a killed process resumes where it stopped.</param>
/// <param name="Newest">Mid-run: the newest datetime seen so far.</param>
/// <param name="SweptAt">When the last look-back sweep started.</param>
/// <param name="SweepFrom">The cursor when the last sweep started: the next sweep reads from it less the look-back.</param>
public sealed record EventCursor(DateTime? Since, string? Next, DateTime? Newest, DateTime? SweptAt, DateTime? SweepFrom);

