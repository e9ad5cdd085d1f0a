using System.Collections.Concurrent;

namespace Klaviyo.Core.Webhooks;

public enum WebhookState
{
    /// <summary>No Klaviyo:Webhooks:PublicUrl: polling alone.</summary>
    Off,
    Registering,
    /// <summary>Registered and enabled in the account; deliveries are expected.</summary>
    Active,
    /// <summary>The account cannot use system webhooks (Klaviyo refused): polling alone, said once.</summary>
    Unavailable,
    /// <summary>Registration failed for another reason; retried.</summary>
    Failed,
}

/// <summary>What the webhook side is doing, for diagnostics: registration, deliveries, refusals by reason.</summary>
public sealed class WebhookStatus
{
    private readonly ConcurrentDictionary<string, long> _refused = new();
    private long _deliveries, _events, _stored;

    public WebhookState State { get; private set; } = WebhookState.Off;
    public string? Message { get; private set; }
    public string? WebhookId { get; private set; }
    public IReadOnlyList<string> Topics { get; private set; } = [];
    public DateTime? LastDeliveryAt { get; private set; }
    public long Deliveries => Interlocked.Read(ref _deliveries);
    public long Events => Interlocked.Read(ref _events);
    public long Stored => Interlocked.Read(ref _stored);
    public IReadOnlyDictionary<string, long> Refused => _refused;

    public void Set(WebhookState state, string? message, string? webhookId = null, IReadOnlyList<string>? topics = null)
    {
        (State, Message) = (state, message);
        if (webhookId is not null)
            WebhookId = webhookId;
        if (topics is not null)
            Topics = topics;
    }

    public void Delivered(int events, int stored, DateTime at)
    {
        Interlocked.Increment(ref _deliveries);
        Interlocked.Add(ref _events, events);
        Interlocked.Add(ref _stored, stored);
        LastDeliveryAt = at;
    }

    public void Refuse(string reason) => _refused.AddOrUpdate(reason, 1, (_, n) => n + 1);
}
