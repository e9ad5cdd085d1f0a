namespace Klaviyo.Core.Data;

/// <summary>Values of <see cref="Profile.EmailConsent"/>, as Klaviyo spells them.</summary>
public static class ProfileConsent
{
    public const string Subscribed = "SUBSCRIBED";
    public const string Unsubscribed = "UNSUBSCRIBED";
    public const string NeverSubscribed = "NEVER_SUBSCRIBED";
}
