namespace Klaviyo.Core.Data;

public sealed class Form
{
    public required string Id { get; init; }
    public required string Name { get; set; }
    public required string Status { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public FormStatistics? Statistics { get; set; }
}
