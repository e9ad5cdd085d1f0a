namespace Klaviyo.Core.Data;

/// <summary>One state change of one alert, kept for good: the permanent alert log.</summary>
public sealed class AlertLogEntry
{
    public Guid Id { get; init; }
    public Guid RuleId { get; init; }
    public required string RuleName { get; init; }
    public int RuleVersion { get; init; }
    public required string Key { get; init; }
    public string Subject { get; init; } = "";
    public required string From { get; init; }
    public required string To { get; init; }
    public DateTime At { get; init; }
    public double? Value { get; init; }
    public double? Expected { get; init; }
    public string? Message { get; init; }
    /// <summary>The dashboard view that shows it (range, metric, channel in the URL), relative to the dashboard's root.</summary>
    public string? Link { get; init; }
    public string Labels { get; init; } = "";
    /// <summary>Why nobody was told (a silence, a suppression), when so.</summary>
    public string? Silenced { get; init; }
}
