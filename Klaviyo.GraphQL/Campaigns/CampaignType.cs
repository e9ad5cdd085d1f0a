using GraphQL.Types;
using Klaviyo.Core.Campaigns;
using Klaviyo.GraphQL.Statistics;

namespace Klaviyo.GraphQL.Campaigns;

public sealed class CampaignType : ObjectGraphType<CampaignRow>
{
    public CampaignType()
    {
        Name = "Campaign";
        Description = "A Klaviyo campaign with the statistics of its latest report.";
        Field(c => c.Id, type: typeof(NonNullGraphType<IdGraphType>)).Description("Klaviyo's campaign id.");
        Field(c => c.Name).Description("The campaign's name.");
        Field(c => c.Status).Description("Klaviyo's status, e.g. Sent, Scheduled, Draft.");
        Field(c => c.Channel).Description("email, sms or mobile_push.");
        Field(c => c.Archived).Description("Whether the campaign is archived.");
        Field(c => c.CreatedAt).Description("When the campaign was created.");
        Field(c => c.UpdatedAt).Description("When the campaign was last changed in Klaviyo.");
        Field(c => c.SendTime, nullable: true).Description("When the campaign was (or will be) sent.");
        Field(c => c.Subject, nullable: true).Description("The subject of its (first) email message.");
        this.AddMessageStatistics();
    }
}
