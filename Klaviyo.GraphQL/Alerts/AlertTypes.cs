using GraphQL;
using GraphQL.Types;
using Klaviyo.Core.Alerts;
using Klaviyo.Core.Data;
using Klaviyo.GraphQL.Accounts;
using Klaviyo.GraphQL.Metrics;
using Klaviyo.GraphQL.Schema;
using Klaviyo.GraphQL.TimeRanges;

namespace Klaviyo.GraphQL.Alerts;

public sealed class LabelType : ObjectGraphType<KeyValuePair<string, string>>
{
    public LabelType()
    {
        Name = "Label";
        Field<NonNullGraphType<StringGraphType>>("name").Resolve(c => c.Source.Key);
        Field<NonNullGraphType<StringGraphType>>("value").Resolve(c => c.Source.Value);
    }
}

public sealed class LabelInputType : InputObjectGraphType<LabelInput>
{
    public LabelInputType()
    {
        Name = "LabelInput";
        Field(l => l.Name);
        Field(l => l.Value);
    }
}

public sealed class AlertRuleType : ObjectGraphType<AlertRule>
{
    public AlertRuleType()
    {
        Name = "AlertRule";
        Description = "A rule, at its current version. Built-in rules (monitors and diagnostics) can be changed or disabled, not deleted.";
        Field(r => r.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(r => r.Name);
        Field(r => r.Version).Description("Goes up with every change; the log names the version that fired.");
        Field(r => r.Enabled);
        Field(r => r.BuiltIn, nullable: true).Description("The built-in rule's key (monitor:placed-order-drop…); null for a rule somebody wrote.");
        Field<NonNullGraphType<AlertDefinitionType>>("definition").Resolve(c => AlertJson.Read(c.Source.Definition));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<LabelType>>>>("labels").Resolve(c => AlertLabels.Parse(c.Source.Labels).ToList());
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<IdGraphType>>>>("contactPointIds").Description("Empty: every enabled contact point.")
            .Resolve(c => c.Source.ContactPoints.Split(',', StringSplitOptions.RemoveEmptyEntries));
        Field(r => r.UpdatedAt);
        Field(r => r.UpdatedBy);
        Field(r => r.LastEvaluatedAt, nullable: true);
        Field(r => r.LastError, nullable: true).Description("Why the last evaluation failed (its alerts are in ERROR).");
    }
}

public sealed class AlertDefinitionType : ObjectGraphType<AlertDefinition>
{
    public AlertDefinitionType()
    {
        Name = "AlertDefinition";
        Field<NonNullGraphType<AlertKindType>>("kind").Resolve(c => c.Source.Kind);
        Field<NonNullGraphType<AlertSubjectType>>("subject").Resolve(c => c.Source.Subject);
        Field<AlertKpiType>("kpi").Resolve(c => c.Source.Kpi);
        Field<IdGraphType>("metricId").Resolve(c => c.Source.MetricId);
        Field<StringGraphType>("metricName").Resolve(c => c.Source.MetricName);
        Field<NonNullGraphType<MeasurementType>>("measurement").Resolve(c => c.Source.Measurement);
        Field<NonNullGraphType<RangePresetType>>("window").Resolve(c => c.Source.Window);
        Field<NonNullGraphType<AlertComparisonType>>("comparison").Resolve(c => c.Source.Comparison);
        Field<FloatGraphType>("threshold").Resolve(c => c.Source.Threshold);
        Field<NonNullGraphType<CompareToType>>("compareTo").Resolve(c => c.Source.CompareTo);
        Field<NonNullGraphType<ChangeUnitType>>("changeUnit").Resolve(c => c.Source.ChangeUnit);
        Field<NonNullGraphType<FloatGraphType>>("minVolume").Resolve(c => c.Source.MinVolume);
        Field<NonNullGraphType<AlertDirectionType>>("direction").Resolve(c => c.Source.Direction);
        Field<NonNullGraphType<AlertGranularityType>>("granularity").Resolve(c => c.Source.Granularity);
        Field<NonNullGraphType<IntGraphType>>("windowBuckets").Resolve(c => c.Source.WindowBuckets);
        Field<NonNullGraphType<FloatGraphType>>("sensitivity").Resolve(c => c.Source.Sensitivity);
        Field<NonNullGraphType<FloatGraphType>>("minChangePercent").Resolve(c => c.Source.MinChangePercent);
        Field<NonNullGraphType<IntGraphType>>("decayWeeks").Resolve(c => c.Source.DecayWeeks);
        Field<DiagnosticCheckType>("check").Resolve(c => c.Source.Check);
        Field<IdGraphType>("conversionMetricId").Resolve(c => c.Source.ConversionMetricId);
        Field<NonNullGraphType<IntGraphType>>("pendingForSeconds").Resolve(c => (int)c.Source.PendingFor.TotalSeconds);
        Field<NonNullGraphType<IntGraphType>>("keepFiringForSeconds").Resolve(c => (int)c.Source.KeepFiringFor.TotalSeconds);
        Field<NonNullGraphType<IntGraphType>>("evaluateEverySeconds").Resolve(c => (int)c.Source.EvaluateEvery.TotalSeconds);
    }
}

public sealed class AlertRuleInputType : InputObjectGraphType<AlertRuleInput>
{
    public AlertRuleInputType()
    {
        Name = "AlertRuleInput";
        Description = "A rule. Rates (open, click, conversion, bounce, spam) are in %; durations in seconds.";
        Field(r => r.Name);
        Field<NonNullGraphType<AlertKindType>>("kind");
        Field<AlertSubjectType>("subject").Description("KPI when omitted.");
        Field<AlertKpiType>("kpi");
        Field<IdGraphType>("metricId");
        Field<StringGraphType>("metricName").Description("A metric by name (its id differs per account).");
        Field<MeasurementType>("measurement");
        Field<RangePresetType>("window").Description("THRESHOLD and CHANGE: the window read (TODAY when omitted).");
        Field<AlertComparisonType>("comparison").Description("Fires when the value (or the change) is ABOVE or BELOW the threshold; BELOW when omitted.");
        Field<FloatGraphType>("threshold").Description("THRESHOLD: the value; CHANGE: the change (−20 with BELOW: fell by 20 or more); DIAGNOSTIC: the check's limit.");
        Field<CompareToType>("compareTo");
        Field<ChangeUnitType>("changeUnit");
        Field<FloatGraphType>("minVolume").Description("Below this volume (either window) nothing fires.");
        Field<AlertDirectionType>("direction");
        Field<AlertGranularityType>("granularity");
        Field<IntGraphType>("windowBuckets").Description("ANOMALY: the hours (or days) judged together; 6 when omitted.");
        Field<FloatGraphType>("sensitivity").Description("ANOMALY: robust standard deviations from the seasonal baseline; 4 when omitted.");
        Field<FloatGraphType>("minChangePercent").Description("ANOMALY and DECAY: the smallest change worth an alert, in %; 30 when omitted.");
        Field<IntGraphType>("decayWeeks");
        Field<DiagnosticCheckType>("check");
        Field<IdGraphType>("conversionMetricId");
        Field<IntGraphType>("pendingForSeconds");
        Field<IntGraphType>("keepFiringForSeconds");
        Field<IntGraphType>("evaluateEverySeconds").Description("10 to 86,400; 60 when omitted.");
        Field<ListGraphType<NonNullGraphType<LabelInputType>>>("labels");
        Field<ListGraphType<NonNullGraphType<IdGraphType>>>("contactPointIds").Description("Where its notifications go; every enabled contact point when empty.");
        Field<BooleanGraphType>("enabled");
    }
}

public sealed class AlertType : ObjectGraphType<AlertInstance>
{
    public AlertType()
    {
        Name = "Alert";
        Description = "One alert of a rule (a rule watching every flow has one per flow).";
        Field<NonNullGraphType<IdGraphType>>("ruleId").Resolve(c => c.Source.RuleId);
        Field(i => i.Key).Description("\"\" for a rule's only alert; flow:ID, campaign:ID, entity:NAME…");
        Field(i => i.Subject).Description("What the key names, for people.");
        Field<NonNullGraphType<AlertStateType>>("state").Resolve(c => Enum.Parse<AlertState>(c.Source.State));
        Field(i => i.StateSince);
        Field(i => i.Value, nullable: true);
        Field(i => i.Expected, nullable: true).Description("The threshold, the comparison window's value or the seasonal baseline.");
        Field(i => i.Message, nullable: true);
        Field(i => i.EvaluatedAt);
        Field(i => i.LastNotifiedAt, nullable: true);
    }
}

public sealed class AlertLogEntryType : ObjectGraphType<AlertLogEntry>
{
    public AlertLogEntryType()
    {
        Name = "AlertLogEntry";
        Description = "One state change, kept for good.";
        Field(e => e.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field<NonNullGraphType<IdGraphType>>("ruleId").Resolve(c => c.Source.RuleId);
        Field(e => e.RuleName);
        Field(e => e.RuleVersion);
        Field(e => e.Key);
        Field(e => e.Subject);
        Field<NonNullGraphType<AlertStateType>>("from").Resolve(c => Enum.Parse<AlertState>(c.Source.From));
        Field<NonNullGraphType<AlertStateType>>("to").Resolve(c => Enum.Parse<AlertState>(c.Source.To));
        Field(e => e.At);
        Field(e => e.Value, nullable: true);
        Field(e => e.Expected, nullable: true);
        Field(e => e.Message, nullable: true);
        Field(e => e.Link, nullable: true).Description("The dashboard view showing it (relative to the dashboard's root).");
        Field(e => e.Silenced, nullable: true).Description("Why nobody was told (a silence, a dismissal, a suppression).");
    }
}

public sealed class AlertSilenceType : ObjectGraphType<AlertSilence>
{
    public AlertSilenceType()
    {
        Name = "AlertSilence";
        Description = "SILENCE (matchers, a period), DISMISS (until the alert resolves) or SUPPRESS (30/60/120/365 days). Ended, never deleted.";
        Field(s => s.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(s => s.Kind);
        Field<IdGraphType>("ruleId").Resolve(c => c.Source.RuleId);
        Field(s => s.Key);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<LabelType>>>>("matchers").Resolve(c => AlertLabels.Parse(c.Source.Matchers).ToList());
        Field(s => s.StartsAt);
        Field(s => s.EndsAt, nullable: true);
        Field(s => s.Comment);
        Field(s => s.CreatedBy);
        Field(s => s.EndedAt, nullable: true);
        Field(s => s.EndedBy, nullable: true);
        Field<NonNullGraphType<BooleanGraphType>>("active").Resolve(c =>
        {
            var now = c.AccountServices().GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
            return c.Source.EndedAt is null && c.Source.StartsAt <= now && (c.Source.EndsAt is null || c.Source.EndsAt > now);
        });
    }
}

public sealed class SilenceInputType : InputObjectGraphType<SilenceInput>
{
    public SilenceInputType()
    {
        Name = "SilenceInput";
        Field<IdGraphType>("ruleId");
        Field<StringGraphType>("key").Description("Only this alert of the rule.");
        Field<ListGraphType<NonNullGraphType<LabelInputType>>>("matchers").Description("Every one must equal the rule's label of that name.");
        Field<DateTimeGraphType>("startsAt").Description("Now when omitted.");
        Field<NonNullGraphType<DateTimeGraphType>>("endsAt");
        Field<StringGraphType>("comment");
    }
}

public sealed class ContactPointType : ObjectGraphType<ContactPoint>
{
    public ContactPointType()
    {
        Name = "ContactPoint";
        Description = "Where notifications go. Secrets (Slack's URL, a webhook's key) are never shown.";
        Field(c => c.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(c => c.Name);
        Field(c => c.Kind).Description("EMAIL, SLACK or WEBHOOK.");
        Field(c => c.Target).Description("EMAIL: the addresses; WEBHOOK: its URL; SLACK: the webhook's host.");
        Field<NonNullGraphType<BooleanGraphType>>("hasSecret").Resolve(c => c.Source.ProtectedSecret is not null);
        Field(c => c.Enabled);
        Field(c => c.DisabledReason, nullable: true).Description("Why it was disabled (a 410 Gone from the receiver).");
        Field(c => c.CreatedAt);
        Field(c => c.CreatedBy);
    }
}

public sealed class ContactPointInputType : InputObjectGraphType<ContactPointInput>
{
    public ContactPointInputType()
    {
        Name = "ContactPointInput";
        Field(c => c.Name);
        Field(c => c.Kind).Description("EMAIL, SLACK or WEBHOOK.");
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("addresses").Description("EMAIL: 1 to 50 addresses.");
        Field<StringGraphType>("url").Description("SLACK: the incoming webhook URL (kept secret); WEBHOOK: the endpoint. Left out on update: kept.");
        Field<StringGraphType>("secret").Description("WEBHOOK: a whsec_ key; generated and shown once when omitted on create.");
        Field<BooleanGraphType>("enabled");
    }
}

public sealed class ContactPointPayloadType : ObjectGraphType<AlertService.CreatedContactPoint>
{
    public ContactPointPayloadType()
    {
        Name = "ContactPointPayload";
        Field<NonNullGraphType<ContactPointType>>("contactPoint").Resolve(c => c.Source.ContactPoint);
        Field<StringGraphType>("secret").Description("A webhook signing secret generated now: shown only in this answer.").Resolve(c => c.Source.Secret);
    }
}

public sealed class ContactPointTestType : ObjectGraphType<Core.Alerts.Delivery.ContactPointTester.Outcome>
{
    public ContactPointTestType()
    {
        Name = "ContactPointTest";
        Field(o => o.Delivered);
        Field(o => o.Error, nullable: true);
    }
}

public sealed class AlertChangeType : ObjectGraphType<AlertChange>
{
    public AlertChangeType()
    {
        Name = "AlertChange";
        Field<NonNullGraphType<IdGraphType>>("ruleId").Resolve(c => c.Source.RuleId);
        Field(c => c.RuleName);
        Field(c => c.Key);
        Field(c => c.Subject);
        Field<NonNullGraphType<AlertStateType>>("from").Resolve(c => Enum.Parse<AlertState>(c.Source.From));
        Field<NonNullGraphType<AlertStateType>>("to").Resolve(c => Enum.Parse<AlertState>(c.Source.To));
        Field(c => c.Message, nullable: true);
    }
}

public sealed class AlertsChangedEventType : ObjectGraphType<AlertsChangedEvent>
{
    public AlertsChangedEventType()
    {
        Name = "AlertsChangedEvent";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<AlertChangeType>>>>("changes").Resolve(c => c.Source.Changes);
        Field(e => e.Firing).Description("Alerts firing now (the bell's number).");
        Field(e => e.At);
    }
}
