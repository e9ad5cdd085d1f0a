using GraphQL.Types;

namespace Klaviyo.GraphQL.Overview;

public sealed class KpiType : ObjectGraphType<Kpi>
{
    public KpiType()
    {
        Name = "Kpi";
        Description = "A KPI for the chosen window compared with the comparison window (compareTo).";
        Field(k => k.Value, nullable: true).Description("The value in the window; null when it cannot be computed (a rate with nothing delivered).");
        Field(k => k.PreviousValue, nullable: true).Description("The value in the comparison window; null with compareTo NONE.");
        Field(k => k.ChangePercent, nullable: true).Description("(value − previousValue) ÷ previousValue × 100; null when previousValue is 0 or unknown.");
    }
}
