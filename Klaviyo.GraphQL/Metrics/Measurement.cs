namespace Klaviyo.GraphQL.Metrics;

public enum Measurement
{
    Count,
    SumValue,
}
