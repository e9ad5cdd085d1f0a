namespace Klaviyo.Core.Digests;

/// <summary>The digest cannot be made yet (the account has not synced): the outbox tries again later.</summary>
public sealed class DigestNotReadyException(string message) : Exception(message);
