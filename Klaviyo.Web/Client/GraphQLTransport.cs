using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Klaviyo.Web.Client.Models;

namespace Klaviyo.Web.Client;

/// <summary>
/// How the generated client reaches the API: queries and mutations over GraphQL over HTTP,
/// subscriptions over graphql-transport-ws; every answer's data is read strictly into its record.
/// </summary>
public sealed class GraphQLTransport(HttpClient http, GraphQLEndpoint endpoint, DashboardCredentials credentials) : IGraphQLTransport
{
    /// <summary>One of the operation files by name (tests send them with their own variables).</summary>
    public Task<T> SendAsync<T>(string operation, object? variables, CancellationToken cancellationToken) =>
        SendAsync<T>(operation, KlaviyoGraphQLClientDocuments.All[operation], variables, cancellationToken);

    public async Task<T> SendAsync<T>(string operation, string document, object? variables, CancellationToken cancellationToken)
    {
        Uri address;
        try
        {
            address = endpoint.Http;
        }
        catch (InvalidOperationException e)
        {
            throw new GraphQLClientException(GraphQLClientException.Unreachable, "The dashboard cannot reach its GraphQL server.", e.Message, e);
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, address)
        {
            Content = JsonContent.Create(new { query = document, operationName = operation, variables }, options: ClientJson.Strict),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/graphql-response+json"));
        if (await credentials.BearerAsync() is { Length: > 0 } token)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        // Every way the exchange can fail is a client error the section shows; only the caller's own cancellation is not.
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            using var answer = await ReadAsync(response, cancellationToken);
            var root = answer.RootElement;
            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
                throw FromError(errors[0]);
            if (!response.IsSuccessStatusCode || root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
                throw new GraphQLClientException(GraphQLClientException.InvalidResponse, $"The GraphQL server answered {(int)response.StatusCode} without data.");
            return Deserialize<T>(data, operation);
        }
        catch (HttpRequestException e)
        {
            throw new GraphQLClientException(GraphQLClientException.Unreachable, "The dashboard cannot reach its GraphQL server.", e.Message, e);
        }
        catch (IOException e)
        {
            throw new GraphQLClientException(GraphQLClientException.Unreachable, "The connection to the GraphQL server broke off.", e.Message, e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient's own timeout, not the caller's cancellation.
            throw new GraphQLClientException(GraphQLClientException.Timeout, "The GraphQL server did not answer in time.", e.Message, e);
        }
    }

    /// <summary>A subscription's events until the server completes it or <paramref name="cancellationToken"/> ends it (one socket each).</summary>
    public async IAsyncEnumerable<T> SubscribeAsync<T>(string operation, string document, object? variables, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("graphql-transport-ws");
        try
        {
            await socket.ConnectAsync(endpoint.WebSocket, cancellationToken);
            var token = await credentials.BearerAsync();
            await GraphQLSocket.SendAsync(socket, new { type = "connection_init", payload = token is { Length: > 0 } ? new { authorization = $"Bearer {token}" } : null }, cancellationToken);
        }
        catch (Exception e) when (e is WebSocketException or HttpRequestException or InvalidOperationException)
        {
            throw new GraphQLClientException(GraphQLClientException.Unreachable, "The dashboard cannot reach its GraphQL server.", e.Message, e);
        }
        var buffer = new byte[16 * 1024];
        while (true)
        {
            string? message;
            try
            {
                message = await GraphQLSocket.ReceiveAsync(socket, buffer, cancellationToken);
            }
            catch (WebSocketException e)
            {
                throw new GraphQLClientException(GraphQLClientException.Unreachable, "The connection to the GraphQL server broke off.", e.Message, e);
            }
            if (message is null)
                throw new GraphQLClientException(GraphQLClientException.Unreachable, $"The GraphQL server closed the socket ({socket.CloseStatus} {socket.CloseStatusDescription}).");
            using var parsed = JsonDocument.Parse(message);
            var root = parsed.RootElement;
            switch (root.GetProperty("type").GetString())
            {
                case "connection_ack":
                    await GraphQLSocket.SendAsync(socket, new { id = "1", type = "subscribe", payload = new { query = document, operationName = operation, variables } }, cancellationToken);
                    break;
                case "ping":
                    await GraphQLSocket.SendAsync(socket, new { type = "pong" }, cancellationToken);
                    break;
                case "next":
                    var payload = root.GetProperty("payload");
                    if (payload.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
                        throw FromError(errors[0]);
                    yield return Deserialize<T>(payload.GetProperty("data"), operation);
                    break;
                case "error":
                    throw FromError(root.GetProperty("payload")[0]);
                case "complete":
                    yield break;
            }
        }
    }

    public static T Deserialize<T>(JsonElement data, string operation)
    {
        try
        {
            return data.Deserialize<T>(ClientJson.Strict) ?? throw new JsonException("null data");
        }
        catch (JsonException e)
        {
            throw new GraphQLClientException(GraphQLClientException.InvalidResponse, $"The answer to {operation} did not match what the dashboard expects.", e.Message, e);
        }
    }

    public static GraphQLClientException FromError(JsonElement error)
    {
        var message = error.TryGetProperty("message", out var m) ? m.GetString() ?? "Unknown error." : "Unknown error.";
        string? code = null, detail = null;
        if (error.TryGetProperty("extensions", out var extensions) && extensions.ValueKind == JsonValueKind.Object)
        {
            code = extensions.TryGetProperty("code", out var c) ? c.GetString() : null;
            detail = extensions.TryGetProperty("detail", out var d) ? d.GetString() : null;
        }
        return new GraphQLClientException(code ?? "GRAPHQL_ERROR", message, detail);
    }

    private static async Task<JsonDocument> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            return await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
        }
        catch (JsonException e)
        {
            throw new GraphQLClientException(GraphQLClientException.InvalidResponse, $"The GraphQL server answered {(int)response.StatusCode} with a body that is not JSON.", e.Message, e);
        }
    }
}
