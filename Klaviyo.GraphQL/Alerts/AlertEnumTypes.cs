using GraphQL.Types;
using Klaviyo.Core.Alerts;

namespace Klaviyo.GraphQL.Alerts;

public sealed class AlertKindType : EnumerationGraphType<AlertKind>
{
    public AlertKindType() { Name = "AlertKind"; Description = "THRESHOLD against a number, CHANGE against an earlier window, ANOMALY against the account's own seasonal history, DECAY a slow decline over weeks, DIAGNOSTIC the product watching itself."; }
}

public sealed class AlertSubjectType : EnumerationGraphType<AlertSubject>
{
    public AlertSubjectType() { Name = "AlertSubject"; Description = "What a rule measures: a KPI of the overview, a metric, each flow's sends, each campaign's bounce or spam-complaint rate."; }
}

public sealed class AlertKpiType : EnumerationGraphType<AlertKpi>
{
    public AlertKpiType() { Name = "AlertKpi"; Description = "An overview KPI, as the dashboard shows it (rates in %)."; }
}

public sealed class AlertComparisonType : EnumerationGraphType<AlertComparison>
{
    public AlertComparisonType() { Name = "AlertComparison"; }
}

public sealed class AlertDirectionType : EnumerationGraphType<AlertDirection>
{
    public AlertDirectionType() { Name = "AlertDirection"; }
}

public sealed class ChangeUnitType : EnumerationGraphType<ChangeUnit>
{
    public ChangeUnitType() { Name = "ChangeUnit"; Description = "PERCENT of the earlier value, or POINTS (a rate's percentage points)."; }
}

public sealed class AlertGranularityType : EnumerationGraphType<AlertGranularity>
{
    public AlertGranularityType() { Name = "AlertGranularity"; Description = "Anomaly windows of local hours (compared with the same hours of earlier weeks) or local days (the same weekdays)."; }
}

public sealed class DiagnosticCheckType : EnumerationGraphType<DiagnosticCheck>
{
    public DiagnosticCheckType() { Name = "DiagnosticCheck"; }
}

public sealed class AlertStateType : EnumerationGraphType<AlertState>
{
    public AlertStateType() { Name = "AlertState"; Description = "NORMAL → PENDING → FIRING → RESOLVED; NO_DATA when the number is not known (never read as zero); ERROR when it could not be read."; }
}
