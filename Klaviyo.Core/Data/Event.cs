namespace Klaviyo.Core.Data;

public sealed class Event
{
    public required string Id { get; init; }
    public required string MetricId { get; init; }
    public string? ProfileId { get; init; }
    public DateTime Datetime { get; init; }
    public double Value { get; init; }
    public string? CampaignId { get; init; }
    public string? FlowId { get; init; }
    public string? MessageId { get; init; }
    public string? FormId { get; init; }

    public AttributionChannel Channel =>
        CampaignId is not null ? AttributionChannel.Campaign
        : FlowId is not null ? AttributionChannel.Flow
        : FormId is not null ? AttributionChannel.Form
        : AttributionChannel.Other;
}
