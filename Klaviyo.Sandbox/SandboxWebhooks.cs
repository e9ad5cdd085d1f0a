using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Klaviyo.Sandbox;

/// <summary>A webhook registered in the sandbox's account.</summary>
/// <param name="BaseUrl">The sandbox's address as the registering client saw it: the links inside deliveries point there.</param>
public sealed record SandboxWebhook(
    string Id, string Name, string? Description, Uri EndpointUrl, string Secret, bool Enabled,
    IReadOnlyList<string> Topics, DateTime CreatedAt, DateTime UpdatedAt, string BaseUrl);

/// <summary>The account's system webhooks and the topics it offers: one per Klaviyo-integration metric, as in Klaviyo.</summary>
public sealed partial class SandboxWebhooks(SandboxAccount account)
{
    private readonly ConcurrentDictionary<string, SandboxWebhook> _webhooks = new();
    private long _batches;

    /// <summary>Batches made for delivery so far (delivered, held or dropped by a fault).</summary>
    public long Batches => Interlocked.Read(ref _batches);

    public void BatchMade() => Interlocked.Increment(ref _batches);

    /// <summary>Topic id → metric id. Metrics from other integrations (Shopify's Placed Order) have no topic, as in Klaviyo.</summary>
    public IReadOnlyDictionary<string, string> Topics { get; } = account.Metrics
        .Where(m => m.Integration == "Klaviyo")
        .ToDictionary(m => "event:klaviyo." + NonWord().Replace(m.Name.ToLowerInvariant(), "_"), m => m.Id);

    /// <summary>Metric id → its topic (the reverse of <see cref="Topics"/>).</summary>
    public IReadOnlyDictionary<string, string> TopicOfMetric => field ??= Topics.ToDictionary(t => t.Value, t => t.Key);

    public IReadOnlyCollection<SandboxWebhook> All => [.. _webhooks.Values.OrderBy(w => w.CreatedAt)];

    public SandboxWebhook? Find(string id) => _webhooks.GetValueOrDefault(id);

    public void Save(SandboxWebhook webhook) => _webhooks[webhook.Id] = webhook;

    public bool Delete(string id) => _webhooks.TryRemove(id, out _);

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NonWord();
}
