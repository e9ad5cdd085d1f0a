namespace Klaviyo.Core.Data;

/// <summary>
/// Reporting API calls spent on one UTC day (Klaviyo allows 225). A row, not a counter in memory,
/// so a restart or a second process cannot spend the same calls again.
/// </summary>
public sealed class ReportBudgetDay
{
    public required DateOnly Day { get; init; }
    public int Calls { get; set; }
}
