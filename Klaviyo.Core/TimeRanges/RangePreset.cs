namespace Klaviyo.Core.TimeRanges;

/// <summary>Named ranges of whole days in the account's time zone; those that include today end now.</summary>
public enum RangePreset
{
    Today,
    Yesterday,
    Last7Days,
    Last30Days,
    Last90Days,
    ThisWeek,
    ThisMonth,
    LastMonth,
    ThisQuarter,
    ThisYear,
}
