using Klaviyo.Core.Campaigns;
using Klaviyo.Core.Data;
using Klaviyo.GraphQL.Filtering;
using Klaviyo.GraphQL.Paging;
using Klaviyo.GraphQL.Statistics;

namespace Klaviyo.GraphQL.Campaigns;

public static class CampaignsConnection
{
    public static readonly ConnectionDefinition<CampaignRow> Definition = new(
        FieldName: "campaigns",
        PluralName: "Campaigns",
        NodeGraphType: typeof(CampaignType),
        Spec: new QuerySpec<CampaignRow>("Campaign", c => c.Id)
            .String("id", c => c.Id)
            .String("name", c => c.Name)
            .String("status", c => c.Status)
            .String("channel", c => c.Channel)
            .Boolean("archived", c => c.Archived)
            .DateTime("createdAt", c => c.CreatedAt)
            .DateTime("updatedAt", c => c.UpdatedAt)
            .DateTime("sendTime", c => c.SendTime)
            .String("subject", c => c.Subject)
            .MessageStatistics(),
        Source: CampaignRow.Query,
        DefaultOrder: ("sendTime", SortDirection.Desc),
        Entities: [SyncEntity.Campaigns, SyncEntity.CampaignReports],
        Description: "Campaigns with their report statistics for a conversion metric; newest send first unless ordered otherwise.")
    {
        Reports = SyncEntity.CampaignReports,
    };
}
