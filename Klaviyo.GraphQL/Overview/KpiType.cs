using GraphQL.Types;
using Klaviyo.Core.Overview;

namespace Klaviyo.GraphQL.Overview;

public sealed class KpiType : ObjectGraphType<Kpi>
{
    public KpiType()
    {
        Name = "Kpi";
        Description = "A KPI for the chosen window compared with the comparison window (compareTo).";
        Field(k => k.Value, nullable: true).Description("The value in the window; null when it cannot be computed (a rate with nothing delivered) or is not known yet (lastUpdated null).");
        Field(k => k.PreviousValue, nullable: true).Description("The value in the comparison window; null with compareTo NONE, or while the comparison window is not known yet (previousLastUpdated null).");
        Field(k => k.ChangePercent, nullable: true).Description("(value − previousValue) ÷ previousValue × 100; null when previousValue is 0 or unknown.");
        Field(k => k.LastUpdated, nullable: true).Description(
            "When every entity this number reads was last confirmed against Klaviyo (the oldest): revenue, orders and form submissions read events; " +
            "active subscribers profiles; the email rates campaigns and their reports. Null until each has synced once, and value is null until then too: never a made-up 0.");
        Field(k => k.PreviousLastUpdated, nullable: true).Description(
            "The same for the comparison window: null with compareTo NONE, or while its data is not known yet (a first sync reads the most recent events first, " +
            "so a recent window is known before the one it is compared with).");
    }
}
