using System.Security.Cryptography;
using Klaviyo.Core.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Klaviyo.Core.Webhooks;

/// <summary>
/// The one key the deployment's deliveries are signed with: Klaviyo:Webhooks:Secret, or 32 random bytes
/// generated once and kept in the database protected with Data Protection (<see cref="StoredSecret"/>),
/// so that every instance checks deliveries with the key the leader registered. Two instances
/// generating at once: the first insert wins and the other reads it.
/// </summary>
public sealed class WebhookSecret(
    IOptions<WebhookOptions> options,
    IDbContextFactory<KlaviyoDbContext> contexts,
    IDataProtectionProvider protection,
    TimeProvider time,
    ILogger<WebhookSecret> logger)
{
    private readonly IDataProtector _protector = protection.CreateProtector("Klaviyo.WebhookSecret");
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _value = string.IsNullOrWhiteSpace(options.Value.Secret) ? null
        : options.Value.Secret.Length >= 16 ? options.Value.Secret
        : throw new OptionsValidationException(WebhookOptions.Section, typeof(WebhookOptions), ["Klaviyo:Webhooks:Secret must be at least 16 characters."]);

    public async ValueTask<string> GetAsync(CancellationToken cancellationToken)
    {
        if (_value is { } known)
            return known;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return _value ??= await LoadOrCreateAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<string> LoadOrCreateAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var stored = await db.StoredSecrets.FirstOrDefaultAsync(s => s.Name == StoredSecret.WebhookSecret, cancellationToken);
        if (stored is not null)
        {
            try
            {
                return _protector.Unprotect(stored.Protected);
            }
            catch (CryptographicException)
            {
                // The Data Protection keys that protected it are gone: a new secret, which the leader registers with Klaviyo.
                logger.LogWarning("The stored webhook secret cannot be read with this deployment's Data Protection keys; a new one replaces it");
            }
        }

        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        if (stored is null)
            db.StoredSecrets.Add(new StoredSecret { Name = StoredSecret.WebhookSecret, Protected = _protector.Protect(secret), CreatedAt = time.GetUtcNow().UtcDateTime });
        else
            stored.Protected = _protector.Protect(secret);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return secret;
        }
        catch (DbUpdateException) when (stored is null)
        {
            // Another instance stored one first: that one is the deployment's.
            await using var again = await contexts.CreateDbContextAsync(cancellationToken);
            var winner = await again.StoredSecrets.AsNoTracking().FirstAsync(s => s.Name == StoredSecret.WebhookSecret, cancellationToken);
            return _protector.Unprotect(winner.Protected);
        }
    }
}
