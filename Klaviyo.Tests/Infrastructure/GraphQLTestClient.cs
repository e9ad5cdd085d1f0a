using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Klaviyo.Tests.Infrastructure;

/// <summary>Sends GraphQL over HTTP and hands back the status, content type and parsed body.</summary>
public sealed class GraphQLTestClient(HttpClient http)
{
    public HttpClient Http => http;

    public Task<GraphQLResponse> PostAsync(string query, object? variables = null, string? accept = null) =>
        SendRawAsync(JsonSerializer.Serialize(new { query, variables }), "application/json", accept);

    public async Task<GraphQLResponse> SendRawAsync(string? body, string? contentType = "application/json", string? accept = null, HttpMethod? method = null)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Post, "/graphql");
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = contentType is null ? null : MediaTypeHeaderValue.Parse(contentType);
        }
        if (accept is not null)
            request.Headers.TryAddWithoutValidation("Accept", accept);
        return await GraphQLResponse.ReadAsync(await http.SendAsync(request));
    }

    public async Task<GraphQLResponse> GetAsync(string queryString, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/graphql?" + queryString);
        if (accept is not null)
            request.Headers.TryAddWithoutValidation("Accept", accept);
        return await GraphQLResponse.ReadAsync(await http.SendAsync(request));
    }

    /// <summary>Posts a query and fails the test unless it succeeded without errors; returns <c>data</c>.</summary>
    public async Task<JsonNode> QueryAsync(string query, object? variables = null)
    {
        var response = await PostAsync(query, variables);
        Assert.True(response.Status == HttpStatusCode.OK && response.Errors is null, $"Expected data, got {(int)response.Status}: {response.Body}");
        return response.Json!["data"]!;
    }

    /// <summary>Posts a query expected to fail; returns its first error's code.</summary>
    public async Task<string?> ErrorCodeAsync(string query, object? variables = null)
    {
        var response = await PostAsync(query, variables);
        Assert.True(response.Errors is not null, $"Expected an error, got: {response.Body}");
        return response.Errors![0]!["extensions"]?["code"]?.GetValue<string>();
    }
}

public sealed record GraphQLResponse(HttpStatusCode Status, string? ContentType, string Body, JsonNode? Json, HttpResponseMessage Message)
{
    public JsonArray? Errors => Json?["errors"] as JsonArray;
    public JsonNode? Data => Json?["data"];
    public bool HasData => Json is JsonObject o && o.ContainsKey("data");

    public static async Task<GraphQLResponse> ReadAsync(HttpResponseMessage message)
    {
        var body = await message.Content.ReadAsStringAsync();
        JsonNode? json = null;
        try
        {
            json = body.Length == 0 ? null : JsonNode.Parse(body);
        }
        catch (JsonException)
        {
        }
        return new GraphQLResponse(message.StatusCode, message.Content.Headers.ContentType?.MediaType, body, json, message);
    }
}
