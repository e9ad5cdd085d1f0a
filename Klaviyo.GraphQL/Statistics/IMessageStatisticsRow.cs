namespace Klaviyo.GraphQL.Statistics;

/// <summary>
/// Report counters and rates shared by campaign and flow rows. Null means "no report fetched
/// yet" — never zero — so the UI can say so instead of showing a made-up 0 %.
/// </summary>
public interface IMessageStatisticsRow
{
    int? Recipients { get; }
    int? Delivered { get; }
    int? OpensUnique { get; }
    int? ClicksUnique { get; }
    int? ConversionUniques { get; }
    double? Revenue { get; }
    int? Bounced { get; }
    int? Unsubscribes { get; }
    int? SpamComplaints { get; }
    double? OpenRate { get; }
    double? ClickRate { get; }
    double? ConversionRate { get; }
    double? RevenuePerRecipient { get; }
    double? BounceRate { get; }
    double? UnsubscribeRate { get; }
    DateTime? StatisticsFetchedAt { get; }
}
