namespace Klaviyo.Core.RestClient;

/// <summary>How to reach Klaviyo (section "Klaviyo"). Without an ApiKey the client talks to the sandbox.</summary>
public sealed class KlaviyoOptions
{
    public const string Section = "Klaviyo";

    /// <summary>Klaviyo's base URL; with the sandbox on and no key, the app's own /sandbox/klaviyo.</summary>
    public string? BaseUrl { get; set; }
    public string? ApiKey { get; set; }
    /// <summary>The key opens an account of the sandbox this host serves (an added sandbox account): diagnostics say SANDBOX, not LIVE.</summary>
    public bool Sandbox { get; set; }
    public string Revision { get; set; } = "2026-07-15";
    /// <summary>Longest Retry-After the client waits out; a longer one fails the run with "rate-limited until …".</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);
    /// <summary>Retries of a 5xx, timeout or reset (jittered exponential backoff), and of a 429 within the cap.</summary>
    public int MaxRetries { get; set; } = 4;
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>Reporting API calls allowed per UTC day (Klaviyo: 225).</summary>
    public int ReportDailyBudget { get; set; } = 225;
}
