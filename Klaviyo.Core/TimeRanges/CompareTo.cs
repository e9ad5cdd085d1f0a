namespace Klaviyo.Core.TimeRanges;

/// <summary>What "% change" compares a range with.</summary>
public enum CompareTo
{
    PreviousPeriod,
    PreviousYear,
    None,
}
