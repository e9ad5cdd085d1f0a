namespace Klaviyo.Core.Data;

public sealed class Metric
{
    public required string Id { get; init; }
    public required string Name { get; set; }
    public string? IntegrationName { get; set; }
    public string? IntegrationCategory { get; set; }
    public DateTime Created { get; set; }
    public DateTime Updated { get; set; }
}
