using GraphQL.Types;
using Klaviyo.Core.Freshness;
using Klaviyo.Core.Metrics;
using Klaviyo.GraphQL.Freshness;
using Klaviyo.GraphQL.TimeRanges;

namespace Klaviyo.GraphQL.Metrics;

public sealed class MetricSeriesPayloadType : ObjectGraphType<Fresh<MetricSeries>>
{
    public MetricSeriesPayloadType()
    {
        Name = "MetricSeriesPayload";
        Description = "One metric over time.";
        Field<NonNullGraphType<MetricType>>("metric").Description("The metric.").Resolve(c => c.Source.Data.Metric);
        Field<NonNullGraphType<DateRangeType>>("range").Description("The range, widened to whole buckets.").Resolve(c => c.Source.Data.Range);
        Field<NonNullGraphType<SeriesIntervalType>>("interval").Description("The bucket width.").Resolve(c => c.Source.Data.Interval);
        Field<NonNullGraphType<MeasurementType>>("measurement").Description("What each point measures.").Resolve(c => c.Source.Data.Measurement);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<SeriesPointType>>>>("points").Description("Every bucket of the range, zero when it had no events.").Resolve(c => c.Source.Data.Points);
        Field<NonNullGraphType<FloatGraphType>>("total").Description("The sum of all points.").Resolve(c => c.Source.Data.Total);
        this.AddFreshnessFields();
    }
}

public sealed class SeriesPointType : ObjectGraphType<SeriesPoint>
{
    public SeriesPointType()
    {
        Name = "SeriesPoint";
        Description = "One bucket of a series.";
        Field(p => p.Start).Description("Start of the bucket (UTC).");
        Field(p => p.Value).Description("The measurement in the bucket.");
    }
}
