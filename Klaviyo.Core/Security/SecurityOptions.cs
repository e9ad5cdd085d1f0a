namespace Klaviyo.Core.Security;

/// <summary>Section "Security": who may use the dashboard and the API, from where, and how often.</summary>
public sealed class SecurityOptions
{
    public const string Section = "Security";

    /// <summary>Serve anonymous callers on a network address (they get <see cref="AnonymousRole"/>). Off: a network address needs sign-in.</summary>
    public bool AllowAnonymous { get; set; }
    /// <summary>The role of anonymous callers when anonymous access is on; Admin on loopback (the local operator), Viewer otherwise.</summary>
    public string? AnonymousRole { get; set; }
    /// <summary>Require sign-in even on loopback (it is also required whenever an account, OIDC or a bootstrap admin is configured).</summary>
    public bool RequireSignIn { get; set; }
    /// <summary>Origins whose pages may open WebSockets or send state-changing requests; the app's own origin is always allowed.</summary>
    public string[] AllowedOrigins { get; set; } = [];
    /// <summary>Origins allowed by CORS for the GraphQL endpoint; empty (the default) sends no CORS headers.</summary>
    public string[] CorsOrigins { get; set; } = [];
    public BootstrapAdminOptions BootstrapAdmin { get; set; } = new();
    public OidcOptions Oidc { get; set; } = new();
    public LockoutOptions Lockout { get; set; } = new();
    public RateLimitOptions RateLimits { get; set; } = new();
    public SocketLimitOptions Sockets { get; set; } = new();
    /// <summary>
    /// Reverse proxies whose <c>X-Forwarded-For</c>/<c>X-Forwarded-Proto</c> are believed (addresses or
    /// CIDR networks, e.g. "127.0.0.1", "10.0.0.0/8"): the client's address for limits and logs, the
    /// scheme for Secure cookies. Empty (the default): no forwarded header is believed.
    /// </summary>
    public string[] TrustedProxies { get; set; } = [];
}

/// <summary>An Admin created at start when no account has that e-mail (for deployments without a shell).</summary>
public sealed class BootstrapAdminOptions
{
    public string? Email { get; set; }
    public string? Password { get; set; }
}

/// <summary>Optional single sign-on with an OpenID Connect provider (authorization code flow with PKCE).</summary>
public sealed class OidcOptions
{
    public string? Authority { get; set; }
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }
    /// <summary>Shown on the sign-in button.</summary>
    public string DisplayName { get; set; } = "Single sign-on";
    /// <summary>The claim whose values are mapped to roles.</summary>
    public string RoleClaim { get; set; } = "roles";
    /// <summary>Claim value → role (Viewer, Operator, Admin); the highest matching role wins.</summary>
    public Dictionary<string, string> RoleMap { get; set; } = [];
    /// <summary>The role of a user whose claims match nothing; unset refuses them.</summary>
    public string? DefaultRole { get; set; }
    public bool RequireHttpsMetadata { get; set; } = true;
    public string[] Scopes { get; set; } = ["openid", "profile", "email"];

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority);
}

public sealed class LockoutOptions
{
    public int MaxFailedAttempts { get; set; } = 5;
    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>Token buckets per identity (user, API key, or IP address when anonymous).</summary>
public sealed class RateLimitOptions
{
    public bool Enabled { get; set; } = true;
    /// <summary>HTTP requests to the API and exports, per identity per minute.</summary>
    public int RequestsPerMinute { get; set; } = 600;
    /// <summary>WebSocket messages, per socket per minute.</summary>
    public int SocketMessagesPerMinute { get; set; } = 600;
    /// <summary>Mutations (HTTP or WebSocket), per identity per minute.</summary>
    public int MutationsPerMinute { get; set; } = 30;
    /// <summary>refreshData, per identity per minute (a refresh already joins running syncs).</summary>
    public int RefreshesPerMinute { get; set; } = 4;
    /// <summary>Password sign-in attempts, per IP address per minute (lockout counts per account).</summary>
    public int SignInsPerMinute { get; set; } = 10;
}

public sealed class SocketLimitOptions
{
    public int MaxTotal { get; set; } = 1000;
    public int MaxPerIdentity { get; set; } = 20;
    /// <summary>Messages waiting to be sent to one socket; a subscriber further behind is closed (4508).</summary>
    public int MaxQueuedMessages { get; set; } = 1000;
    /// <summary>How long a server ping may wait for its pong before the socket is closed (4504).</summary>
    public TimeSpan PongTimeout { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>How often an open socket's credential is re-checked even when no change was announced (changes are checked at once).</summary>
    public TimeSpan RevalidateInterval { get; set; } = TimeSpan.FromSeconds(30);
}
