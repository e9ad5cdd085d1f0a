namespace Klaviyo.GraphQL.Overview;

/// <summary>A number for the chosen window, the same number for the window before it, and the change between them.</summary>
public sealed record Kpi(double? Value, double? PreviousValue)
{
    /// <summary>(value − previous) ÷ previous × 100; null when either is unknown or the previous is zero.</summary>
    public double? ChangePercent =>
        Value is double v && PreviousValue is double p && p != 0 ? (v - p) / p * 100 : null;
}
