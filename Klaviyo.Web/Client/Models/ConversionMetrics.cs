namespace Klaviyo.Web.Client.Models;

public sealed record ConversionMetricsData(ConversionMetricsPayload ConversionMetrics);

public sealed record ConversionMetricsPayload(IReadOnlyList<ConversionMetric> Nodes, DateTime? LastUpdated, DataSource DataSource);

/// <summary>A metric revenue can be read from; two with the same name differ by integration.</summary>
public sealed record ConversionMetric(string Id, string Name, string? IntegrationName)
{
    public string Label => IntegrationName is null ? Name : $"{Name} ({IntegrationName})";
}
