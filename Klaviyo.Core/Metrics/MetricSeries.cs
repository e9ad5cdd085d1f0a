using Klaviyo.Core.Data;
using Klaviyo.Core.TimeRanges;

namespace Klaviyo.Core.Metrics;

public sealed record MetricSeries(Metric Metric, DateRange Range, SeriesInterval Interval, Measurement Measurement, IReadOnlyList<SeriesPoint> Points)
{
    public double Total => Points.Sum(p => p.Value);
}

public sealed record SeriesPoint(DateTime Start, double Value);
