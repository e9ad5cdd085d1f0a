namespace Klaviyo.Core.Data;

/// <summary>
/// A Klaviyo account this deployment syncs. The first (<see cref="DefaultId"/>) is the one the
/// deployment is configured with (<c>Klaviyo:ApiKey</c>, or the hosted sandbox): its data lives in
/// this database, as it did before there were several. Every other keeps its data in a store of its
/// own (<see cref="Store"/>) and its private key here, protected with Data Protection.
/// </summary>
public sealed class ConnectedAccount
{
    public const string DefaultId = "default";

    /// <summary>Lower-case letters, digits and dashes: it names the account in URLs, GraphQL and its store.</summary>
    public required string Id { get; init; }
    /// <summary>What Klaviyo calls the account (its organization name) when it was added.</summary>
    public required string Name { get; set; }
    /// <summary>Klaviyo's id of the account (its public key); null for the default until its first sync.</summary>
    public string? KlaviyoId { get; set; }
    /// <summary>The private key, protected; null for the default account (its key is the deployment's configuration).</summary>
    public string? ProtectedKey { get; set; }
    /// <summary>Served by this deployment's hosted sandbox (its address is this server's own).</summary>
    public bool Sandbox { get; set; }
    /// <summary>Paused: not synced; its data stays and is served as it was.</summary>
    public bool Paused { get; set; }
    public DateTime AddedAt { get; set; }
    public string? AddedBy { get; set; }

    /// <summary>The store of an account's data: the deployment's own database for the default, else one named after it.</summary>
    public string Store => Id == DefaultId ? "" : $"account-{Id}";
}
