namespace Klaviyo.Web.Client.Models;

public sealed record RefreshDataData(RefreshDataPayload RefreshData);

public sealed record RefreshDataPayload(IReadOnlyList<SyncEntity> Scopes, StartedRun? Run, IReadOnlyList<SyncEntity> AlreadyRunning, IReadOnlyList<string> JoinedRunIds);

public sealed record StartedRun(string Id, DateTime StartedAt);

public sealed record SyncRunsData(IReadOnlyList<RunOutcome> SyncRuns);

public sealed record RunOutcome(string Id, string Outcome);
