namespace Klaviyo.Core.Security;

/// <summary>What changed: <see cref="SignInRequired"/> when an account or API key now exists (the first one ends anonymous access).</summary>
public sealed record CredentialNotice(bool SignInRequired);

/// <summary>
/// Something about who may call changed — a key created or revoked, an account created, deleted,
/// locked or given another role. Open connections hear <see cref="Changed"/> and re-check their
/// credentials at once; the coordination bus carries <see cref="ChangedHere"/> to the other instances,
/// which apply it as their own.
/// </summary>
public sealed class CredentialChanges(SecurityMode mode, ILogger<CredentialChanges> logger)
{
    /// <summary>Every change, made here or on another instance.</summary>
    public event Action<CredentialNotice>? Changed;

    /// <summary>Changes made on this instance only: what the coordination bus forwards.</summary>
    public event Action<CredentialNotice>? ChangedHere;

    public void Publish(CredentialNotice notice)
    {
        Apply(notice);
        ChangedHere?.Invoke(notice);
    }

    /// <summary>A change made elsewhere (another instance, or found in the database).</summary>
    public void Apply(CredentialNotice notice)
    {
        if (notice.SignInRequired && mode.RequireSignIn())
            logger.LogInformation("An account or API key now exists: sign-in is required from now on.");
        Changed?.Invoke(notice);
    }
}
