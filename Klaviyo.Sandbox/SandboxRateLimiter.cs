namespace Klaviyo.Sandbox;

/// <summary>Klaviyo's fixed windows per tier (one account, one quota), as the sandbox enforces them.</summary>
public sealed class SandboxRateLimiter(TimeProvider time)
{
    private readonly Dictionary<string, Windows> _tiers = new();
    private readonly Lock _lock = new();

    /// <summary>Counts the request; null if allowed, else the seconds to wait (Retry-After).</summary>
    public int? TryAcquire(RateTier tier, out int remaining, out int reset)
    {
        var now = time.GetUtcNow().UtcDateTime;
        lock (_lock)
        {
            if (!_tiers.TryGetValue(tier.Name, out var w))
                _tiers[tier.Name] = w = new Windows();
            var second = now.Ticks / TimeSpan.TicksPerSecond;
            var minute = now.Ticks / TimeSpan.TicksPerMinute;
            var day = now.Ticks / TimeSpan.TicksPerDay;
            if (w.Second != second) (w.Second, w.InSecond) = (second, 0);
            if (w.Minute != minute) (w.Minute, w.InMinute) = (minute, 0);
            if (w.Day != day) (w.Day, w.InDay) = (day, 0);
            reset = 60 - now.Second;
            remaining = Math.Max(0, tier.Steady - w.InMinute);
            if (tier.Daily is int daily && w.InDay >= daily)
                return (int)Math.Ceiling((TimeSpan.FromDays(day + 1) - TimeSpan.FromTicks(now.Ticks)).TotalSeconds);
            if (w.InMinute >= tier.Steady)
                return reset;
            if (w.InSecond >= tier.Burst)
                return 1;
            w.InSecond++;
            w.InMinute++;
            w.InDay++;
            remaining = Math.Max(0, tier.Steady - w.InMinute);
            return null;
        }
    }

    private sealed class Windows
    {
        public long Second, Minute, Day;
        public int InSecond, InMinute, InDay;
    }
}
