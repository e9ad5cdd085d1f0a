using System.Security.Cryptography;
using System.Text;

namespace Klaviyo.Api;

/// <summary>
/// Klaviyo's system-webhook signature: HMAC-SHA256, keyed with the webhook's secret, over the raw
/// body followed by the <c>Klaviyo-Timestamp</c> header's value, hex-encoded in <c>Klaviyo-Signature</c>.
/// The sandbox signs with it; the receiver checks with it, in constant time.
/// </summary>
public static class WebhookSignature
{
    public const string SignatureHeader = "Klaviyo-Signature";
    public const string TimestampHeader = "Klaviyo-Timestamp";
    public const string WebhookIdHeader = "Klaviyo-Webhook-Id";

    public static string Compute(string secret, ReadOnlySpan<byte> body, string timestamp)
    {
        var input = new byte[body.Length + Encoding.UTF8.GetByteCount(timestamp)];
        body.CopyTo(input);
        Encoding.UTF8.GetBytes(timestamp, input.AsSpan(body.Length));
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), input));
    }

    /// <summary>True when <paramref name="signature"/> is the body's and timestamp's; the comparison takes the same time wherever the bytes differ.</summary>
    public static bool Verify(string secret, ReadOnlySpan<byte> body, string timestamp, string signature)
    {
        Span<byte> claimed = stackalloc byte[32];
        if (signature.Length != 64 || Convert.FromHexString(signature, claimed, out _, out var written) != System.Buffers.OperationStatus.Done || written != 32)
            return false;
        var expected = Convert.FromHexString(Compute(secret, body, timestamp));
        return CryptographicOperations.FixedTimeEquals(expected, claimed);
    }

    /// <summary>The header's instant: ISO 8601 (as <c>meta.timestamp</c>) or Unix seconds.</summary>
    public static DateTimeOffset? ParseTimestamp(string value) =>
        long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            ? seconds < 100_000_000_000 ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null
            : DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at) ? at : null;
}
