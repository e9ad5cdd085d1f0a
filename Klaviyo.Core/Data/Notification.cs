namespace Klaviyo.Core.Data;

/// <summary>
/// The outbox: one row per message to send, written in the transaction that decided it. Its
/// <see cref="Id"/> is the idempotency key — the webhook-id, the email's Message-ID — that every
/// retry and every instance reuses; <see cref="Key"/> is unique, so no decision is queued twice.
/// </summary>
public sealed class Notification
{
    public Guid Id { get; init; }
    /// <summary>"alert:{logEntryId}:{contactPointId}", "repeat:{logEntryId}:{minute}:{contactPointId}", "digest:{digestId}:{occurrence}:{contactPointId}".</summary>
    public required string Key { get; init; }
    public Guid ContactPointId { get; init; }
    /// <summary>The alert log entry this tells about (empty for a digest).</summary>
    public Guid LogEntryId { get; init; }
    /// <summary>A digest's occurrence: the digest and the instant it was due (or asked for with "Send now").</summary>
    public Guid? DigestId { get; init; }
    public DateTime? DigestFor { get; init; }
    public DateTime CreatedAt { get; init; }
    /// <summary>Not sent before (group wait, a retry's backoff, a Retry-After).</summary>
    public DateTime NextAttemptAt { get; set; }
    public int Attempts { get; set; }
    /// <summary>Sent together with other notifications to the same contact point in one message: its id.</summary>
    public Guid? BatchId { get; set; }
    public string? ClaimedBy { get; set; }
    public DateTime? ClaimedUntil { get; set; }
    public DateTime? SentAt { get; set; }
    /// <summary>Given up (contact point gone or disabled, the attempts spent).</summary>
    public DateTime? AbandonedAt { get; set; }
    public string? LastError { get; set; }
}
