namespace Klaviyo.GraphQL.Security;

/// <summary>
/// How this process admits callers, settled once at start by <see cref="SecurityStartup"/>:
/// open (anonymous callers are served with <see cref="AnonymousRole"/>) or sign-in required.
/// </summary>
public sealed class SecurityMode
{
    private volatile string? _anonymousRole;
    private volatile bool _resolved;

    /// <summary>The role anonymous callers get, or null when they must sign in.</summary>
    public string? AnonymousRole => _resolved ? _anonymousRole : throw new InvalidOperationException("The security mode is settled at start-up.");

    public bool SignInRequired => AnonymousRole is null;

    /// <summary>Loopback only (no authentication configured): AllowedHosts is restricted to loopback names.</summary>
    public bool LoopbackOnly { get; private set; }

    internal void Resolve(string? anonymousRole, bool loopbackOnly)
    {
        _anonymousRole = anonymousRole;
        LoopbackOnly = loopbackOnly;
        _resolved = true;
    }
}
