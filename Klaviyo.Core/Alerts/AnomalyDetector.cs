namespace Klaviyo.Core.Alerts;

/// <summary>
/// Anomalies against the series' own seasonal history, robustly: the window just ended is compared
/// with the same window (same hours of the week, or same weekdays) in each of the previous weeks —
/// their median is what was expected, their median absolute deviation how much weeks normally vary.
/// A week with an outage or a sale moves neither, which a mean and a standard deviation would let it do.
/// The spread is floored (Poisson noise of a count, a share of the level) so that a very regular
/// series does not alert on a handful of events. Pure: the evaluator and the benchmark call the same code.
/// </summary>
public static class AnomalyDetector
{
    /// <summary>Weeks of history needed before anything is judged (fewer: no data, never a guess).</summary>
    public const int MinimumWeeks = 3;
    /// <summary>At most this many earlier weeks (about 90 days) form the baseline.</summary>
    public const int MaximumWeeks = 12;

    /// <param name="Observed">The window's total.</param>
    /// <param name="Expected">The median of the same window in earlier weeks.</param>
    /// <param name="Score">(observed − expected) ÷ robust spread: negative for a drop.</param>
    /// <param name="ChangePercent">(observed − expected) ÷ expected × 100, null when nothing was expected.</param>
    public sealed record Judgement(double Observed, double Expected, double Score, double? ChangePercent, bool Anomalous, int Weeks);

    /// <summary>
    /// Judges the last <paramref name="window"/> buckets of <paramref name="series"/> (oldest first,
    /// <paramref name="bucketsPerWeek"/> buckets a week: 168 hourly, 7 daily). Null when fewer than
    /// <see cref="MinimumWeeks"/> earlier weeks exist.
    /// </summary>
    public static Judgement? Judge(IReadOnlyList<double> series, int bucketsPerWeek, int window, AlertDirection direction, double sensitivity, double minChangePercent, double minVolume)
    {
        if (window < 1 || window > bucketsPerWeek || series.Count < window)
            return null;
        var end = series.Count;
        var observed = Sum(series, end - window, window);
        var earlier = new List<double>();
        for (var week = 1; week <= MaximumWeeks; week++)
        {
            var start = end - window - week * bucketsPerWeek;
            if (start < 0)
                break;
            earlier.Add(Sum(series, start, window));
        }
        if (earlier.Count < MinimumWeeks)
            return null;

        var expected = Median(earlier);
        var mad = Median(earlier.Select(v => Math.Abs(v - expected)).ToList());
        // 1.4826 × MAD estimates a standard deviation; a count cannot vary less than its Poisson noise,
        // nor, for practical purposes, less than 5 % of its level.
        var spread = Math.Max(1.4826 * mad, Math.Max(Math.Sqrt(Math.Max(expected, 1)), 0.05 * expected));
        var score = (observed - expected) / spread;
        double? change = expected > 0 ? (observed - expected) / expected * 100 : null;
        var directional = direction switch
        {
            AlertDirection.Drop => score <= -sensitivity,
            AlertDirection.Spike => score >= sensitivity,
            _ => Math.Abs(score) >= sensitivity,
        };
        var large = change is { } c ? Math.Abs(c) >= minChangePercent : observed > 0 && direction != AlertDirection.Drop;
        var volume = Math.Max(expected, observed) >= minVolume;
        return new Judgement(observed, expected, score, change, directional && large && volume, earlier.Count);
    }

    /// <summary>
    /// A slow decline: the weekly totals of the last <paramref name="weeks"/> full weeks fitted with a
    /// Theil–Sen line (the median of every pair's slope: robust to one odd week). Anomalous when the
    /// fitted level fell by at least <paramref name="minChangePercent"/> over those weeks.
    /// </summary>
    public static Judgement? Decay(IReadOnlyList<double> weekly, int weeks, double minChangePercent, double minVolume)
    {
        if (weeks < 3 || weekly.Count < weeks)
            return null;
        var points = weekly.Skip(weekly.Count - weeks).ToList();
        var slopes = new List<double>();
        for (var i = 0; i < points.Count; i++)
            for (var j = i + 1; j < points.Count; j++)
                slopes.Add((points[j] - points[i]) / (j - i));
        var slope = Median(slopes);
        var intercept = Median(points.Select((p, i) => p - slope * i).ToList());
        var first = intercept;
        var last = intercept + slope * (points.Count - 1);
        double? change = first > 0 ? (last - first) / first * 100 : null;
        var anomalous = change is { } c && -c >= minChangePercent && first >= minVolume;
        return new Judgement(last, first, slope, change, anomalous, weeks);
    }

    private static double Sum(IReadOnlyList<double> series, int start, int count)
    {
        var total = 0.0;
        for (var i = start; i < start + count; i++)
            total += series[i];
        return total;
    }

    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
            return 0;
        var sorted = values.Order().ToList();
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
