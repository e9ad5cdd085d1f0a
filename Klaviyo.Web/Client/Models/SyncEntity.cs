namespace Klaviyo.Web.Client.Models;

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
    Account,
}
