namespace Klaviyo.Core.Data;

public sealed class SyncState
{
    public required SyncEntity Entity { get; init; }
    /// <summary>Where the next incremental run starts: a timestamp or a Klaviyo page cursor.</summary>
    public string? Cursor { get; set; }
    public SyncStatusKind Status { get; set; }
    public DateTime? LastSuccessAt { get; set; }
    public DateTime? LastAttemptAt { get; set; }
    public DateTime? NextRunAt { get; set; }
    public long RecordCount { get; set; }
    public string? LastError { get; set; }
    /// <summary>The classification of <see cref="LastError"/>, so that its resolution can be announced.</summary>
    public string? LastErrorCode { get; set; }
}
