using Klaviyo.Core.Errors;
using Klaviyo.Core.Metrics;
using Klaviyo.Core.TimeRanges;

namespace Klaviyo.Core.Alerts;

/// <summary>
/// What a rule measures and when it fires; stored as JSON with each version of the rule, so the
/// alert log can say which version fired. Values of rates are in % as the dashboard shows them.
/// </summary>
public sealed record AlertDefinition
{
    public AlertKind Kind { get; init; }
    public AlertSubject Subject { get; init; } = AlertSubject.Kpi;
    public AlertKpi? Kpi { get; init; }
    public string? MetricId { get; init; }
    /// <summary>A metric by its name (the built-in monitors: "Placed Order" has another id in every account).</summary>
    public string? MetricName { get; init; }
    public Measurement Measurement { get; init; } = Measurement.Count;
    /// <summary>Threshold and change rules: the window read, in the account's calendar (TODAY, LAST_7_DAYS…).</summary>
    public RangePreset Window { get; init; } = RangePreset.Today;
    public AlertComparison Comparison { get; init; } = AlertComparison.Below;
    /// <summary>Threshold: the value; change: the change (−20 with BELOW: fell by 20 % or more); diagnostics: the check's limit.</summary>
    public double? Threshold { get; init; }
    public CompareTo CompareTo { get; init; } = CompareTo.PreviousPeriod;
    public ChangeUnit ChangeUnit { get; init; } = ChangeUnit.Percent;
    /// <summary>Neither window below this volume: no alert on tiny numbers.</summary>
    public double MinVolume { get; init; }
    public AlertDirection Direction { get; init; } = AlertDirection.Drop;
    public AlertGranularity Granularity { get; init; } = AlertGranularity.Hour;
    /// <summary>Anomaly: the buckets judged together (6 hours, 1 day).</summary>
    public int WindowBuckets { get; init; } = 6;
    /// <summary>Anomaly: how many robust standard deviations away from the seasonal baseline.</summary>
    public double Sensitivity { get; init; } = 4;
    /// <summary>Anomaly and decay: the smallest change (in %) worth an alert.</summary>
    public double MinChangePercent { get; init; } = 30;
    /// <summary>Decay: the weeks the trend is fitted over.</summary>
    public int DecayWeeks { get; init; } = 6;
    public DiagnosticCheck? Check { get; init; }
    /// <summary>Conversions and revenue counted from this metric (the dashboard's choice); Placed Order when null.</summary>
    public string? ConversionMetricId { get; init; }
    /// <summary>How long the condition must hold before FIRING (PENDING meanwhile).</summary>
    public TimeSpan PendingFor { get; init; }
    /// <summary>How long a FIRING alert stays firing after its condition clears (no flapping).</summary>
    public TimeSpan KeepFiringFor { get; init; }
    public TimeSpan EvaluateEvery { get; init; } = TimeSpan.FromMinutes(1);

    public static readonly TimeSpan MinimumInterval = TimeSpan.FromSeconds(10);

    /// <summary>Refuses what cannot be evaluated, with a message a person can act on.</summary>
    public AlertDefinition Validated()
    {
        void Require(bool condition, string message)
        {
            if (!condition)
                throw new InvalidInputError(message);
        }
        Require(EvaluateEvery >= MinimumInterval && EvaluateEvery <= TimeSpan.FromDays(1), $"evaluateEvery must be between {MinimumInterval.TotalSeconds:0} s and 1 day.");
        Require(PendingFor >= TimeSpan.Zero && PendingFor <= TimeSpan.FromDays(7), "pendingFor must be between 0 and 7 days.");
        Require(KeepFiringFor >= TimeSpan.Zero && KeepFiringFor <= TimeSpan.FromDays(7), "keepFiringFor must be between 0 and 7 days.");
        Require(MinVolume >= 0 && double.IsFinite(MinVolume), "minVolume must be 0 or more.");
        Require(Threshold is null || double.IsFinite(Threshold.Value), "threshold must be a finite number.");
        switch (Kind)
        {
            case AlertKind.Diagnostic:
                Require(Check is not null, "A DIAGNOSTIC rule names its check.");
                break;
            case AlertKind.Threshold or AlertKind.Change:
                Require(Threshold is not null, $"A {Kind.ToString().ToUpperInvariant()} rule needs a threshold.");
                Require(Kind == AlertKind.Threshold || Subject is AlertSubject.Kpi or AlertSubject.Metric, "CHANGE rules read a KPI or a metric.");
                Require(Kind == AlertKind.Threshold || CompareTo != CompareTo.None, "A CHANGE rule compares with PREVIOUS_PERIOD or PREVIOUS_YEAR.");
                break;
            case AlertKind.Anomaly or AlertKind.Decay:
                Require(Subject is AlertSubject.Metric or AlertSubject.FlowSendVolume, "ANOMALY and DECAY rules read a metric's series or the flows' send volume.");
                Require(Sensitivity is > 0 and <= 20, "sensitivity must be above 0 and at most 20.");
                Require(MinChangePercent is >= 0 and <= 100, "minChangePercent must be between 0 and 100.");
                Require(WindowBuckets >= 1 && WindowBuckets <= (Granularity == AlertGranularity.Hour ? 168 : 7), "windowBuckets must fit in a week (1–168 hours, 1–7 days).");
                Require(Kind != AlertKind.Decay || DecayWeeks is >= 3 and <= 12, "decayWeeks must be between 3 and 12.");
                break;
        }
        if (Kind != AlertKind.Diagnostic)
        {
            Require(Subject != AlertSubject.Kpi || Kpi is not null, "A KPI rule names its kpi.");
            Require(Subject != AlertSubject.Metric || MetricId is not null || MetricName is not null, "A METRIC rule names its metricId (or metricName).");
        }
        return this;
    }
}
