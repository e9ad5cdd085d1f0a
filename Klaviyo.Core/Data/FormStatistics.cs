namespace Klaviyo.Core.Data;

public sealed class FormStatistics
{
    public required string FormId { get; init; }
    public int Views { get; set; }
    public int ViewsUnique { get; set; }
    public int Submits { get; set; }
    public int SubmitsUnique { get; set; }
    public DateTime WindowStart { get; set; }
    public DateTime WindowEnd { get; set; }
    public DateTime FetchedAt { get; set; }
}
