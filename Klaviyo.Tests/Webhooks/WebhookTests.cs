using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Klaviyo.Api;
using Klaviyo.Core.Data;
using Klaviyo.Core.Sync;
using Klaviyo.Core.Sync.Events;
using Klaviyo.Core.Webhooks;
using Klaviyo.Sandbox;
using Klaviyo.Testing.Faults;
using Klaviyo.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.Tests.Webhooks;

public sealed class WebhookTests : IAsyncLifetime
{
    private readonly WebhookFactory _factory = new();

    public Task InitializeAsync() => _factory.SyncAsync(SyncEntity.Metrics, SyncEntity.Events);

    public Task DisposeAsync() => _factory.DisposeAsync().AsTask();

    private DateTime Now => _factory.Clock.GetUtcNow().UtcDateTime;

    private async Task<string?> EventsCursorAsync()
    {
        await using var db = await _factory.Db();
        return (await db.SyncStates.AsNoTracking().SingleAsync(s => s.Entity == SyncEntity.Events)).Cursor;
    }

    private async Task<Integrity> IntegrityAsync(DateTime syncedFrom)
    {
        await using var db = await _factory.Db();
        return await Integrity.CheckAsync(db, _factory.Account, syncedFrom, Now);
    }

    [Fact]
    public async Task The_app_registers_one_webhook_for_every_event_topic_and_registering_again_updates_it()
    {
        var status = await _factory.RegisteredAsync();

        Assert.Equal(WebhookState.Active, status.State);
        var webhook = Assert.Single(_factory.Webhooks.All);
        Assert.Equal(new Uri("http://localhost/webhooks/klaviyo"), webhook.EndpointUrl);
        Assert.True(webhook.Enabled);
        Assert.Equal(_factory.Webhooks.Topics.Keys.Order(), webhook.Topics.Order());
        Assert.Equal(await _factory.Service<WebhookSecret>().GetAsync(CancellationToken.None), webhook.Secret);
        Assert.Equal(webhook.Id, status.WebhookId);

        // A restart (or a changed URL) finds the webhook by name and updates it: still one.
        _factory.Webhooks.Save(webhook with { Enabled = false, Secret = "an-old-secret-value" });
        await _factory.Service<IEnumerable<Microsoft.Extensions.Hosting.IHostedService>>().OfType<WebhookRegistration>().Single().RegisterAsync(CancellationToken.None);
        var updated = Assert.Single(_factory.Webhooks.All);
        Assert.Equal((webhook.Id, true, webhook.Secret), (updated.Id, updated.Enabled, updated.Secret));
    }

    [Fact]
    public async Task Pushed_events_are_stored_once_in_the_rollups_and_announced_at_once_and_the_next_poll_adds_only_what_webhooks_do_not_carry()
    {
        await _factory.RegisteredAsync();
        var cursor = await EventsCursorAsync();
        var pushes = new List<DataChangedEvent>();
        using var listener = _factory.Service<EventBus>().Observe<DataChangedEvent>().Subscribe(e => { lock (pushes) pushes.Add(e); });
        var synced = Now;
        var first = _factory.Account.EventCountAt(synced);

        _factory.Clock.Advance(TimeSpan.FromMinutes(40));
        var arrived = Enumerable.Range(0, (int)(_factory.Account.EventCountAt(Now) - first)).Select(i => _factory.Account.Event(first + i)).ToList();
        var pushable = arrived.Where(e => _factory.Webhooks.Topics.Values.Contains(e.MetricId)).ToList();
        Assert.NotEmpty(pushable);
        Assert.NotEqual(arrived.Count, pushable.Count); // Placed Order and Started Checkout have no topic: polling brings them
        await Wait.UntilAsync(() => _factory.Status.Stored >= pushable.Count, TimeSpan.FromSeconds(20));

        await using (var db = await _factory.Db())
        {
            var ids = arrived.Select(e => e.Id).ToList();
            var stored = await db.Events.Where(e => ids.Contains(e.Id)).Select(e => e.Id).ToListAsync();
            Assert.Equal(pushable.Select(e => e.Id).Order(), stored.Order());
        }
        Assert.Equal(pushable.Count, _factory.Status.Stored);
        Assert.Equal(cursor, await EventsCursorAsync()); // webhooks never move the checkpoint
        var integrity = await IntegrityAsync(synced);
        Assert.Equal((0L, 0L, true), (integrity.Lost, integrity.Duplicated, integrity.RollupsEqual));
        lock (pushes)
        {
            Assert.Contains(pushes, p => p.Entities.SequenceEqual([SyncEntity.Events]) && p.RunId is null);
            Assert.Equal(pushable.Count, pushes.Where(p => p.RunId is null).Sum(p => p.Records));
        }

        var poll = await _factory.SyncAsync(SyncEntity.Events);
        Assert.Equal(arrived.Count - pushable.Count, poll.Records); // only what no webhook carried
        integrity = await IntegrityAsync(poll.StartedAt);
        Assert.Equal((_factory.Account.EventCountAt(poll.StartedAt), 0L, 0L, true), (integrity.Events, integrity.Lost, integrity.Duplicated, integrity.RollupsEqual));
    }

    [Fact]
    public async Task Duplicated_reordered_and_dropped_batches_leave_the_database_equal_to_Klaviyo_after_the_next_poll()
    {
        await _factory.RegisteredAsync();
        _factory.SetFaults(new SandboxFaults { WebhookDuplicates = true, WebhookOutOfOrder = true, WebhookDropRate = 0.3 });
        for (var step = 0; step < 20; step++)
        {
            // Small steps, so there are many batches to duplicate, reorder and drop.
            var batches = _factory.Webhooks.Batches;
            var from = _factory.Account.EventCountAt(Now);
            _factory.Clock.Advance(TimeSpan.FromMinutes(3));
            var pushable = Enumerable.Range(0, (int)(_factory.Account.EventCountAt(Now) - from)).Count(i => _factory.Webhooks.Topics.Values.Contains(_factory.Account.Event(from + i).MetricId));
            if (pushable > 0)
                await Wait.UntilAsync(() => _factory.Webhooks.Batches > batches);
        }
        // Both copies of a duplicated batch were accepted, the second storing nothing.
        await Wait.UntilAsync(() => _factory.Status.Events > _factory.Status.Stored);

        var poll = await _factory.SyncAsync(SyncEntity.Events);
        var integrity = await IntegrityAsync(poll.StartedAt);
        Assert.Equal((0L, 0L, true), (integrity.Lost, integrity.Duplicated, integrity.RollupsEqual));
        Assert.Equal(_factory.Account.EventCountAt(poll.StartedAt), integrity.Events);
        Assert.True(_factory.Status.Stored > 0);
    }

    [Fact]
    public async Task A_delivery_signed_with_the_wrong_key_is_refused_and_stores_nothing()
    {
        await _factory.RegisteredAsync();
        _factory.SetFaults(new SandboxFaults { WebhookBadSignature = true });
        await using (var db = await _factory.Db())
        {
            var before = await db.Events.CountAsync();
            _factory.Clock.Advance(TimeSpan.FromMinutes(20));
            await Wait.UntilAsync(() => _factory.Status.Refused.GetValueOrDefault("bad_signature") > 0, TimeSpan.FromSeconds(10));
            Assert.Equal(before, await db.Events.CountAsync());
        }
        Assert.Equal(0, _factory.Status.Stored);
    }

    [Fact]
    public async Task Unsigned_stale_replayed_or_mismatched_deliveries_are_refused_with_a_status_that_says_why()
    {
        await _factory.RegisteredAsync();
        var client = _factory.CreateClient();
        var secret = await _factory.Service<WebhookSecret>().GetAsync(CancellationToken.None);
        var webhookId = _factory.Status.WebhookId!;
        var e = _factory.Account.Event(_factory.Account.EventCountAt(Now) + 5); // not arrived yet: not stored
        var body = SignedDelivery.Body(e, webhookId);

        HttpRequestMessage Request(byte[] content, string? timestamp, string? signature, string? id = null) =>
            SignedDelivery.Request(WebhookOptions.Path, content, timestamp, signature, id ?? webhookId);
        var now = JsonApi.Iso(Now);
        var stale = JsonApi.Iso(Now - TimeSpan.FromMinutes(6));

        Assert.Equal(HttpStatusCode.BadRequest, (await client.SendAsync(Request(body, now, null))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.SendAsync(Request(body, "yesterday", "00"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(Request(body, now, WebhookSignature.Compute("wrong-secret-123456", body, now)))).StatusCode);
        byte[] tampered = [.. body, (byte)' '];
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(Request(tampered, now, WebhookSignature.Compute(secret, body, now)))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(Request(body, stale, WebhookSignature.Compute(secret, body, stale)))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.SendAsync(Request(body, now, WebhookSignature.Compute(secret, body, now), id: "ANOTHER"))).StatusCode);
        var notJson = "{\"data\": [{\"trunc"u8.ToArray();
        Assert.Equal(HttpStatusCode.BadRequest, (await client.SendAsync(Request(notJson, now, WebhookSignature.Compute(secret, notJson, now)))).StatusCode);
        await using (var db = await _factory.Db())
            Assert.False(await db.Events.AnyAsync(x => x.Id == e.Id));

        var accepted = await client.SendAsync(Request(body, now, WebhookSignature.Compute(secret, body, now)));
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(1, JsonDocument.Parse(await accepted.Content.ReadAsStringAsync()).RootElement.GetProperty("stored").GetInt32());
        Assert.Equal(HttpStatusCode.Conflict, (await client.SendAsync(Request(body, now, WebhookSignature.Compute(secret, body, now)))).StatusCode);
        // The same bytes spelled in upper case are the same signature: still a replay.
        Assert.Equal(HttpStatusCode.Conflict, (await client.SendAsync(Request(body, now, WebhookSignature.Compute(secret, body, now).ToUpperInvariant()))).StatusCode);
        // The same events in a new delivery (Klaviyo's retry): accepted, nothing stored twice.
        var later = JsonApi.Iso(Now + TimeSpan.FromSeconds(1));
        var again = await client.SendAsync(Request(body, later, WebhookSignature.Compute(secret, body, later)));
        Assert.Equal(0, JsonDocument.Parse(await again.Content.ReadAsStringAsync()).RootElement.GetProperty("stored").GetInt32());
        await using (var db = await _factory.Db())
            Assert.Equal(1, await db.Events.CountAsync(x => x.Id == e.Id));

        Assert.Equal(
            ["bad_body", "bad_signature", "bad_timestamp", "missing_header", "replay", "stale"],
            _factory.Status.Refused.Keys.Order());
        Assert.Equal(2, _factory.Status.Refused["bad_signature"]);
    }
}

public sealed class WebhookUnavailableTests : IAsyncLifetime
{
    private readonly WebhookFactory _factory = new();

    public Task InitializeAsync()
    {
        _factory.With("Sandbox:Webhooks", "false");
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => _factory.DisposeAsync().AsTask();

    [Fact]
    public async Task An_account_without_webhooks_is_reported_once_and_polling_carries_on()
    {
        var status = await _factory.RegisteredAsync();

        Assert.Equal(WebhookState.Unavailable, status.State);
        Assert.Contains("cannot use system webhooks", status.Message);
        Assert.Empty(_factory.Webhooks.All);
        var webhookCalls = _factory.ClientRequests.Count(r => r.RequestUri!.AbsolutePath.Contains("/api/webhook"));
        Assert.Equal(1, webhookCalls); // refused once, not retried
        var run = await _factory.SyncAsync(SyncEntity.Metrics, SyncEntity.Events);
        Assert.Equal(SyncRunOutcome.Succeeded, run.Outcome);
        Assert.Empty(_factory.Service<Klaviyo.Core.Errors.ApiErrorBoard>().Current);
    }
}
