namespace Klaviyo.GraphQL.Data;

public sealed class CampaignStatistics
{
    public required string CampaignId { get; init; }
    public required MessageStatistics Values { get; set; }
    public DateTime WindowStart { get; set; }
    public DateTime WindowEnd { get; set; }
    public DateTime FetchedAt { get; set; }
}
