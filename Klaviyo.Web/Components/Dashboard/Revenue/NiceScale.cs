namespace Klaviyo.Web.Components.Dashboard.Revenue;

/// <summary>
/// An axis a reader takes in at a glance: about <c>targetTicks</c> steps of 1, 2 or 5 times a power
/// of ten ($0, $5,000, $10,000 …, never $2,560 steps), from zero to the first step at or above the
/// largest value.
/// </summary>
public sealed record NiceScale(double Step, double Top)
{
    public IEnumerable<double> Ticks()
    {
        for (var i = 0; i * Step <= Top + Step / 1e6; i++)
            yield return i * Step;
    }

    /// <summary>A value's height as a share (0–1) of the axis.</summary>
    public double Share(double value) => Top <= 0 ? 0 : Math.Clamp(value / Top, 0, 1);

    public static NiceScale For(double max, int targetTicks = 5)
    {
        if (!(max > 0) || double.IsInfinity(max))
            return new NiceScale(1, 1);
        var rough = max / targetTicks;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var step = new[] { 1, 2, 5, 10 }.Select(m => m * magnitude).First(s => s >= rough);
        return new NiceScale(step, Math.Ceiling(max / step - 1e-9) * step);
    }
}
