namespace Klaviyo.Sandbox;

/// <summary>The local emulator of the Klaviyo API (section "Sandbox"). Sizes are per account.</summary>
public sealed class SandboxOptions
{
    public const string Section = "Sandbox";

    /// <summary>Serve the sandbox; when unset, it is on exactly when no Klaviyo:ApiKey is configured.</summary>
    public bool? Enabled { get; set; }
    /// <summary>"Demo" (the defaults below) or "Benchmark": 5 million events over 90 days and 50 000 profiles.</summary>
    public string Size { get; set; } = "Demo";
    /// <summary>
    /// The key callers must send. The standalone service's default is <c>pk_sandbox_local</c> (it listens on
    /// loopback); hosted in the app with no key configured, it is a random key of that process, known to
    /// its own sync and nobody else.
    /// </summary>
    public string ApiKey { get; set; } = "pk_sandbox_local";
    /// <summary>Serve on a non-loopback address; off (the default), the standalone service refuses to start on one.</summary>
    public bool AllowNetwork { get; set; }
    /// <summary>
    /// The only URLs a webhook may deliver to (the app's own receiver); anything else is refused with 400,
    /// so the sandbox cannot be made to POST to arbitrary addresses. Hosted, the app's Klaviyo:Webhooks:PublicUrl.
    /// </summary>
    public string[] WebhookTargets { get; set; } = [];
    public int Seed { get; set; } = 42;
    /// <summary>The account's IANA time zone; New York by default, so that every test crosses a daylight-saving change.</summary>
    public string Timezone { get; set; } = "America/New_York";
    /// <summary>The account's preferred currency (ISO 4217).</summary>
    public string Currency { get; set; } = "USD";
    public string AccountName { get; set; } = "Sandbox account";
    /// <summary>Klaviyo's id of the account (its public API key, six characters).</summary>
    public string AccountId { get; set; } = "SANDBX";
    /// <summary>Order values are multiplied by this (e.g. 150 for yen); in a zero-decimal currency (JPY, KRW…) they are whole amounts.</summary>
    public double ValueScale { get; set; } = 1;
    /// <summary>This long after start-up the key stops working (401 on every call), as when an account's owner revokes it.</summary>
    public TimeSpan? RevokeAfter { get; set; }
    /// <summary>Rows per page of a Reporting API answer (followed with page_cursor).</summary>
    public int ReportPageSize { get; set; } = 100;
    /// <summary>Days of history before start-up.</summary>
    public int HistoryDays { get; set; } = 90;
    /// <summary>Events per day in the history (~200 000 over 90 days by default).</summary>
    public int EventsPerDay { get; set; } = 2_200;
    /// <summary>How often a new event arrives once the app runs: the account keeps living.</summary>
    public TimeSpan LiveEventInterval { get; set; } = TimeSpan.FromSeconds(1);
    public int Profiles { get; set; } = 3_000;
    /// <summary>How often a new profile signs up once the app runs.</summary>
    public TimeSpan LiveProfileInterval { get; set; } = TimeSpan.FromSeconds(30);
    public int Campaigns { get; set; } = 40;
    public int Flows { get; set; } = 12;
    /// <summary>A new campaign goes out this often while the app runs.</summary>
    public TimeSpan LiveCampaignInterval { get; set; } = TimeSpan.FromMinutes(10);
    /// <summary>Share of events stamped up to a day in the future (clock skew at the source).</summary>
    public double FutureEventShare { get; set; } = 0.001;
    /// <summary>Share of events that arrive up to three hours after they happened.</summary>
    public double LateEventShare { get; set; } = 0.03;
    /// <summary>Enforce Klaviyo's rate-limit tiers (off only to measure what the sync can ingest when Klaviyo is not the bound).</summary>
    public bool RateLimits { get; set; } = true;
    /// <summary>The account has system webhooks (Advanced KDP); off, the Webhooks API answers 403 as Klaviyo does for other accounts.</summary>
    public bool Webhooks { get; set; } = true;
    /// <summary>How long new events gather before a webhook batch goes out.</summary>
    public TimeSpan WebhookBatchInterval { get; set; } = TimeSpan.FromMilliseconds(100);
    public SandboxFaults Faults { get; set; } = new();
    /// <summary>The living account plays one mild anomaly a day (a campaign bouncing at 4 %), so a newcomer sees an alert fire (<see cref="SandboxAnomalies"/>).</summary>
    public bool DailyAnomaly { get; set; }
    /// <summary>
    /// More accounts served side by side (section "Sandbox:Accounts:&lt;name&gt;"): each answers to its own key
    /// (by default this account's key + "_&lt;name&gt;") with its own data (seed), calendar, currency, size, rate-limit
    /// windows, faults and anchor file; a setting it does not name is this account's. Their webhooks are off
    /// (the Webhooks API answers 403, as Klaviyo does for accounts without them).
    /// </summary>
    public Dictionary<string, SandboxOptions> Accounts { get; set; } = [];
    /// <summary>Where the account's start is kept, so that a restart continues it; unset, every start is a new account. The app sets it beside its database.</summary>
    public string? AnchorFile { get; set; }
}

/// <summary>Injected faults; changed at run time through POST /sandbox/klaviyo/_control/faults.</summary>
public sealed record SandboxFaults
{
    /// <summary>Share of requests (0–1) answered with a random 500 or 503.</summary>
    public double ErrorRate { get; init; }
    public int LatencyMs { get; init; }
    /// <summary>Every request gets 503 Service Unavailable.</summary>
    public bool Outage { get; init; }
    /// <summary>Every request gets 429 with Retry-After.</summary>
    public bool ForceThrottle { get; init; }
    public int ThrottleRetryAfterSeconds { get; init; } = 1;
    /// <summary>Every request gets 401 as if the key had been revoked.</summary>
    public bool InvalidKey { get; init; }
    /// <summary>Every successful answer is cut short: a 200 whose body is not JSON.</summary>
    public bool MalformedJson { get; init; }
    /// <summary>Webhook deliveries are signed with the wrong key.</summary>
    public bool WebhookBadSignature { get; init; }
    /// <summary>Every webhook batch is delivered twice.</summary>
    public bool WebhookDuplicates { get; init; }
    /// <summary>Webhook batches go out in pairs, the later one first.</summary>
    public bool WebhookOutOfOrder { get; init; }
    /// <summary>Share of webhook batches (0–1) never delivered: polling must find their events.</summary>
    public double WebhookDropRate { get; init; }
}
