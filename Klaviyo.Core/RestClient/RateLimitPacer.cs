using System.Collections.Concurrent;
using Klaviyo.Api;

namespace Klaviyo.Core.RestClient;

/// <summary>
/// Spaces requests per rate-limit tier so they stay under the burst (per second) and steady
/// (per minute) limits. Sliding windows are stricter than Klaviyo's fixed ones, so the client
/// rarely meets a 429.
/// </summary>
public sealed class RateLimitPacer(TimeProvider time)
{
    /// <summary>
    /// The burst window with a margin: requests are spaced when sent, but reach Klaviyo after a delay that
    /// varies, so two sent a full second apart can arrive closer (the loaded CI machine met a 429 so).
    /// The steady limit, not the burst, bounds a long sync's pace, so the margin costs it nothing.
    /// </summary>
    public static readonly TimeSpan BurstWindow = TimeSpan.FromMilliseconds(1200);

    private readonly ConcurrentDictionary<string, Window> _windows = new();

    public async Task WaitAsync(RateTier tier, CancellationToken cancellationToken)
    {
        var window = _windows.GetOrAdd(tier.Name, _ => new Window());
        while (true)
        {
            TimeSpan wait;
            lock (window)
            {
                var now = time.GetUtcNow().UtcDateTime;
                while (window.Sent.Count > 0 && now - window.Sent.Peek() >= TimeSpan.FromMinutes(1))
                    window.Sent.Dequeue();
                var inLastSecond = window.Sent.Count(t => now - t < BurstWindow);
                if (window.Sent.Count < tier.Steady && inLastSecond < tier.Burst)
                {
                    window.Sent.Enqueue(now);
                    return;
                }
                wait = window.Sent.Count >= tier.Steady
                    ? window.Sent.Peek() + TimeSpan.FromMinutes(1) - now
                    : window.Sent.Where(t => now - t < BurstWindow).Min() + BurstWindow - now;
            }
            await Task.Delay(wait < TimeSpan.FromMilliseconds(5) ? TimeSpan.FromMilliseconds(5) : wait, time, cancellationToken);
        }
    }

    private sealed class Window
    {
        public Queue<DateTime> Sent { get; } = new();
    }
}
