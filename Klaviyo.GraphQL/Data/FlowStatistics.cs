namespace Klaviyo.GraphQL.Data;

public sealed class FlowStatistics
{
    public required string FlowId { get; init; }
    public required MessageStatistics Values { get; set; }
    public DateTime WindowStart { get; set; }
    public DateTime WindowEnd { get; set; }
    public DateTime FetchedAt { get; set; }
}
