using System.Buffers;
using System.Diagnostics;
using GraphQL;
using GraphQLParser.AST;
using Klaviyo.Core.Diagnostics;
using Klaviyo.Core.Errors;
using Klaviyo.Core.Freshness;
using Klaviyo.Core.Security;
using Klaviyo.GraphQL.Security;
using Microsoft.Extensions.Options;

namespace Klaviyo.GraphQL.Transport.Http;

/// <summary>
/// GraphQL over HTTP (the draft spec as audited by graphql-http 1.23). Status codes:
/// 200 for executed operations; document errors 400 under application/graphql-response+json and
/// 200 under legacy application/json; malformed requests 400; GET of a mutation or subscription
/// 405 with Allow: POST; other methods 405; unsupported Content-Type 415; unacceptable Accept 406;
/// oversized requests 413; no credential (when sign-in is required) or a wrong one 401; a document
/// that needs a role the caller lacks 403 (under application/graphql-response+json); too many
/// mutations 429 with Retry-After.
/// </summary>
public sealed class GraphQLHttpHandler(
    OperationExecutor operations,
    IGraphQLTextSerializer serializer,
    IOptions<GraphQLServerOptions> options,
    RequestStatistics statistics,
    ResponseCache responses)
{
    public async Task HandleAsync(HttpContext http)
    {
        var mediaType = GraphQLMediaTypes.Negotiate(http.Request.Headers.Accept);
        try
        {
            if (mediaType is null)
                throw new GraphQLRequestException($"Accept must allow {GraphQLMediaTypes.GraphQLResponse} or {GraphQLMediaTypes.Json}.", StatusCodes.Status406NotAcceptable, ErrorCodes.NotAcceptable);
            if (http.User.Identity?.IsAuthenticated != true)
            {
                http.Response.Headers.WWWAuthenticate = "Bearer";
                throw new GraphQLRequestException("Sign in, or send an API key as 'Authorization: Bearer <key>'.", StatusCodes.Status401Unauthorized, ErrorCodes.Unauthenticated);
            }
            var raw = await ReadRawAsync(http);
            var noCache = NoCache(http.Request);
            // Stored answers are per role and account access: a document one caller may run, or the account it reads
            // by default, is not served to another.
            var responseKey = noCache ? null : CacheKeys.Response($"{mediaType}|{Roles.Highest(http.User)}|{AccountAccess.Of(http.User).Key}", raw.Span);
            if (responseKey is not null && responses.TryGet(responseKey) is { } stored)
            {
                var served = Stopwatch.GetTimestamp();
                statistics.Started();
                await WriteBytesAsync(http, mediaType, stored.Body);
                statistics.Finished(stored.Operation, Stopwatch.GetElapsedTime(served).TotalMilliseconds, failed: false);
                return;
            }
            if (responseKey is not null && !responses.SeenBefore(responseKey))
                responseKey = null; // executed, not kept: kept the next time it is asked

            var request = HttpMethods.IsGet(http.Request.Method)
                ? GraphQLHttpRequestParser.FromQueryString(http.Request.Query, serializer)
                : GraphQLHttpRequestParser.FromJson(raw, serializer);
            var parsed = operations.Parse(request.Query, request.OperationName);
            CheckTransport(http, parsed.Operation);
            await ExecuteAsync(http, mediaType, request, parsed, responseKey, noCache);
        }
        catch (GraphQLRequestException e)
        {
            var error = new ExecutionError(e.Message) { Code = e.Code };
            await WriteAsync(http, e.StatusCode, mediaType ?? GraphQLMediaTypes.Json, new ExecutionResult { Errors = [error] });
        }
    }

    /// <summary>Queries only over GET (a mutation there is 405), and subscriptions only over WebSocket.</summary>
    private static void CheckTransport(HttpContext http, GraphQLOperationDefinition? operation)
    {
        if (HttpMethods.IsGet(http.Request.Method) && operation is { Operation: not OperationType.Query })
        {
            http.Response.Headers.Allow = "POST";
            throw new GraphQLRequestException($"A {operation.Operation.ToString().ToLowerInvariant()} cannot be sent with GET; use POST.", StatusCodes.Status405MethodNotAllowed, ErrorCodes.MethodNotAllowed);
        }
        if (operation is { Operation: OperationType.Subscription })
            throw new GraphQLRequestException("Subscriptions run over WebSocket with the graphql-transport-ws protocol, not over HTTP.");
    }

    /// <summary>Runs the operation and answers it; a query served wholly from the field cache is stored under <paramref name="responseKey"/> when there is one.</summary>
    private async Task ExecuteAsync(HttpContext http, string mediaType, GraphQLHttpRequest request, OperationExecutor.Parsed parsed, string? responseKey, bool noCache)
    {
        var generation = responses.Generation;
        var (result, trace) = await operations.ExecuteAsync(
            new OperationExecutor.Request(request.Query, request.OperationName, request.Variables, request.Extensions,
                http.User, KlaviyoClaims.Partition(http), noCache, http.RequestServices, CountAsRequest: true),
            parsed, http.RequestAborted);

        if (result.Errors?.OfType<RateLimitedError>().FirstOrDefault() is { } limited)
        {
            await RateLimitResponse.WriteAsync(http, limited.RetryAfter);
            return;
        }
        var status = result.Executed || mediaType != GraphQLMediaTypes.GraphQLResponse ? StatusCodes.Status200OK
            : result.Errors?.Any(e => e.Code == ErrorCodes.Forbidden) == true ? StatusCodes.Status403Forbidden
            : StatusCodes.Status400BadRequest;
        if (responseKey is not null && parsed.Operation is { Operation: OperationType.Query } operation && result.Errors is null or { Count: 0 }
            && trace.AllServedFromCache(GraphQLDocuments.RootFieldCount(parsed.Document!, operation), out var entities))
        {
            // Straight to UTF-8: no string of the whole response on the way.
            using var buffer = new MemoryStream();
            await serializer.WriteAsync(buffer, result, http.RequestAborted);
            var bytes = buffer.ToArray();
            responses.Store(responseKey, new ResponseCache.Stored(bytes, parsed.Label), entities, generation);
            await WriteBytesAsync(http, mediaType, bytes);
            return;
        }
        await WriteAsync(http, status, mediaType, result);
    }

    /// <summary><c>Cache-Control: no-cache</c> (or the older <c>Pragma: no-cache</c>) asks every field for fresh data, like <c>forceFresh: true</c>.</summary>
    private static bool NoCache(HttpRequest request) =>
        SaysNoCache(request.Headers.CacheControl) || SaysNoCache(request.Headers.Pragma);

    private static bool SaysNoCache(Microsoft.Extensions.Primitives.StringValues values)
    {
        foreach (var value in values)
            if (value?.Contains("no-cache", StringComparison.OrdinalIgnoreCase) == true)
                return true;
        return false;
    }

    /// <summary>The request as sent: the POST body, or the query string of a GET (also the response cache's key).</summary>
    private async Task<ReadOnlyMemory<byte>> ReadRawAsync(HttpContext http)
    {
        var limit = options.Value.MaxRequestBytes;
        if (HttpMethods.IsGet(http.Request.Method))
        {
            if (http.Request.QueryString.Value?.Length > limit)
                throw TooLarge(limit);
            return System.Text.Encoding.UTF8.GetBytes(http.Request.QueryString.Value ?? "");
        }
        if (!GraphQLMediaTypes.IsJsonRequest(http.Request.ContentType))
            throw new GraphQLRequestException($"POST requests must have Content-Type {GraphQLMediaTypes.Json} (UTF-8); got '{http.Request.ContentType}'.", StatusCodes.Status415UnsupportedMediaType, ErrorCodes.UnsupportedMediaType);
        if (http.Request.ContentLength > limit)
            throw TooLarge(limit);
        if (http.Request.ContentLength is { } length)
        {
            // The exact size, read once: Kestrel ends the body at Content-Length (or fails the request when the client stops short).
            var body = new byte[length];
            await http.Request.Body.ReadExactlyAsync(body, http.RequestAborted);
            return body;
        }
        return await ReadChunkedAsync(http.Request.Body, limit, http.RequestAborted);
    }

    private static async Task<ReadOnlyMemory<byte>> ReadChunkedAsync(Stream body, int limit, CancellationToken cancellationToken)
    {
        // Chunked bodies carry no Content-Length: count while reading and stop one byte past the limit.
        var buffer = new ArrayBufferWriter<byte>(4096);
        while (true)
        {
            var read = await body.ReadAsync(buffer.GetMemory(4096), cancellationToken);
            if (read == 0)
                return buffer.WrittenMemory;
            buffer.Advance(read);
            if (buffer.WrittenCount > limit)
                throw TooLarge(limit);
        }
    }

    private static GraphQLRequestException TooLarge(int limit) =>
        new($"The request is larger than {limit / 1024} KiB.", StatusCodes.Status413PayloadTooLarge, ErrorCodes.RequestTooLarge);

    private static Task WriteBytesAsync(HttpContext http, string mediaType, byte[] body)
    {
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = mediaType + "; charset=utf-8";
        http.Response.ContentLength = body.Length;
        return http.Response.Body.WriteAsync(body, http.RequestAborted).AsTask();
    }

    private async Task WriteAsync(HttpContext http, int status, string mediaType, ExecutionResult result)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = mediaType + "; charset=utf-8";
        await serializer.WriteAsync(http.Response.Body, result, http.RequestAborted);
    }
}
