namespace Klaviyo.Web.Client.Models;

public sealed record RefreshDataData(RefreshDataPayload RefreshData);

public sealed record RefreshDataPayload(IReadOnlyList<SyncEntity> Scopes, StartedRun? Run, IReadOnlyList<SyncEntity> AlreadyRunning, IReadOnlyList<string> JoinedRunIds);

public sealed record StartedRun(string Id, DateTime StartedAt);
