using System.Globalization;
using Klaviyo.Web.Client;
using Klaviyo.Web.Client.Models;

namespace Klaviyo.Web.Components.Dashboard.Header;

/// <summary>
/// What the dashboard reports on, as the server resolves it in the account's time zone: a preset
/// (LAST_30_DAYS…) or inclusive calendar days, and what % change compares with. It lives in the URL
/// (<c>?range=LAST_7_DAYS&amp;compare=PREVIOUS_YEAR</c>, or <c>?from=2026-11-01&amp;to=2026-11-07</c>), so a
/// shared link opens the same view and Back works.
/// </summary>
public sealed record DateRangeChoice(string? Preset, DateOnly? From, DateOnly? To, CompareTo Compare)
{
    /// <summary>The conversion metric revenue is read from; null for the default (Placed Order).</summary>
    public string? Metric { get; init; }

    /// <summary>EMAIL, SMS or PUSH: the overview's message KPIs and the campaign and flow tables keep to it; null for every channel.</summary>
    public string? Channel { get; init; }

    public static readonly IReadOnlyList<(string? Channel, string Label)> Channels = [(null, "All channels"), ("EMAIL", "Email"), ("SMS", "SMS"), ("PUSH", "Push")];

    public static readonly IReadOnlyList<(string Preset, string Label)> Presets =
    [
        ("TODAY", "Today"), ("YESTERDAY", "Yesterday"), ("LAST_7_DAYS", "Last 7 days"), ("LAST_30_DAYS", "Last 30 days"),
        ("LAST_90_DAYS", "Last 90 days"), ("THIS_WEEK", "This week"), ("THIS_MONTH", "This month"), ("LAST_MONTH", "Last month"),
        ("THIS_QUARTER", "This quarter"), ("THIS_YEAR", "This year"),
    ];

    public static readonly IReadOnlyList<(CompareTo Compare, string Label)> Comparisons =
    [
        (CompareTo.PreviousPeriod, "Previous period"), (CompareTo.PreviousYear, "Same period last year"), (CompareTo.None, "No comparison"),
    ];

    public static DateRangeChoice Default { get; } = PresetOf("LAST_30_DAYS");

    public static DateRangeChoice PresetOf(string preset, CompareTo compare = CompareTo.PreviousPeriod) => new(preset, null, null, compare);

    public static DateRangeChoice Days(DateOnly from, DateOnly to, CompareTo compare = CompareTo.PreviousPeriod) =>
        from <= to ? new(null, from, to, compare) : new(null, to, from, compare);

    /// <summary>The view a URL asks for; anything unreadable falls back to the default rather than failing the page.</summary>
    public static DateRangeChoice FromQuery(string? range, string? from, string? to, string? compare, string? metric = null, string? channel = null) =>
        Parse(range, from, to, compare) with
        {
            Metric = string.IsNullOrWhiteSpace(metric) || metric.Length > 64 ? null : metric,
            Channel = Channels.FirstOrDefault(c => c.Channel is not null && string.Equals(c.Channel, channel, StringComparison.OrdinalIgnoreCase)).Channel,
        };

    /// <summary>Another range with this view's comparison, metric and channel.</summary>
    public DateRangeChoice Keeping(DateRangeChoice range) => range with { Compare = Compare, Metric = Metric, Channel = Channel };

    private static DateRangeChoice Parse(string? range, string? from, string? to, string? compare)
    {
        var comparison = Comparisons.Select(c => c.Compare).FirstOrDefault(c => string.Equals(Name(c), compare, StringComparison.OrdinalIgnoreCase), CompareTo.PreviousPeriod);
        if (DateOnly.TryParseExact(from, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first)
            && DateOnly.TryParseExact(to, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var last))
            return Days(first, last, comparison);
        var preset = Presets.FirstOrDefault(p => string.Equals(p.Preset, range, StringComparison.OrdinalIgnoreCase)).Preset;
        return PresetOf(preset ?? Default.Preset!, comparison);
    }

    /// <summary>The URL's query for this view.</summary>
    public string ToQuery() => (Preset is not null
        ? $"?range={Preset}&compare={Name(Compare)}"
        : $"?from={From:yyyy-MM-dd}&to={To:yyyy-MM-dd}&compare={Name(Compare)}")
        + (Metric is null ? "" : $"&metric={Uri.EscapeDataString(Metric)}")
        + (Channel is null ? "" : $"&channel={Channel}");

    /// <summary>The <c>DateRangeInput</c> the server resolves.</summary>
    public DateRangeInput ToInput() => Preset is not null
        ? new DateRangeInput(Preset: GraphQLEnum.Parse<RangePreset>(Preset))
        : new DateRangeInput(From: From, To: To);

    /// <summary>The channel filter as the API's enum.</summary>
    public Klaviyo.Web.Client.Models.Channel? ChannelInput => GraphQLEnum.Parse<Klaviyo.Web.Client.Models.Channel>(Channel);

    public string Label => Preset is not null
        ? Presets.First(p => p.Preset == Preset).Label
        : From == To ? From!.Value.ToString("MMM d, yyyy", CultureInfo.InvariantCulture) : $"{From:MMM d} – {To:MMM d, yyyy}";

    public string CompareLabel => Compare switch
    {
        CompareTo.PreviousYear => "vs same period last year",
        CompareTo.None => "",
        _ => "vs previous period",
    };

    public static string Name(CompareTo compare) => compare switch
    {
        CompareTo.PreviousYear => "PREVIOUS_YEAR",
        CompareTo.None => "NONE",
        _ => "PREVIOUS_PERIOD",
    };
}
