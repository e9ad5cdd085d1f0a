using Klaviyo.Web.Client.Models;

namespace Klaviyo.Web.Client;

/// <summary>The pushes of one account (its DataChanged, SyncProgress, SyncCompleted, ApiErrors and AlertsChanged subscriptions), from <see cref="LiveUpdates.For"/>.</summary>
public sealed class LiveFeed(string? accountId)
{
    /// <summary>The account these pushes are about; null for the deployment's own.</summary>
    public string? AccountId { get; } = accountId;

    public event Action<DataChangedEvent>? DataChanged;
    public event Action<SyncProgress>? Progress;
    public event Action<SyncCompletedSyncRun>? Completed;
    public event Action<ApiErrorEvent>? ApiError;
    /// <summary>Alerts changed state (the bell).</summary>
    public event Action<AlertsChangedEvent>? AlertsChanged;

    internal void Raise(DataChangedEvent e) => DataChanged?.Invoke(e);
    internal void Raise(SyncProgress e) => Progress?.Invoke(e);
    internal void Raise(SyncCompletedSyncRun e) => Completed?.Invoke(e);
    internal void Raise(ApiErrorEvent e) => ApiError?.Invoke(e);
    internal void Raise(AlertsChangedEvent e) => AlertsChanged?.Invoke(e);
}
