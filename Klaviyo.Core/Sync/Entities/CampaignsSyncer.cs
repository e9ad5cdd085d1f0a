using System.Text.Json;
using Klaviyo.Api;
using Klaviyo.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.Core.Sync.Entities;

/// <summary>Campaigns with their messages, per channel (Klaviyo requires one), incrementally by <c>updated_at</c>.</summary>
public sealed class CampaignsSyncer : IEntitySyncer
{
    private static readonly string[] Channels = ["email", "sms"];

    public SyncEntity Entity => SyncEntity.Campaigns;

    public async Task SyncAsync(SyncContext context, CancellationToken cancellationToken)
    {
        var since = context.ReadCursor<SinceCursor>()?.Since;
        DateTime? newest = null;
        foreach (var channel in Channels)
        {
            var filter = since is DateTime s
                ? KlaviyoFilter.And(KlaviyoFilter.EqualTo("messages.channel", channel), KlaviyoFilter.Compare("greater-than", "updated_at", s))
                : KlaviyoFilter.EqualTo("messages.channel", channel);
            var query = $"api/campaigns?filter={Uri.EscapeDataString(filter)}&include=campaign-messages&sort=updated_at&page%5Bsize%5D=100";
            await foreach (var page in context.Client.GetPagesAsync(query, RateTier.M, cancellationToken))
            {
                var messages = page.Included.Where(i => i.String("type") == "campaign-message").ToDictionary(i => i.Id());
                var campaigns = page.Data.Select(r => Read(r, channel, messages)).ToList();
                newest = campaigns.Select(c => (DateTime?)c.UpdatedAt).Append(newest).Max();

                await using var db = await context.OpenAsync(cancellationToken);
                await Upsert.ManyAsync(db.Campaigns, campaigns, c => c.Id, ids => db.Campaigns.Include(c => c.Messages).Where(c => ids.Contains(c.Id)), Update, cancellationToken);
                await context.CommitPageAsync(db, new SinceCursor(since), campaigns.Count, cancellationToken);
            }
        }
        await context.SaveCursorAsync(new SinceCursor(context.NextSince(newest, since)), cancellationToken);
    }

    /// <summary>A campaign resource with the messages it links to (included in the same page).</summary>
    private static Campaign Read(JsonElement r, string channel, Dictionary<string, JsonElement> messages)
    {
        var a = r.Attributes();
        var campaign = new Campaign
        {
            Id = r.Id(),
            Name = a.RequiredString("name"),
            Status = a.RequiredString("status"),
            Channel = channel,
            Archived = a.Bool("archived"),
            CreatedAt = a.RequiredDate("created_at"),
            UpdatedAt = a.RequiredDate("updated_at"),
            ScheduledAt = a.Date("scheduled_at"),
            SendTime = a.Date("send_time"),
        };
        foreach (var (_, messageId) in r.Linkage("campaign-messages"))
        {
            if (!messages.TryGetValue(messageId, out var m))
                continue;
            var ma = m.Attributes();
            campaign.Messages.Add(new CampaignMessage
            {
                Id = messageId,
                CampaignId = campaign.Id,
                Channel = ma.String("definition", "channel") ?? channel,
                Label = ma.String("definition", "label"),
                Subject = ma.String("definition", "content", "subject"),
                PreviewText = ma.String("definition", "content", "preview_text"),
                CreatedAt = ma.Date("created_at"),
                UpdatedAt = ma.Date("updated_at"),
            });
        }
        return campaign;
    }

    private static void Update(Campaign from, Campaign to)
    {
        (to.Name, to.Status, to.Channel, to.Archived, to.CreatedAt, to.UpdatedAt, to.ScheduledAt, to.SendTime) =
            (from.Name, from.Status, from.Channel, from.Archived, from.CreatedAt, from.UpdatedAt, from.ScheduledAt, from.SendTime);
        foreach (var message in from.Messages)
        {
            if (to.Messages.Find(m => m.Id == message.Id) is { } existing)
                (existing.Subject, existing.Label, existing.PreviewText, existing.UpdatedAt) = (message.Subject, message.Label, message.PreviewText, message.UpdatedAt);
            else
                to.Messages.Add(message);
        }
    }
}
