namespace Klaviyo.Core.Data;

public enum SyncEntity
{
    Campaigns,
    Flows,
    Metrics,
    Segments,
    Lists,
    Forms,
    Profiles,
    Events,
    CampaignReports,
    FlowReports,
    FormReports,
    /// <summary>The account itself: its name, time zone and currency (every report is read in its calendar).</summary>
    Account,
}
