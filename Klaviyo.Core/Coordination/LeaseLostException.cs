namespace Klaviyo.Core.Coordination;

/// <summary>A sync write carried an epoch that is no longer the lease's: another instance leads now, and the write is refused.</summary>
public sealed class LeaseLostException(string message) : Exception(message);
