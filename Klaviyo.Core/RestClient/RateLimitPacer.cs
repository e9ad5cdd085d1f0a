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
                var inLastSecond = window.Sent.Count(t => now - t < TimeSpan.FromSeconds(1));
                if (window.Sent.Count < tier.Steady && inLastSecond < tier.Burst)
                {
                    window.Sent.Enqueue(now);
                    return;
                }
                wait = window.Sent.Count >= tier.Steady
                    ? window.Sent.Peek() + TimeSpan.FromMinutes(1) - now
                    : window.Sent.Where(t => now - t < TimeSpan.FromSeconds(1)).Min() + TimeSpan.FromSeconds(1) - now;
            }
            await Task.Delay(wait < TimeSpan.FromMilliseconds(5) ? TimeSpan.FromMilliseconds(5) : wait, time, cancellationToken);
        }
    }

    private sealed class Window
    {
        public Queue<DateTime> Sent { get; } = new();
    }
}
