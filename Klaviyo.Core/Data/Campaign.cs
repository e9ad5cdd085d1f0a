namespace Klaviyo.Core.Data;

public sealed class Campaign
{
    public required string Id { get; init; }
    public required string Name { get; set; }
    public required string Status { get; set; }
    /// <summary>email, sms or mobile_push: Klaviyo lists campaigns per channel.</summary>
    public required string Channel { get; set; }
    public bool Archived { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? ScheduledAt { get; set; }
    public DateTime? SendTime { get; set; }
    public List<CampaignMessage> Messages { get; init; } = [];
    /// <summary>Report rows, one per conversion metric fetched (a campaign has one channel).</summary>
    public List<CampaignStatistics> Statistics { get; init; } = [];
}
