namespace Klaviyo.Core.Statistics;

/// <summary>
/// Report counters and rates shared by campaign and flow rows. Null means "no report fetched
/// yet" — never zero — so the UI can say so instead of showing a made-up 0 %.
/// </summary>
public abstract record MessageStatisticsRow
{
    public int? Recipients { get; init; }
    public int? Delivered { get; init; }
    public int? OpensUnique { get; init; }
    public int? ClicksUnique { get; init; }
    public int? ConversionUniques { get; init; }
    public double? Revenue { get; init; }
    public int? Bounced { get; init; }
    public int? Unsubscribes { get; init; }
    public int? SpamComplaints { get; init; }
    public double? OpenRate { get; init; }
    public double? ClickRate { get; init; }
    public double? ConversionRate { get; init; }
    public double? RevenuePerRecipient { get; init; }
    public double? BounceRate { get; init; }
    public double? UnsubscribeRate { get; init; }
    public DateTime? StatisticsFetchedAt { get; init; }
}
