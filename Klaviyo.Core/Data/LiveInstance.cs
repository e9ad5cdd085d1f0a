namespace Klaviyo.Core.Data;

/// <summary>
/// An instance of a coordinated deployment that is alive: it writes its row every renewal
/// (<see cref="Coordination.InstanceRegistry"/>), by the database's clock, and deletes it on a graceful
/// stop. The instances seen within a lease's TTL share the connected accounts' sync leases.
/// </summary>
public sealed class LiveInstance
{
    public required string Id { get; init; }
    public string? Address { get; set; }
    public long SeenAtMs { get; set; }
}
