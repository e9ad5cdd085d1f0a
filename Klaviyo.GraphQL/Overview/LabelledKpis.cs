using System.Runtime.CompilerServices;
using Klaviyo.Core.Overview;

namespace Klaviyo.GraphQL.Overview;

/// <summary>
/// A cached KPI as answered at one reading of the sync clock: the same reading gives the same object, so the
/// JSON kept for its fields (<see cref="Execution.ListJsonExecutionStrategy"/>) serves every answer until the
/// clock moves. Each KPI has its own object even while unknown: one shared by eight cards would be kept under
/// eight selections and push them out of each other's slots.
/// </summary>
internal static class LabelledKpis
{
    private static readonly ConditionalWeakTable<Kpi, Kpi> Last = new();

    /// <param name="at">When what the KPI reads was confirmed for its window; null while unknown.</param>
    public static Kpi Label(Kpi kpi, DateTime? at, DateTime? previousAt)
    {
        if (Last.TryGetValue(kpi, out var last) && last.LastUpdated == at && last.PreviousLastUpdated == previousAt)
            return last;
        var labelled = at is null
            ? Kpi.Unknown with { }
            : kpi with { LastUpdated = at, PreviousLastUpdated = previousAt, PreviousValue = previousAt is null ? null : kpi.PreviousValue };
        Last.AddOrUpdate(kpi, labelled);
        return labelled;
    }
}
