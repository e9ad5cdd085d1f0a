namespace Klaviyo.Core.Data;

public sealed class Segment
{
    public required string Id { get; init; }
    public required string Name { get; set; }
    public int ProfileCount { get; set; }
    public bool IsActive { get; set; }
    public bool IsStarred { get; set; }
    public DateTime Created { get; set; }
    public DateTime Updated { get; set; }
}
