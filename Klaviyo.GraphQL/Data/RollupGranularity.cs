namespace Klaviyo.GraphQL.Data;

public enum RollupGranularity
{
    Hour = 0,
    Day = 1,
}
