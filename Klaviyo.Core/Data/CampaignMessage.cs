namespace Klaviyo.Core.Data;

public sealed class CampaignMessage
{
    public required string Id { get; init; }
    public required string CampaignId { get; set; }
    public required string Channel { get; set; }
    public string? Label { get; set; }
    public string? Subject { get; set; }
    public string? PreviewText { get; set; }
    public DateTime? CreatedAt { get; set; }
    public DateTime? UpdatedAt { get; set; }
}
