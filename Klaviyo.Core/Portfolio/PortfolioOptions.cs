namespace Klaviyo.Core.Portfolio;

/// <summary>
/// Configuration <c>Portfolio</c>: the portfolio adds up each currency on its own; it converts only
/// with rates an Admin sets here (no invented exchange rates), and says which it used.
/// </summary>
public sealed class PortfolioOptions
{
    public const string Section = "Portfolio";

    /// <summary>ISO 4217 code of the one total (e.g. <c>USD</c>); none without it.</summary>
    public string? ReportingCurrency { get; set; }

    /// <summary>Units of <see cref="ReportingCurrency"/> per unit of each other currency: <c>Portfolio:ExchangeRates:GBP = 1.27</c>.</summary>
    public Dictionary<string, decimal> ExchangeRates { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
