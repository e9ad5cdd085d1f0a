namespace Klaviyo.Core.Alerts.Delivery;

/// <summary>
/// One message to one contact point: a batch of alerts (or a digest) rendered for people (subject,
/// text, HTML) and for machines (JSON). <see cref="Id"/> is its idempotency key: the webhook-id, the
/// email's Message-ID, the same on every retry and from every instance.
/// </summary>
public sealed record OutgoingMessage(Guid Id, string Subject, string Text, string Html, string Json, object Slack)
{
    public IReadOnlyList<Attachment> Attachments { get; init; } = [];
    /// <summary>Images the HTML shows inline (cid:ContentId).</summary>
    public IReadOnlyList<Attachment> Inline { get; init; } = [];
    public string? ManageUrl { get; init; }
}

public sealed record Attachment(string FileName, string ContentType, byte[] Content, string? ContentId = null);

/// <summary>What became of one attempt.</summary>
public abstract record SendResult
{
    public sealed record Sent : SendResult;
    /// <summary>Worth trying again (an outage, a 5xx, a 429): after <see cref="After"/> when the receiver said.</summary>
    public sealed record Retry(string Error, TimeSpan? After = null) : SendResult;
    /// <summary>The endpoint is gone for good (410): the contact point is disabled.</summary>
    public sealed record Gone(string Error) : SendResult;
    /// <summary>Nothing to send any more (its digest was deleted): given up, the contact point untouched.</summary>
    public sealed record Dropped(string Error) : SendResult;
}
