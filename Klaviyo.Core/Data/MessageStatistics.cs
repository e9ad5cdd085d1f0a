namespace Klaviyo.Core.Data;

/// <summary>
/// The Reporting API's counters for one campaign or flow over its report window. Rates are
/// derived from these (always over delivered), never stored, so they cannot disagree.
/// </summary>
public sealed record MessageStatistics
{
    public int Recipients { get; init; }
    public int Delivered { get; init; }
    public int Opens { get; init; }
    public int OpensUnique { get; init; }
    public int Clicks { get; init; }
    public int ClicksUnique { get; init; }
    public int Conversions { get; init; }
    public int ConversionUniques { get; init; }
    public double ConversionValue { get; init; }
    public int Bounced { get; init; }
    public int Unsubscribes { get; init; }
    public int SpamComplaints { get; init; }
}
