namespace Klaviyo.Core.Data;

public enum SyncRunOutcome
{
    Running,
    Succeeded,
    Failed,
    Cancelled,
}
