namespace Klaviyo.GraphQL.Transport;

/// <summary>Limits that protect the server from expensive or abusive requests (section "GraphQL").</summary>
public sealed class GraphQLServerOptions
{
    public const string Section = "GraphQL";

    public string Path { get; set; } = "/graphql";
    /// <summary>Largest request body or GET query string accepted, in bytes.</summary>
    public int MaxRequestBytes { get; set; } = 256 * 1024;
    public int MaxDepth { get; set; } = 15;
    public int MaxComplexity { get; set; } = 25_000;
    /// <summary>
    /// Characters of document text kept parsed and validated (<see cref="DocumentCache"/>; a parsed document
    /// refers to its text, so this bounds its memory too); zero turns the cache off.
    /// </summary>
    public int DocumentCacheCharacters { get; set; } = 2_000_000;
    public TimeSpan ExecutionTimeout { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>How long a WebSocket may wait before sending connection_init (close 4408 after).</summary>
    public TimeSpan ConnectionInitTimeout { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>Interval of the server's own ping messages on idle sockets; zero turns them off.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);
    /// <summary>Largest WebSocket message accepted, in bytes; a bigger one closes the socket with 1009.</summary>
    public int MaxMessageBytes { get; set; } = 64 * 1024;
    /// <summary>Most subscriptions one socket may run at once.</summary>
    public int MaxOperationsPerSocket { get; set; } = 100;
}
