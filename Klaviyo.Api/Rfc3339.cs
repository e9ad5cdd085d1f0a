using System.Globalization;
using System.Text.RegularExpressions;

namespace Klaviyo.Api;

/// <summary>
/// The spec's <c>format: date-time</c>: RFC 3339 §5.6, where the offset is required
/// (<c>2022-11-08T00:00:00+00:00</c>). For report timeframes Klaviyo ignores the offset and reads the
/// clock time in the company's time zone, but a value without one is not a date-time at all.
/// </summary>
public static partial class Rfc3339
{
    /// <summary>Seconds precision with the value's own offset, as Klaviyo's examples are written.</summary>
    public static string Format(DateTimeOffset value) => value.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        return text is not null && Pattern().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")]
    private static partial Regex Pattern();
}
