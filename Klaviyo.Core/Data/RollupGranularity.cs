namespace Klaviyo.Core.Data;

public enum RollupGranularity
{
    Hour = 0,
    Day = 1,
}
