using Klaviyo.GraphQL.Data;

namespace Klaviyo.GraphQL.Sync;

/// <summary>How often each entity is expected to sync. An entity is LATE past twice its interval.</summary>
public sealed class SyncScheduleOptions
{
    public const string Section = "Sync";

    public Dictionary<SyncEntity, TimeSpan> Intervals { get; set; } = new()
    {
        [SyncEntity.Events] = TimeSpan.FromSeconds(5),
        [SyncEntity.Campaigns] = TimeSpan.FromMinutes(1),
        [SyncEntity.Flows] = TimeSpan.FromMinutes(5),
        [SyncEntity.Metrics] = TimeSpan.FromMinutes(15),
        [SyncEntity.Segments] = TimeSpan.FromMinutes(15),
        [SyncEntity.Lists] = TimeSpan.FromMinutes(15),
        [SyncEntity.Forms] = TimeSpan.FromMinutes(15),
        [SyncEntity.Profiles] = TimeSpan.FromMinutes(1),
        // Reports share a budget of 225 calls a day across all three.
        [SyncEntity.CampaignReports] = TimeSpan.FromMinutes(30),
        [SyncEntity.FlowReports] = TimeSpan.FromMinutes(30),
        [SyncEntity.FormReports] = TimeSpan.FromMinutes(30),
    };

    public TimeSpan IntervalOf(SyncEntity entity) => Intervals.GetValueOrDefault(entity, TimeSpan.FromMinutes(15));
}
