namespace Klaviyo.Core.Metrics;

public enum Measurement
{
    Count,
    SumValue,
}
