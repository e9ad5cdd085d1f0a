using System.Linq.Expressions;
using Klaviyo.GraphQL.Channels;
using Klaviyo.GraphQL.Data;
using Klaviyo.GraphQL.Statistics;

namespace Klaviyo.GraphQL.Campaigns;

/// <summary>A campaign with its first message and its report, projected in SQL so rates can be filtered and sorted on.</summary>
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

    public static readonly Expression<Func<Campaign, CampaignRow>> Projection = c => new CampaignRow
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
        Recipients = c.Statistics == null ? null : c.Statistics.Values.Recipients,
        Delivered = c.Statistics == null ? null : c.Statistics.Values.Delivered,
        // SMS has no opens: never a number, however the report was filled.
        OpensUnique = c.Statistics == null || c.Channel == ChannelNames.Sms ? null : c.Statistics.Values.OpensUnique,
        ClicksUnique = c.Statistics == null ? null : c.Statistics.Values.ClicksUnique,
        ConversionUniques = c.Statistics == null ? null : c.Statistics.Values.ConversionUniques,
        Revenue = c.Statistics == null ? null : c.Statistics.Values.ConversionValue,
        Bounced = c.Statistics == null ? null : c.Statistics.Values.Bounced,
        Unsubscribes = c.Statistics == null ? null : c.Statistics.Values.Unsubscribes,
        SpamComplaints = c.Statistics == null ? null : c.Statistics.Values.SpamComplaints,
        OpenRate = c.Statistics == null || c.Statistics.Values.Delivered == 0 || c.Channel == ChannelNames.Sms ? null : (double)c.Statistics.Values.OpensUnique / c.Statistics.Values.Delivered,
        ClickRate = c.Statistics == null || c.Statistics.Values.Delivered == 0 ? null : (double)c.Statistics.Values.ClicksUnique / c.Statistics.Values.Delivered,
        ConversionRate = c.Statistics == null || c.Statistics.Values.Delivered == 0 ? null : (double)c.Statistics.Values.ConversionUniques / c.Statistics.Values.Delivered,
        RevenuePerRecipient = c.Statistics == null || c.Statistics.Values.Delivered == 0 ? null : c.Statistics.Values.ConversionValue / c.Statistics.Values.Delivered,
        BounceRate = c.Statistics == null || c.Statistics.Values.Delivered == 0 ? null : (double)c.Statistics.Values.Bounced / c.Statistics.Values.Delivered,
        UnsubscribeRate = c.Statistics == null || c.Statistics.Values.Delivered == 0 ? null : (double)c.Statistics.Values.Unsubscribes / c.Statistics.Values.Delivered,
        StatisticsFetchedAt = c.Statistics == null ? null : c.Statistics.FetchedAt,
    };
}
