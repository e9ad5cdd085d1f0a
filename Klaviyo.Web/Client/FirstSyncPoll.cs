using Klaviyo.Web.Client.Models;

namespace Klaviyo.Web.Client;

/// <summary>
/// While a section's data has not been confirmed once (lastUpdated null: its first sync is still
/// running, and the push saying it finished may have gone out before this page listened), the section
/// asks again every few seconds; once its data is confirmed, pushes take over.
/// </summary>
public sealed class FirstSyncPoll(TimeProvider time) : IDisposable
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(5);
    private ITimer? _timer;

    /// <summary>Call after each load with what was loaded; <paramref name="reload"/> runs once more later if it is not confirmed yet.</summary>
    public void After(IFreshPayload? payload, Func<Task> reload)
    {
        _timer?.Dispose();
        _timer = payload is { LastUpdated: null } ? time.CreateTimer(_ => _ = reload(), null, Every, Timeout.InfiniteTimeSpan) : null;
    }

    public void Dispose() => _timer?.Dispose();
}
