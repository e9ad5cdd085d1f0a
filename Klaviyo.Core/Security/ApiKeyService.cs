using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Klaviyo.Core.Data;
using Klaviyo.Core.Errors;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.Core.Security;

/// <summary>
/// API keys: <c>kda_{prefix}_{secret}</c>, shown once at creation, stored as a SHA-256 hash and
/// found by their public prefix. Validated keys are remembered for two seconds so a busy tool
/// does not cost a database read per request; any credential change — here, or on another instance
/// through the coordination bus — clears that memory at once, and open connections re-check.
/// </summary>
public sealed class ApiKeyService
{
    public const string Scheme = "kda_";
    private static readonly TimeSpan Remembered = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);
    private const int MaxRemembered = 1024;
    private readonly ConcurrentDictionary<string, (ApiKey Key, DateTime At)> _recent = new();
    private long _generation;
    private readonly IDbContextFactory<KlaviyoDbContext> contexts;
    private readonly CredentialChanges changes;
    private readonly TimeProvider time;
    private readonly ILogger<ApiKeyService> logger;

    public ApiKeyService(IDbContextFactory<KlaviyoDbContext> contexts, CredentialChanges changes, TimeProvider time, ILogger<ApiKeyService> logger)
    {
        (this.contexts, this.changes, this.time, this.logger) = (contexts, changes, time, logger);
        changes.Changed += _ =>
        {
            Interlocked.Increment(ref _generation);
            _recent.Clear();
        };
    }

    public sealed record Created(ApiKey Key, string Secret);

    /// <summary>A new key with <paramref name="role"/> in every account, or — with <paramref name="accountIds"/> — in those only (ids already checked by the caller).</summary>
    public async Task<Created> CreateAsync(string name, string role, DateTime? expiresAt, string createdBy, CancellationToken cancellationToken,
        IReadOnlyCollection<string>? accountIds = null)
    {
        name = name.Trim();
        if (name.Length is 0 or > 100)
            throw new InvalidInputError("An API key needs a name of 1 to 100 characters.");
        role = Roles.Normalize(role) ?? throw new InvalidInputError($"'{role}' is not a role: use Viewer, Operator or Admin.");
        var now = time.GetUtcNow().UtcDateTime;
        if (expiresAt is { } expiry && expiry.ToUniversalTime() <= now)
            throw new InvalidInputError("expiresAt must be in the future.");

        var prefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5));
        var secret = $"{Scheme}{prefix}_{Base64Url(RandomNumberGenerator.GetBytes(32))}";
        var key = new ApiKey
        {
            Id = Guid.NewGuid(),
            Name = name,
            Prefix = prefix,
            Hash = HashOf(secret),
            Role = role,
            CreatedBy = createdBy,
            CreatedAt = now,
            ExpiresAt = expiresAt?.ToUniversalTime(),
            AccountIds = accountIds is null ? null
                : accountIds.Count > 0 ? string.Join(',', accountIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
                : throw new InvalidInputError("Name at least one account, or leave accountIds out for every account."),
        };
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("API key {Prefix} ({Name}, {Role}) created by {User}", prefix, name, role, createdBy);
        changes.Publish(new CredentialNotice(SignInRequired: true));
        return new Created(key, secret);
    }

    public async Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var keys = await db.ApiKeys.AsNoTracking().ToListAsync(cancellationToken);
        return [.. keys.OrderByDescending(k => k.CreatedAt)];
    }

    /// <summary>Revokes the key (idempotent); null when there is no such key. Open connections using it close.</summary>
    public async Task<ApiKey?> RevokeAsync(Guid id, string revokedBy, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id, cancellationToken);
        if (key is null)
            return null;
        key.RevokedAt ??= time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("API key {Prefix} ({Name}) revoked by {User}", key.Prefix, key.Name, revokedBy);
        changes.Publish(new CredentialNotice(SignInRequired: false));
        return key;
    }

    /// <summary>The key's row when <paramref name="presented"/> is a live key (not revoked, not expired), else null.</summary>
    public async Task<ApiKey?> ValidateAsync(string presented, CancellationToken cancellationToken)
    {
        if (!presented.StartsWith(Scheme, StringComparison.Ordinal) || presented.Length > 200)
            return null;
        var rest = presented.AsSpan(Scheme.Length);
        var separator = rest.IndexOf('_');
        if (separator <= 0)
            return null;
        var prefix = rest[..separator].ToString();
        var now = time.GetUtcNow().UtcDateTime;

        ApiKey? key;
        if (_recent.TryGetValue(prefix, out var remembered) && now - remembered.At < Remembered)
            key = remembered.Key;
        else
        {
            // A change heard while the row is read may postdate the row: that read is used, not remembered.
            var generation = Interlocked.Read(ref _generation);
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            key = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Prefix == prefix, cancellationToken);
            if (key is null)
                return null;
            if (_recent.Count >= MaxRemembered)
                _recent.Clear();
            _recent[prefix] = (key, now);
            if (Interlocked.Read(ref _generation) != generation)
                _recent.TryRemove(prefix, out _);
        }

        if (!CryptographicOperations.FixedTimeEquals(HashOf(presented), key.Hash) || key.RevokedAt is not null || key.ExpiresAt <= now)
            return null;
        if (key.LastUsedAt is null || now - key.LastUsedAt > LastUsedResolution)
            await TouchAsync(key, now, cancellationToken);
        return key;
    }

    private async Task TouchAsync(ApiKey key, DateTime now, CancellationToken cancellationToken)
    {
        key.LastUsedAt = now;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.ApiKeys.Where(k => k.Id == key.Id).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), cancellationToken);
    }

    private static byte[] HashOf(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
