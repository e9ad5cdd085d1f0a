namespace Klaviyo.GraphQL.Data;

public enum SyncRunOutcome
{
    Running,
    Succeeded,
    Failed,
    Cancelled,
}
