namespace Klaviyo.Web.Client;

/// <summary>A GraphQL request that returned errors or could not be made; <see cref="Code"/> is the server's <c>extensions.code</c> (or a transport code).</summary>
public sealed class GraphQLClientException(string code, string message, string? detail = null, Exception? inner = null) : Exception(message, inner)
{
    public const string Unreachable = "SERVER_UNREACHABLE";
    public const string InvalidResponse = "INVALID_RESPONSE";
    public const string Timeout = "SERVER_TIMEOUT";

    public string Code { get; } = code;
    public string? Detail { get; } = detail;
}
