namespace Klaviyo.Core.Alerts;

/// <summary>
/// One alert's reading at one evaluation. <see cref="Condition"/>: true when the rule's condition
/// holds, false when it does not, null when the number is not known (NO_DATA: not synced yet, no
/// such metric, too little history) — never read as zero.
/// </summary>
public sealed record Observation(string Key, string Subject, bool? Condition, double? Value, double? Expected, string Message, string? Link = null)
{
    public static Observation NoData(string message, string key = "", string subject = "") => new(key, subject, null, null, null, message);
}
