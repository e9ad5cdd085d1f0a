using System.Security.Claims;
using System.Threading.RateLimiting;
using Klaviyo.Core.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Klaviyo.Core.Security;

public static class SecurityServiceCollectionExtensions
{
    /// <summary>The rate-limit policy on the API, the exports and the WebSocket upgrade.</summary>
    public const string ApiRateLimit = "api";
    /// <summary>The rate-limit policy on password sign-in (per IP address).</summary>
    public const string SignInRateLimit = "sign-in";
    /// <summary>Authenticates with a bearer credential when one is sent, else with the session cookie.</summary>
    public const string PolicyScheme = "Klaviyo";

    /// <summary>
    /// Accounts and roles (ASP.NET Core Identity over the app's EF database), API keys, optional
    /// OpenID Connect, the security mode settled at start, origin checks and rate limits.
    /// Call after <c>AddKlaviyoDatabase</c> (its migrator must run first).
    /// </summary>
    public static IHostApplicationBuilder AddKlaviyoSecurity(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var section = builder.Configuration.GetSection(SecurityOptions.Section);
        services.Configure<SecurityOptions>(section);
        var security = section.Get<SecurityOptions>() ?? new SecurityOptions();

        services.AddSingleton<SecurityMode>();
        services.AddHostedService<SecurityStartup>();
        services.AddHostedService<SignInWatch>();
        services.AddSingleton<CredentialChanges>();
        services.AddSingleton<CredentialCheck>();
        services.AddSingleton<CredentialStamp>();
        services.AddSingleton<ApiKeyService>();
        services.AddSingleton<DashboardTokens>();
        services.AddSingleton<BearerCredentials>();
        services.AddSingleton<OperationRateLimiter>();
        services.AddSingleton<OriginPolicy>();
        services.AddScoped<UserAccounts>();
        // Identity's stores take a scoped context; everything else uses the pooled factory.
        services.AddScoped<KlaviyoDbContext>(sp => sp.GetRequiredService<IDbContextFactory<KlaviyoDbContext>>().CreateDbContext());

        services.AddKlaviyoAuthentication(security);
        services.AddKlaviyoIdentity(security);
        services.AddScoped<IClaimsTransformation, ImpliedRoles>();
        // A session cookie is checked against its account's security stamp on every request: a role
        // change, lock or delete ends it at once, not after Identity's default 30 minutes.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.Zero);
        if (security.TrustedProxies.Length > 0)
            services.Configure<ForwardedHeadersOptions>(o => TrustedProxies.Configure(o, security.TrustedProxies));
        services.AddAuthorizationBuilder()
            .AddPolicy(Roles.Viewer, p => p.RequireRole(Roles.Viewer))
            .AddPolicy(Roles.Operator, p => p.RequireRole(Roles.Operator))
            .AddPolicy(Roles.Admin, p => p.RequireRole(Roles.Admin));

        // DNS rebinding: a loopback-only app answers only to loopback host names.
        services.AddSingleton<IPostConfigureOptions<HostFilteringOptions>, LoopbackHosts>();
        if (security.CorsOrigins.Length > 0)
            services.AddCors(o => o.AddDefaultPolicy(p => p.WithOrigins(security.CorsOrigins).WithMethods("GET", "POST").WithHeaders("Content-Type", "Authorization", "Accept")));

        services.AddKlaviyoRateLimits(security);
        return builder;
    }

    /// <summary>A bearer credential (API key or dashboard token) when one is sent, else the session cookie; OpenID Connect when configured.</summary>
    private static void AddKlaviyoAuthentication(this IServiceCollection services, SecurityOptions security)
    {
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = PolicyScheme;
                o.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddPolicyScheme(PolicyScheme, "Bearer credential or session cookie", o =>
                o.ForwardDefaultSelector = http => BearerCredentials.TokenOf(http.Request.Headers.Authorization) is { Length: > 0 }
                    ? BearerAuthenticationHandler.SchemeName
                    : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, BearerAuthenticationHandler>(BearerAuthenticationHandler.SchemeName, null)
            .AddIdentityCookies(cookies => cookies.ApplicationCookie?.Configure(SessionCookie.Configure));
        if (security.Oidc.Enabled)
            services.AddAuthentication().AddKlaviyoOidc(security.Oidc);
    }

    /// <summary>ASP.NET Core Identity over the app's database: accounts, roles, passwords and lockout.</summary>
    private static void AddKlaviyoIdentity(this IServiceCollection services, SecurityOptions security) =>
        services.AddIdentityCore<IdentityUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 12;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireDigit = false;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = security.Lockout.MaxFailedAttempts;
                o.Lockout.DefaultLockoutTimeSpan = security.Lockout.Duration;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<KlaviyoDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();

    /// <summary>Requests per minute per caller on the API, sign-ins per minute per address; 429 with Retry-After.</summary>
    private static void AddKlaviyoRateLimits(this IServiceCollection services, SecurityOptions security) =>
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (context, _) => RateLimitResponse.WriteAsync(context.HttpContext,
                context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(10));
            o.AddPolicy(ApiRateLimit, http => security.RateLimits.Enabled
                ? RateLimitPartition.GetTokenBucketLimiter(KlaviyoClaims.Partition(http), _ => OperationRateLimiter.Bucket(security.RateLimits.RequestsPerMinute))
                : RateLimitPartition.GetNoLimiter("off"));
            o.AddPolicy(SignInRateLimit, http => security.RateLimits.Enabled
                // The client's address: behind a trusted proxy, the forwarded one.
                ? RateLimitPartition.GetTokenBucketLimiter("ip:" + http.Connection.RemoteIpAddress, _ => OperationRateLimiter.Bucket(security.RateLimits.SignInsPerMinute))
                : RateLimitPartition.GetNoLimiter("off"));
        });

    /// <summary>
    /// Whether the caller is on this machine (from the TCP peer, before anything rewrites it), the
    /// trusted proxies' forwarded headers, cross-site checks, authentication, anonymous access where
    /// the mode allows it, rate limits, authorization — in that order.
    /// </summary>
    public static WebApplication UseKlaviyoSecurity(this WebApplication app)
    {
        app.Use(LocalCaller.InvokeAsync);
        if (app.Services.GetRequiredService<IOptions<SecurityOptions>>().Value.TrustedProxies.Length > 0)
            app.UseForwardedHeaders();
        app.Use(app.Services.GetRequiredService<OriginPolicy>().InvokeAsync);
        app.UseAuthentication();
        app.Use(AnonymousAccess.InvokeAsync);
        if (app.Services.GetRequiredService<IOptions<SecurityOptions>>().Value.CorsOrigins.Length > 0)
            app.UseCors();
        app.UseRateLimiter();
        app.UseAuthorization();
        return app;
    }

    /// <summary>Identity stores one role per account; the roles it includes are added as claims on every request.</summary>
    private sealed class ImpliedRoles : IClaimsTransformation
    {
        public Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
        {
            if (principal.Identity is not ClaimsIdentity identity || Roles.Highest(principal) is not { } role)
                return Task.FromResult(principal);
            foreach (var implied in Roles.Implied(role))
                if (!principal.IsInRole(implied))
                    identity.AddClaim(new Claim(identity.RoleClaimType, implied));
            return Task.FromResult(principal);
        }
    }

    private sealed class LoopbackHosts(SecurityMode mode) : IPostConfigureOptions<HostFilteringOptions>
    {
        public void PostConfigure(string? name, HostFilteringOptions options)
        {
            if (mode.LoopbackOnly && (options.AllowedHosts.Count == 0 || options.AllowedHosts.All(h => h == "*")))
                options.AllowedHosts = ["localhost", "127.0.0.1", "[::1]"];
        }
    }
}
