namespace Klaviyo.Testing.Faults;

/// <summary>How long each fault lasts and how the app under test is configured.</summary>
/// <param name="FaultFor">How long a Klaviyo fault (429s, 5xx, malformed JSON, revoked key) lasts.</param>
/// <param name="OutageFor">The long Klaviyo outage.</param>
/// <param name="DatabaseDownFor">The database unreachable.</param>
/// <param name="RecoverWithin">Give up waiting for recovery after this (the row then says "not recovered").</param>
/// <param name="Fast">Short retry waits and a 1 s event interval (the tests); off, the product's defaults (the bench).</param>
public sealed record FaultSuiteOptions(TimeSpan FaultFor, TimeSpan OutageFor, TimeSpan DatabaseDownFor, TimeSpan RecoverWithin, bool Fast)
{
    public static readonly FaultSuiteOptions Bench = new(TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(120), Fast: false);

    // Recovery may take the report entities' turn: a fault that failed them is over once they sync again, at
    // the Reporting tier's 2 calls a minute (a clean run on a loaded machine once needed more than 60 s).
    public static readonly FaultSuiteOptions Short = new(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(120), Fast: true);

    /// <summary>A small living sandbox account (no late or future-stamped events: what "lost" means stays exact), and the app's settings.</summary>
    public IReadOnlyDictionary<string, string?> Settings() => new Dictionary<string, string?>
    {
        ["Sandbox:HistoryDays"] = "2",
        ["Sandbox:EventsPerDay"] = "3000",
        ["Sandbox:Profiles"] = "300",
        ["Sandbox:Campaigns"] = "6",
        ["Sandbox:Flows"] = "4",
        ["Sandbox:LiveEventInterval"] = "00:00:00.200",
        ["Sandbox:LateEventShare"] = "0",
        ["Sandbox:FutureEventShare"] = "0",
        ["Security:RateLimits:Enabled"] = "false",
        ["Sync:RetryAfterFailure"] = Fast ? "00:00:01" : null,
        ["Sync:Intervals:Events"] = Fast ? "00:00:01" : null,
        ["Klaviyo:RetryBaseDelay"] = Fast ? "00:00:00.050" : null,
        ["Klaviyo:MaxRetryAfter"] = Fast ? "00:00:02" : null,
    };
}
