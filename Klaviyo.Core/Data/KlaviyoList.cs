namespace Klaviyo.Core.Data;

/// <summary>A Klaviyo list (named so it cannot be confused with <see cref="List{T}"/>).</summary>
public sealed class KlaviyoList
{
    public required string Id { get; init; }
    public required string Name { get; set; }
    public int ProfileCount { get; set; }
    public string? OptInProcess { get; set; }
    public DateTime Created { get; set; }
    public DateTime Updated { get; set; }
}
