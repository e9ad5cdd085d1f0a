namespace Klaviyo.Core.Data;

/// <summary>
/// Where notifications go: EMAIL (addresses), SLACK (an incoming webhook URL, secret) or WEBHOOK
/// (a URL and a Standard Webhooks whsec_ secret). Secrets are write-only and stored protected with
/// Data Protection. A webhook answering 410 Gone disables it.
/// </summary>
public sealed class ContactPoint
{
    public Guid Id { get; init; }
    public required string Name { get; set; }
    public required string Kind { get; init; }
    /// <summary>EMAIL: the addresses (comma-separated); WEBHOOK: its URL; SLACK: the webhook's host, for people.</summary>
    public string Target { get; set; } = "";
    public string? ProtectedSecret { get; set; }
    public bool Enabled { get; set; } = true;
    public string? DisabledReason { get; set; }
    public DateTime CreatedAt { get; init; }
    public required string CreatedBy { get; init; }
}
