using System.Security.Cryptography;
using System.Text;

namespace Klaviyo.Core.Alerts.Delivery;

/// <summary>
/// Signing as the Standard Webhooks spec says: a <c>whsec_</c> secret (base64 key), and on every
/// attempt <c>webhook-id</c> (the same on retries), <c>webhook-timestamp</c> (Unix seconds) and
/// <c>webhook-signature: v1,base64(HMAC-SHA256(key, "id.timestamp.body"))</c>.
/// </summary>
public static class StandardWebhook
{
    public const string Prefix = "whsec_";

    public static string NewSecret() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static bool IsValidSecret(string secret)
    {
        var body = secret.StartsWith(Prefix, StringComparison.Ordinal) ? secret[Prefix.Length..] : secret;
        var buffer = new byte[body.Length];
        return Convert.TryFromBase64String(body, buffer, out var length) && length is >= 24 and <= 64;
    }

    public static string Sign(string secret, string id, long timestamp, string body)
    {
        var key = Convert.FromBase64String(secret.StartsWith(Prefix, StringComparison.Ordinal) ? secret[Prefix.Length..] : secret);
        var signature = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}"));
        return "v1," + Convert.ToBase64String(signature);
    }
}
