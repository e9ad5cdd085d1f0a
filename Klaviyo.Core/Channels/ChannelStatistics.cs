namespace Klaviyo.Core.Channels;

/// <summary>One channel's campaigns sent in a window, from their reports: Klaviyo's rates, always over delivered.</summary>
public sealed record ChannelStatistics(Channel Channel, int Campaigns, int Recipients, int Delivered, int OpensUnique, int ClicksUnique, int ConversionUniques, double Revenue)
{
    /// <summary>Null for SMS, which has no opens, and when nothing was delivered.</summary>
    public double? OpenRate => ChannelNames.HasOpens(Channel) ? Over(OpensUnique) : null;
    public double? ClickRate => Over(ClicksUnique);
    public double? ConversionRate => Over(ConversionUniques);
    public double? RevenuePerRecipient => Over(Revenue);

    private double? Over(double value) => Delivered == 0 ? null : value / Delivered;
}
