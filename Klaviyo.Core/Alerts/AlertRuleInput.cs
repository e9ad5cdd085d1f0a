using Klaviyo.Core.Metrics;
using Klaviyo.Core.TimeRanges;

namespace Klaviyo.Core.Alerts;

/// <summary>A rule as a client writes it (durations in seconds).</summary>
public sealed class AlertRuleInput
{
    public string Name { get; set; } = "";
    public AlertKind Kind { get; set; }
    public AlertSubject Subject { get; set; } = AlertSubject.Kpi;
    public AlertKpi? Kpi { get; set; }
    public string? MetricId { get; set; }
    public string? MetricName { get; set; }
    public Measurement Measurement { get; set; } = Measurement.Count;
    public RangePreset Window { get; set; } = RangePreset.Today;
    public AlertComparison Comparison { get; set; } = AlertComparison.Below;
    public double? Threshold { get; set; }
    public CompareTo CompareTo { get; set; } = CompareTo.PreviousPeriod;
    public ChangeUnit ChangeUnit { get; set; } = ChangeUnit.Percent;
    public double MinVolume { get; set; }
    public AlertDirection Direction { get; set; } = AlertDirection.Drop;
    public AlertGranularity Granularity { get; set; } = AlertGranularity.Hour;
    public int WindowBuckets { get; set; } = 6;
    public double Sensitivity { get; set; } = 4;
    public double MinChangePercent { get; set; } = 30;
    public int DecayWeeks { get; set; } = 6;
    public DiagnosticCheck? Check { get; set; }
    public string? ConversionMetricId { get; set; }
    public int PendingForSeconds { get; set; }
    public int KeepFiringForSeconds { get; set; }
    public int EvaluateEverySeconds { get; set; } = 60;
    public List<LabelInput>? Labels { get; set; }
    public List<string>? ContactPointIds { get; set; }
    public bool Enabled { get; set; } = true;

    public AlertDefinition ToDefinition() => new AlertDefinition
    {
        Kind = Kind,
        Subject = Subject,
        Kpi = Kpi,
        MetricId = MetricId,
        MetricName = MetricName,
        Measurement = Measurement,
        Window = Window,
        Comparison = Comparison,
        Threshold = Threshold,
        CompareTo = CompareTo,
        ChangeUnit = ChangeUnit,
        MinVolume = MinVolume,
        Direction = Direction,
        Granularity = Granularity,
        WindowBuckets = WindowBuckets,
        Sensitivity = Sensitivity,
        MinChangePercent = MinChangePercent,
        DecayWeeks = DecayWeeks,
        Check = Check,
        ConversionMetricId = ConversionMetricId,
        PendingFor = TimeSpan.FromSeconds(PendingForSeconds),
        KeepFiringFor = TimeSpan.FromSeconds(KeepFiringForSeconds),
        EvaluateEvery = TimeSpan.FromSeconds(EvaluateEverySeconds),
    }.Validated();
}

public sealed class LabelInput
{
    public string Name { get; set; } = "";
    public string Value { get; set; } = "";
}

/// <summary>A contact point as an Admin writes it; secrets are write-only.</summary>
public sealed class ContactPointInput
{
    public string Name { get; set; } = "";
    public string Kind { get; set; } = "";
    /// <summary>EMAIL: the addresses.</summary>
    public List<string>? Addresses { get; set; }
    /// <summary>SLACK: the incoming webhook URL (secret); WEBHOOK: the endpoint.</summary>
    public string? Url { get; set; }
    /// <summary>WEBHOOK: a whsec_ secret; generated (and shown once) when omitted.</summary>
    public string? Secret { get; set; }
    public bool Enabled { get; set; } = true;
}

public sealed class SilenceInput
{
    public string? RuleId { get; set; }
    public string Key { get; set; } = "";
    public List<LabelInput>? Matchers { get; set; }
    public DateTime? StartsAt { get; set; }
    public DateTime EndsAt { get; set; }
    public string Comment { get; set; } = "";
}
