namespace Klaviyo.Core.Overview;

/// <summary>A number for the chosen window, the same number for the window before it, and the change between them.</summary>
public sealed record Kpi(double? Value, double? PreviousValue)
{
    /// <summary>What the server does not know yet: no value, no comparison, no time.</summary>
    public static readonly Kpi Unknown = new(null, null);

    /// <summary>(value − previous) ÷ previous × 100; null when either is unknown or the previous is zero.</summary>
    public double? ChangePercent =>
        Value is double v && PreviousValue is double p && p != 0 ? (v - p) / p * 100 : null;

    /// <summary>When the entities this number reads were last confirmed (the oldest); set at each answer from the sync clock, never cached.</summary>
    public DateTime? LastUpdated { get; init; }

    /// <summary>The same for the comparison window: null with no comparison, or while its data is still arriving (a first sync reads recent events first).</summary>
    public DateTime? PreviousLastUpdated { get; init; }
}
