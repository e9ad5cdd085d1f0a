using GraphQL.Types;
using Klaviyo.Core.Metrics;

namespace Klaviyo.GraphQL.Metrics;

public sealed class MeasurementType : EnumerationGraphType<Measurement>
{
    public MeasurementType()
    {
        Name = "Measurement";
        Description = "What a series point measures: COUNT of events or SUM_VALUE of their values.";
    }
}
