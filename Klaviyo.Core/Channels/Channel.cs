namespace Klaviyo.Core.Channels;

/// <summary>The channels a message goes out on, as Klaviyo names them (a campaign's <c>channel</c>: email, sms, mobile_push).</summary>
public enum Channel
{
    Email,
    Sms,
    Push,
}

public static class ChannelNames
{
    public const string Sms = "sms";

    /// <summary>
    /// SMS has no opens (an opened text is a received one): its open rate is unknown, never zero. The one statement of the
    /// rule; reports apply it in SQL by counting the rows of other channels (<see cref="Statistics.ReportScope"/>).
    /// </summary>
    public static bool HasOpens(Channel? channel) => channel != Channel.Sms;

    public static Channel? Parse(string? name) => name?.ToLowerInvariant() switch
    {
        "email" => Channel.Email,
        "sms" => Channel.Sms,
        "push" or "mobile_push" or "push-notification" => Channel.Push,
        _ => null,
    };

    /// <summary>How a report row's channel is stored: email, sms or push; other channels (e.g. whatsapp) keep Klaviyo's name.</summary>
    public static string Normalize(string? name) => Parse(name) is { } channel ? Name(channel) : (name ?? "email").ToLowerInvariant();

    public static string Name(Channel channel) => channel switch
    {
        Channel.Email => "email",
        Channel.Sms => Sms,
        _ => "push",
    };

    /// <summary>The stored names of a channel (Klaviyo's spellings), for filters in SQL.</summary>
    public static string[] Stored(Channel channel) => channel switch
    {
        Channel.Email => ["email"],
        Channel.Sms => ["sms"],
        _ => ["push", "mobile_push"],
    };
}
