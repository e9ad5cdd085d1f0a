namespace Klaviyo.Web.Client.Models;

/// <summary>A metric revenue can be read from (generated from the operations); two with the same name differ by integration.</summary>
public sealed partial record Metric
{
    public string Label => IntegrationName is null ? Name : $"{Name} ({IntegrationName})";
}
