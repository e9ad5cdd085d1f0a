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
/// A first sync reads the last <see cref="SyncOptions.RecentFirst"/> first and announces that
/// everything from there on is stored (readers answer for windows inside it), then the older history.
/// </summary>
public sealed class EventsSyncer : IEntitySyncer
{
    /// <summary>
    /// At most this many pages (of 1,000 events) in one commit. A commit rewrites every index page its
    /// rows touch, and event ids are random: the fewer commits, the less a first sync writes.
    /// </summary>
    private const int PagesPerCommit = 5;

    public SyncEntity Entity => SyncEntity.Events;

    public async Task SyncAsync(SyncContext context, CancellationToken cancellationToken)
    {
        var cursor = context.ReadCursor<EventCursor>() ?? new EventCursor(null, null, null, null, null);
        if (cursor.Since is null)
        {
            // A first sync, from its start or its checkpoint (one begun before recent-first has no HistoryBefore and reads everything).
            var before = cursor.Next is null ? RecentFrom(context) : cursor.HistoryBefore;
            var newest = await ReadAsync(context, cursor with { HistoryBefore = before }, Query(before, null), cancellationToken);
            cursor = new EventCursor(context.NextSince(newest, null), null, null, null, null, before);
            await context.SaveCursorAsync(cursor, cancellationToken);
        }
        if (cursor.HistoryBefore is DateTime historyBefore)
        {
            // Everything from historyBefore on is stored (announced again after a restart, which forgets it); the history before it follows.
            await context.CoveredFromAsync(historyBefore);
            await ReadAsync(context, cursor, Query(null, historyBefore), cancellationToken);
            await context.SaveCursorAsync(cursor with { Next = null, Newest = null, HistoryBefore = null }, cancellationToken);
            return;
        }

        var sweep = cursor.Next is null && (cursor.SweptAt is null || context.Now - cursor.SweptAt >= context.Options.SweepInterval);
        // An event that arrived after the previous sweep began arrived after that sweep's cursor, and
        // happened at most LookBack before it arrived: this sweep reads from that cursor less LookBack.
        var from = sweep ? (cursor.SweepFrom ?? cursor.Since) - context.Options.LookBack : cursor.Since;
        var sweptAt = sweep ? context.RunStartedAt : cursor.SweptAt;
        var sweepFrom = sweep ? cursor.Since : cursor.SweepFrom ?? cursor.Since;
        if (sweep)
            context.Logger.LogDebug("Sync {RunId} Events: look-back sweep from {From:u}", context.RunId, from);
        var newestSeen = await ReadAsync(context, cursor, Query(from, null), cancellationToken);
        await context.SaveCursorAsync(new EventCursor(context.NextSince(newestSeen, cursor.Since), null, null, sweptAt, sweepFrom), cancellationToken);
    }

    private static string Query(DateTime? from, DateTime? before)
    {
        string[] conditions = [.. new[] { (Op: "greater-or-equal", At: from), (Op: "less-than", At: before) }
            .Where(c => c.At is not null).Select(c => KlaviyoFilter.Compare(c.Op, "datetime", c.At!.Value))];
        return "api/events?sort=datetime&page%5Bsize%5D=1000" + (conditions.Length == 0 ? "" : "&filter=" + Uri.EscapeDataString(KlaviyoFilter.And(conditions)));
    }

    /// <summary>Where a first sync's recent part begins: whole seconds, as Klaviyo's filters read them, so the two parts meet exactly.</summary>
    private static DateTime RecentFrom(SyncContext context)
    {
        var from = context.RunStartedAt - context.Options.RecentFirst;
        return new DateTime(from.Ticks - from.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
    }

    /// <summary>
    /// Reads <paramref name="query"/> (or from the checkpoint's next page) to its end, each commit with its
    /// checkpoint; returns the newest datetime seen, capped at the run's start.
    /// </summary>
    private static async Task<DateTime?> ReadAsync(SyncContext context, EventCursor cursor, string query, CancellationToken cancellationToken)
    {
        var newest = cursor.Newest;
        // The next pages are fetched and parsed while these are written: Klaviyo's time, the parsing and the database's overlap.
        // The pages that arrived during a write commit together at the next (when the writes fall behind: fewer, larger commits).
        var pages = context.Client.GetPagesAsync(cursor.Next ?? query, RateTier.XL, cancellationToken).Select(page => (page.Next, Events: page.Data.Select(Parse).ToList()));
        await foreach (var arrived in pages.PrefetchBatches(PagesPerCommit, cancellationToken))
        {
            var events = arrived.SelectMany(page => page.Events).ToList();
            // A future timestamp must not drag the cursor past now.
            newest = events.Select(e => (DateTime?)(e.Datetime > context.RunStartedAt ? context.RunStartedAt : e.Datetime)).Append(newest).Max();
            await using var db = await context.OpenAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var fresh = await EventPageWriter.WriteAsync(db, events, cancellationToken);
            await context.CommitPageAsync(db, cursor with { Next = arrived[^1].Next, Newest = newest }, events.Count, cancellationToken, written: fresh.Count, pages: arrived.Count);
        }
        return newest;
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
/// <param name="HistoryBefore">During a first sync: events from here on are read first, those before it after them.</param>
public sealed record EventCursor(DateTime? Since, string? Next, DateTime? Newest, DateTime? SweptAt, DateTime? SweepFrom, DateTime? HistoryBefore = null);
