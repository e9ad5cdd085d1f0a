namespace Klaviyo.Core.TimeRanges;

public enum SeriesInterval
{
    Hour,
    Day,
    Week,
    Month,
}
