using System.Text;

namespace Klaviyo.Sandbox;

/// <summary>The sandbox's opaque page cursors: base64 of "next::offset::{n}", in the style of Klaviyo's own.</summary>
public static class SandboxCursor
{
    private const string Prefix = "next::offset::";

    public static string Encode(long offset) => Convert.ToBase64String(Encoding.ASCII.GetBytes(Prefix + offset));

    public static bool TryDecode(string cursor, out long offset)
    {
        offset = 0;
        try
        {
            var text = Encoding.ASCII.GetString(Convert.FromBase64String(cursor));
            return text.StartsWith(Prefix, StringComparison.Ordinal) && long.TryParse(text.AsSpan(Prefix.Length), out offset) && offset >= 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
