namespace Klaviyo.GraphQL.Transport.WebSockets;

/// <summary>Close codes of the graphql-transport-ws protocol, with the reasons it prescribes, and this server's own (45xx).</summary>
public static class CloseCodes
{
    public const int InvalidMessage = 4400;
    public const int Unauthorized = 4401;
    public const int Forbidden = 4403;
    public const int SubprotocolNotAcceptable = 4406;
    public const int ConnectionInitialisationTimeout = 4408;
    public const int SubscriberAlreadyExists = 4409;
    public const int TooManyInitialisationRequests = 4429;
    /// <summary>Ours: more messages than Security:RateLimits:SocketMessagesPerMinute.</summary>
    public const int TooManyMessages = 4529;
    /// <summary>Ours: no pong within Security:Sockets:PongTimeout of a ping.</summary>
    public const int PongTimeout = 4504;
    /// <summary>Ours: the subscriber fell more than Security:Sockets:MaxQueuedMessages behind.</summary>
    public const int SubscriberTooSlow = 4508;
}
