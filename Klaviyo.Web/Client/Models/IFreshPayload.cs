namespace Klaviyo.Web.Client.Models;

/// <summary>Every payload states when its data was last confirmed against Klaviyo and where it came from.</summary>
public interface IFreshPayload
{
    DateTime? LastUpdated { get; }
    DataSource DataSource { get; }
}
