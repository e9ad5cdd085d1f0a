using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Klaviyo.Core.Alerts.Delivery;

/// <summary>Contact points' secrets (Slack URLs, webhook keys) protected with Data Protection: write-only through the API, unreadable from the database alone.</summary>
public sealed class ContactPointSecrets(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("Klaviyo.Alerts.ContactPoints");

    public string Protect(string secret) => _protector.Protect(secret);

    /// <summary>Null when the key that protected it is gone (the contact point must be given its secret again).</summary>
    public string? Unprotect(string? protectedSecret)
    {
        if (protectedSecret is null)
            return null;
        try
        {
            return _protector.Unprotect(protectedSecret);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
