using Klaviyo.Core.Channels;
using Klaviyo.Core.Data;
using Klaviyo.Core.Statistics;

namespace Klaviyo.Core.Campaigns;

/// <summary>A campaign with its first message and its report for one conversion metric, projected in SQL so rates can be filtered and sorted on.</summary>
public sealed record CampaignRow : MessageStatisticsRow
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Status { get; init; }
    public required string Channel { get; init; }
    public bool Archived { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
    public DateTime? SendTime { get; init; }
    public string? Subject { get; init; }

    /// <summary>Campaigns (of the scope's channel) with their report rows of the scope summed; projected in SQL.</summary>
    public static IQueryable<CampaignRow> Query(KlaviyoDbContext db, ReportScope scope)
    {
        var channels = scope.Channel is { } channel ? ChannelNames.Stored(channel) : null;
        var statistics = StatisticsSum.Of(db.CampaignStatistics, s => s.CampaignId, scope);
        return from c in db.Campaigns
               where channels == null || channels.Contains(c.Channel)
               join sum in statistics on c.Id equals sum.OwnerId into joined
               from s in joined.DefaultIfEmpty()
               select new CampaignRow
               {
                   Id = c.Id,
                   Name = c.Name,
                   Status = c.Status,
                   Channel = c.Channel,
                   Archived = c.Archived,
                   CreatedAt = c.CreatedAt,
                   UpdatedAt = c.UpdatedAt,
                   SendTime = c.SendTime,
                   Subject = c.Messages.OrderBy(m => m.Id).Select(m => m.Subject).FirstOrDefault(),
                   Recipients = s!.Recipients,
                   Delivered = s!.Delivered,
                   // ChannelNames.HasOpens, in SQL: an SMS-only row has no open count, however the report was filled.
                   OpensUnique = s!.OpenableRows == 0 ? null : s!.OpensUnique,
                   ClicksUnique = s!.ClicksUnique,
                   ConversionUniques = s!.ConversionUniques,
                   Revenue = s!.Revenue,
                   Bounced = s!.Bounced,
                   Unsubscribes = s!.Unsubscribes,
                   SpamComplaints = s!.SpamComplaints,
                   // Null without rows (the left join's nulls) or when nothing was delivered.
                   OpenRate = s!.OpenableDelivered == 0 ? null : (double?)s!.OpensUnique / s!.OpenableDelivered,
                   ClickRate = s!.Delivered == 0 ? null : (double?)s!.ClicksUnique / s!.Delivered,
                   ConversionRate = s!.Delivered == 0 ? null : (double?)s!.ConversionUniques / s!.Delivered,
                   RevenuePerRecipient = s!.Delivered == 0 ? null : s!.Revenue / s!.Delivered,
                   BounceRate = s!.Delivered == 0 ? null : (double?)s!.Bounced / s!.Delivered,
                   UnsubscribeRate = s!.Delivered == 0 ? null : (double?)s!.Unsubscribes / s!.Delivered,
                   StatisticsFetchedAt = s!.FetchedAt,
               };
    }
}
