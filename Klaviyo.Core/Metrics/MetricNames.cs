namespace Klaviyo.Core.Metrics;

/// <summary>Klaviyo's built-in metric names the dashboard reads.</summary>
public static class MetricNames
{
    public const string PlacedOrder = "Placed Order";
    public const string SubmittedForm = "Submitted Form";
    public const string OpenedEmail = "Opened Email";
    public const string ClickedEmail = "Clicked Email";
    public const string ReceivedEmail = "Received Email";
}
