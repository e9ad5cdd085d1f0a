namespace Klaviyo.Core.Security;

/// <summary>
/// How this process admits callers, settled at start by <see cref="SecurityStartup"/>: open
/// (anonymous callers are served with <see cref="AnonymousRole"/>) or sign-in required. It moves one
/// way only, to sign-in, the moment the first account or API key exists (<see cref="RequireSignIn"/>).
/// </summary>
public sealed class SecurityMode
{
    private volatile string? _anonymousRole;
    private volatile bool _resolved;

    /// <summary>The role anonymous callers get, or null when they must sign in.</summary>
    public string? AnonymousRole => _resolved ? _anonymousRole : throw new InvalidOperationException("The security mode is settled at start-up.");

    public bool SignInRequired => AnonymousRole is null;

    /// <summary>
    /// Loopback only (no authentication configured): AllowedHosts is restricted to loopback names, and
    /// the anonymous role is granted only to a caller on this machine (<see cref="LocalCaller"/>).
    /// </summary>
    public bool LoopbackOnly { get; private set; }

    internal void Resolve(string? anonymousRole, bool loopbackOnly)
    {
        _anonymousRole = anonymousRole;
        LoopbackOnly = loopbackOnly;
        _resolved = true;
    }

    /// <summary>From now on every caller signs in; true when this changed the mode.</summary>
    internal bool RequireSignIn()
    {
        if (!_resolved || _anonymousRole is null)
            return false;
        _anonymousRole = null;
        return true;
    }
}
