namespace Klaviyo.Core.Data;

public sealed class SyncRun
{
    public Guid Id { get; init; }
    public required string Trigger { get; init; }
    public required string Mode { get; init; }
    /// <summary>Comma-separated <see cref="SyncEntity"/> names.</summary>
    public required string Entities { get; set; }
    public DateTime StartedAt { get; init; }
    public DateTime? FinishedAt { get; set; }
    public SyncRunOutcome Outcome { get; set; }
    public long Records { get; set; }
    public int Requests { get; set; }
    public int RateLimited { get; set; }
    public string? Error { get; set; }
    /// <summary>The lease epoch of the leader that ran it (0 with one instance): recovery touches only older epochs' runs.</summary>
    public long Epoch { get; init; }
}
