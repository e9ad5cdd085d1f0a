namespace Klaviyo.Web.Client.Models;

public sealed record RefreshDataData(RefreshDataPayload RefreshData);

/// <param name="Skipped">Reports fresher than their interval, left to the schedule (each run spends Klaviyo's daily report budget).</param>
public sealed record RefreshDataPayload(IReadOnlyList<SyncEntity> Scopes, IReadOnlyList<SyncEntity> Skipped, StartedRun? Run, IReadOnlyList<SyncEntity> AlreadyRunning, IReadOnlyList<string> JoinedRunIds);

public sealed record StartedRun(string Id, DateTime StartedAt);

public sealed record SyncRunsData(IReadOnlyList<RunOutcome> SyncRuns);

public sealed record RunOutcome(string Id, string Outcome);
