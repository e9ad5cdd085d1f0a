namespace Klaviyo.Core.Data;

/// <summary>The outcome of an entity's latest attempt, as stored; the API derives ON_TIME/LATE from it.</summary>
public enum SyncStatusKind
{
    Idle,
    Running,
    Succeeded,
    Failed,
}
