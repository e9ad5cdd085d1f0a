using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Klaviyo.Core.Errors;

namespace Klaviyo.GraphQL.Paging;

/// <summary>Opaque cursors: base64url of "o:{offset}". Anything else is rejected as forged.</summary>
public static class OffsetCursor
{
    private const string Prefix = "o:";
    private const int MaxOffset = 10_000_000;

    public static string Encode(int offset) =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes(Prefix + offset.ToString(CultureInfo.InvariantCulture)));

    public static int Decode(string cursor)
    {
        if (cursor.Length is > 0 and <= 24 && Base64Url.IsValid(cursor))
        {
            var text = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(cursor));
            if (text.StartsWith(Prefix, StringComparison.Ordinal)
                && int.TryParse(text.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
                && offset <= MaxOffset
                && Encode(offset) == cursor)
                return offset;
        }
        throw new InvalidInputError($"The cursor '{Truncate(cursor)}' was not issued by this server.", ErrorCodes.InvalidCursor);
    }

    private static string Truncate(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
