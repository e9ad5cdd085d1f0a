namespace Klaviyo.Core.Data;

public sealed class Flow
{
    public required string Id { get; init; }
    public required string Name { get; set; }
    public required string Status { get; set; }
    public bool Archived { get; set; }
    public string? TriggerType { get; set; }
    public DateTime Created { get; set; }
    public DateTime Updated { get; set; }
    /// <summary>Report rows, one per conversion metric fetched and channel the flow sends on.</summary>
    public List<FlowStatistics> Statistics { get; init; } = [];
}
