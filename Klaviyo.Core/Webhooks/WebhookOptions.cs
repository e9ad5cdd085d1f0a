namespace Klaviyo.Core.Webhooks;

/// <summary>Klaviyo's system webhooks (section "Klaviyo:Webhooks"): off until a public URL is set.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Klaviyo:Webhooks";
    /// <summary>Where Klaviyo can reach this app's receiver, e.g. https://dash.example.com; the receiver is at <see cref="Path"/> under it.</summary>
    public const string Path = "/webhooks/klaviyo";

    public string? PublicUrl { get; set; }
    /// <summary>The signing secret (at least 16 characters). Unset: a random one per start, sent to Klaviyo when the webhook is registered.</summary>
    public string? Secret { get; set; }
    /// <summary>How this app's webhook is named in the account, so a restart finds and updates it instead of adding another.</summary>
    public string Name { get; set; } = "Klaviyo Analytics Dashboard";
    /// <summary>A delivery whose Klaviyo-Timestamp is further than this from our clock is refused (a replay or a stuck queue).</summary>
    public TimeSpan Tolerance { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>The largest delivery accepted.</summary>
    public int MaxBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Set by an added account's shell: its deliveries come to <c>/webhooks/klaviyo/{Account}</c>; null for the deployment's own account.</summary>
    public string? Account { get; set; }

    /// <summary>The receiver's path for an account (<see cref="Path"/> for the deployment's own).</summary>
    public static string PathOf(string? account) => account is null ? Path : $"{Path}/{Uri.EscapeDataString(account)}";

    public Uri? Endpoint => string.IsNullOrWhiteSpace(PublicUrl) ? null : new Uri(new Uri(PublicUrl.TrimEnd('/') + "/"), PathOf(Account).TrimStart('/'));
}
