using GraphQL.Types;
using Klaviyo.Core.Overview;

namespace Klaviyo.GraphQL.Overview;

public sealed class RevenuePointType : ObjectGraphType<RevenuePoint>
{
    public RevenuePointType()
    {
        Name = "RevenuePoint";
        Description = "Placed-order revenue in one bucket, by attribution.";
        Field(p => p.Start).Description("Start of the bucket (UTC instant of a local boundary, or the window's start).");
        Field(p => p.End).Description("End of the bucket (exclusive; the window's end for the last).");
        Field(p => p.Campaign).Description("Revenue attributed to campaigns.");
        Field(p => p.Flow).Description("Revenue attributed to flows.");
        Field(p => p.Form).Description("Revenue attributed to sign-up forms.");
        Field(p => p.Other).Description("Revenue with no attribution.");
        Field(p => p.Total).Description("All revenue in the bucket.");
    }
}

/// <summary>A comparison bucket: only its total (the comparison is drawn as one line).</summary>
public sealed class ComparisonPointType : ObjectGraphType<RevenuePoint>
{
    public ComparisonPointType()
    {
        Name = "ComparisonPoint";
        Description = "Revenue in one bucket of the comparison window.";
        Field(p => p.Start).Description("Start of the bucket (UTC instant).");
        Field(p => p.End).Description("End of the bucket (exclusive).");
        Field(p => p.Total).Description("All revenue in the bucket.");
    }
}
