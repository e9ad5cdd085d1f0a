using System.Collections.Concurrent;
using Klaviyo.Api;

namespace Klaviyo.Core.RestClient;

/// <summary>
/// Spaces requests per rate-limit tier so they stay under the burst (per second) and steady
/// (per minute) limits. Klaviyo counts a request when it arrives, which is some time after it was
/// sent and before its answer came back; so a request occupies its tier's windows from when it is
/// sent until <see cref="BurstWindow"/> (or a minute) after its answer. Then no second of arrivals
/// can hold more than the burst, however late a loaded machine's requests arrive (sliding windows
/// counted from the send met a 429 on the loaded CI machine).
/// </summary>
public sealed class RateLimitPacer(TimeProvider time)
{
    /// <summary>The burst window, with a margin over Klaviyo's second; the steady limit, not the burst, bounds a long sync's pace.</summary>
    public static readonly TimeSpan BurstWindow = TimeSpan.FromMilliseconds(1200);

    /// <summary>How often a request waiting only on requests still in flight looks again.</summary>
    private static readonly TimeSpan InFlightPoll = TimeSpan.FromMilliseconds(20);

    private readonly ConcurrentDictionary<string, Window> _windows = new();

    /// <summary>Waits for room in the tier; dispose the answer once the response has arrived.</summary>
    public async Task<IDisposable> WaitAsync(RateTier tier, CancellationToken cancellationToken)
    {
        var window = _windows.GetOrAdd(tier.Name, _ => new Window());
        while (true)
        {
            TimeSpan wait;
            lock (window)
            {
                var now = time.GetUtcNow().UtcDateTime;
                while (window.Sent.Count > 0 && window.Sent.Peek().AnsweredAt is { } answered && now - answered >= TimeSpan.FromMinutes(1))
                    window.Sent.Dequeue();
                var inBurst = window.Sent.Where(r => now - (r.AnsweredAt ?? now) < BurstWindow).ToList();
                if (window.Sent.Count < tier.Steady && inBurst.Count < tier.Burst)
                {
                    var request = new Request(window, time);
                    window.Sent.Enqueue(request);
                    return request;
                }
                // The earliest moment one of the requests in the way leaves its window; in flight, look again shortly.
                var blocking = window.Sent.Count >= tier.Steady ? [window.Sent.Peek()] : inBurst;
                var span = window.Sent.Count >= tier.Steady ? TimeSpan.FromMinutes(1) : BurstWindow;
                wait = blocking.Where(r => r.AnsweredAt is not null).Select(r => r.AnsweredAt!.Value + span - now).DefaultIfEmpty(InFlightPoll).Min();
                if (blocking.Any(r => r.AnsweredAt is null) && wait > InFlightPoll)
                    wait = InFlightPoll;
            }
            await Task.Delay(wait < TimeSpan.FromMilliseconds(5) ? TimeSpan.FromMilliseconds(5) : wait, time, cancellationToken);
        }
    }

    private sealed class Window
    {
        public Queue<Request> Sent { get; } = new();
    }

    /// <summary>A sent request; disposed when its answer (or failure) is in.</summary>
    private sealed class Request(Window window, TimeProvider time) : IDisposable
    {
        public DateTime? AnsweredAt { get; private set; }

        public void Dispose()
        {
            lock (window)
                AnsweredAt ??= time.GetUtcNow().UtcDateTime;
        }
    }
}
