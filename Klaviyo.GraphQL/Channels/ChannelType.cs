using GraphQL.Types;
using Klaviyo.Core.Channels;

namespace Klaviyo.GraphQL.Channels;

public sealed class ChannelType : EnumerationGraphType
{
    public ChannelType()
    {
        Name = "Channel";
        Description = "What a message is sent on.";
        Add("EMAIL", Channel.Email, "E-mail.");
        Add("SMS", Channel.Sms, "Text messages (no opens).");
        Add("PUSH", Channel.Push, "Mobile push notifications.");
    }
}
