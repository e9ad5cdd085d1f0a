using System.Globalization;
using Klaviyo.Core.Accounts;
using Klaviyo.Web.Client.Models;

namespace Klaviyo.Web.Components.Dashboard;

/// <summary>How numbers read on the dashboard (invariant culture: the same on every server). A missing number is a dash, never a zero.</summary>
public static class Formats
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    public static string Money(double? value) => Money(value, "USD");
    public static string MoneyCents(double? value) => MoneyCents(value, "USD");
    /// <summary>Money in the account's currency: its symbol where one is unambiguous, else its ISO code.</summary>
    public static string Money(double? value, string currency) => value is double v ? MoneyFormat.Whole(v, currency) : "—";
    public static string MoneyCents(double? value, string currency) => value is double v ? MoneyFormat.Cents(v, currency) : "—";

    /// <summary>For an axis: $0, $500, $5k, $12.5k, $1.2M.</summary>
    public static string MoneyCompact(double value, string currency) => MoneyFormat.Compact(value, currency);

    public static string Count(double? value) => value is double v ? v.ToString("N0", Culture) : "—";
    public static string Percent(double? ratio) => ratio is double v ? (v * 100).ToString("0.0", Culture) + "%" : "—";
    public static string Change(double? percent) => percent is double v
        ? Direction(v) switch { > 0 => "+", < 0 => "−", _ => "" } + Math.Abs(v).ToString("0.0", Culture) + "%"
        : "—";

    /// <summary>Up, down or flat as the change reads: one that shows as 0.0 % is flat, neither green nor red.</summary>
    public static int Direction(double percent) => Math.Sign(Math.Round(percent, 1, MidpointRounding.AwayFromZero));

    /// <summary>The classes a change is drawn with (the dashboard's cards and the portfolio's rows alike).</summary>
    public static string ChangeClass(double? percent) => percent is double v ? Direction(v) switch
    {
        > 0 => "kpi-change up",
        < 0 => "kpi-change down",
        _ => "kpi-change flat",
    } : "kpi-change";
    public static string Bytes(long? bytes) => bytes is long b ? b switch
    {
        >= 1L << 30 => (b / (double)(1L << 30)).ToString("0.0", Culture) + " GiB",
        >= 1L << 20 => (b / (double)(1L << 20)).ToString("0.0", Culture) + " MiB",
        >= 1L << 10 => (b / (double)(1L << 10)).ToString("0.0", Culture) + " KiB",
        _ => b.ToString(Culture) + " B",
    } : "—";
    public static string Milliseconds(double? ms) => ms is double v ? v.ToString("0.0", Culture) + " ms" : "—";
    public static string Utc(DateTime? at) => at is DateTime t ? t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", Culture) : "never";

    /// <summary>"14 s ago", "3 min ago", "2 h ago", "5 d ago".</summary>
    public static string Ago(TimeSpan age) => age.TotalSeconds switch
    {
        < 1 => "just now",
        < 60 => $"{(int)age.TotalSeconds} s ago",
        < 3600 => $"{(int)age.TotalMinutes} min ago",
        < 86400 => $"{(int)age.TotalHours} h ago",
        _ => $"{(int)age.TotalDays} d ago",
    };

    public static string Entity(SyncEntity entity) => entity switch
    {
        SyncEntity.CampaignReports => "Campaign reports",
        SyncEntity.FlowReports => "Flow reports",
        SyncEntity.FormReports => "Form reports",
        _ => entity.ToString(),
    };
}
