using Klaviyo.Core.Accounts;
using ScottPlot;

namespace Klaviyo.Core.Digests;

/// <summary>
/// The revenue chart as a PNG for email (ScottPlot on SkiaSharp, rendered on the server): the
/// window's revenue per bucket in the account's local time, the comparison window as a dashed
/// line over the same buckets, the currency on the axis.
/// </summary>
public static class RevenueChart
{
    public const int Width = 640;
    public const int Height = 260;

    public sealed record Point(DateTime LocalStart, double Total);

    public static byte[] Png(IReadOnlyList<Point> current, IReadOnlyList<double>? previous, string currency, string title)
    {
        var plot = new Plot();
        plot.FigureBackground.Color = Colors.White;
        plot.Title(title, size: 14);
        var xs = current.Select(p => p.LocalStart.ToOADate()).ToArray();
        if (previous is { Count: > 0 })
        {
            var n = Math.Min(previous.Count, xs.Length);
            var line = plot.Add.ScatterLine(xs[..n], previous.Take(n).ToArray());
            line.Color = Color.FromHex("#9CA3AF");
            line.LineWidth = 2;
            line.LinePattern = LinePattern.Dashed;
            line.LegendText = "Previous period";
        }
        var revenue = plot.Add.ScatterLine(xs, current.Select(p => p.Total).ToArray());
        revenue.Color = Color.FromHex("#2563EB");
        revenue.LineWidth = 3;
        revenue.LegendText = "Revenue";
        // Days as people write them in any locale ("2 Mar"), hours as 24-hour times.
        plot.Axes.DateTimeTicksBottom().TickGenerator = new ScottPlot.TickGenerators.DateTimeAutomatic
        {
            LabelFormatter = t => t.ToString(t.TimeOfDay == TimeSpan.Zero ? "d MMM" : "HH:mm", System.Globalization.CultureInfo.InvariantCulture),
        };
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = v => MoneyFormat.Compact(v, currency) };
        plot.Axes.Margins(bottom: 0);
        plot.ShowLegend(Alignment.UpperLeft);
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }
}
