namespace Klaviyo.Core.Coordination;

/// <summary>Several instances on one database (section "Coordination"). Off: this instance syncs alone, as always.</summary>
public sealed class CoordinationOptions
{
    public const string Section = "Coordination";

    /// <summary>Instances share the database: one of them, the holder of the sync lease, runs the schedule and every sync.</summary>
    public bool Enabled { get; set; }
    /// <summary>How long a lease lasts without renewal, by the database's clock.</summary>
    public TimeSpan LeaseTtl { get; set; } = TimeSpan.FromSeconds(15);
    /// <summary>How often the holder renews (and a follower tries to take an expired lease).</summary>
    public TimeSpan RenewEvery { get; set; } = TimeSpan.FromSeconds(3);
    /// <summary>This instance's name in the lease and diagnostics; machine name and a random suffix per start when unset (decided at registration).</summary>
    public string? InstanceId { get; set; }
    /// <summary>A StackExchange.Redis configuration ("127.0.0.1:6379"): events (dataChanged, progress, errors, finished runs) cross instances through it. Unset: no connection is opened.</summary>
    public string? Redis { get; set; }
    /// <summary>How long a follower waits for the leader to answer a forwarded startSync, refreshData or cancelSync before telling its caller to retry.</summary>
    public TimeSpan ForwardTimeout { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>Where other instances and clients can reach this one (shown to them as the leader's address).</summary>
    public string? Address { get; set; }
    /// <summary>
    /// Set by a connected account's shell (<c>Accounts.AccountShell</c>), never configured: its lease is the
    /// account's, taken only by the instance <see cref="InstanceRegistry"/> assigns it to, and its Redis
    /// channels and cache keys are the account's own.
    /// </summary>
    public string? Account { get; set; }

    /// <summary>What this deployment's (or account's) Redis channels and cache keys start with.</summary>
    public string RedisPrefix => Account is null ? "klaviyo:" : $"klaviyo:account:{Account}:";
}
