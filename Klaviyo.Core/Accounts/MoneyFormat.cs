using System.Globalization;

namespace Klaviyo.Core.Accounts;

/// <summary>Money as people read it, the same on the dashboard, in digests and in alert messages (invariant culture: the same on every server).</summary>
public static class MoneyFormat
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    /// <summary>The currency's symbol where one is unambiguous, else its ISO code and a space.</summary>
    public static string Symbol(string currency) => currency switch
    {
        "USD" => "$",
        "EUR" => "€",
        "GBP" => "£",
        "JPY" => "¥",
        "INR" => "₹",
        _ => currency + " ",
    };

    public static string Whole(double value, string currency) => Symbol(currency) + value.ToString("N0", Culture);

    public static string Cents(double value, string currency) => Symbol(currency) + value.ToString("N2", Culture);

    /// <summary>For an axis: $0, $500, $5k, $12.5k, $1.2M — short, and exact for the 1-2-5 ticks it labels.</summary>
    public static string Compact(double value, string currency) => Symbol(currency) + Math.Abs(value) switch
    {
        >= 1_000_000 => (value / 1_000_000).ToString("0.##", Culture) + "M",
        >= 1_000 => (value / 1_000).ToString("0.##", Culture) + "k",
        _ => value.ToString("0.##", Culture),
    };
}
