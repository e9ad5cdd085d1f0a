using System.Net;
using System.Text.Json;
using Klaviyo.Tests.Infrastructure;

namespace Klaviyo.Tests.Transport;

/// <summary>
/// GraphQL over HTTP, pinned to the draft spec as graphql-http 1.23's server audit checks it
/// (every MUST, SHOULD and MAY of that audit, ids in the names), plus our own bad-input rules.
/// </summary>
public sealed class GraphQLOverHttpTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string ResponseJson = "application/graphql-response+json";
    private const string Json = "application/json";
    private readonly GraphQLTestClient _client = factory.GraphQL();

    private static string Body(object value) => JsonSerializer.Serialize(value);

    [Theory]
    [InlineData(ResponseJson, ResponseJson)] // 22EB
    [InlineData(Json, Json)]                 // 4655
    [InlineData("*/*", Json)]                // 47DE
    [InlineData(null, Json)]                 // 80D8
    [InlineData("application/graphql-response+json;q=0.9, application/json", Json)]
    [InlineData("text/html, application/graphql-response+json;q=0.5", ResponseJson)]
    public async Task Response_media_type_follows_Accept(string? accept, string expected)
    {
        var response = await _client.SendRawAsync(Body(new { query = "{ __typename }" }), accept: accept);
        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(expected, response.ContentType);
        Assert.Equal("utf-8", response.Message.Content.Headers.ContentType?.CharSet);
    }

    [Fact]
    public async Task Unacceptable_Accept_gets_406()
    {
        var response = await _client.SendRawAsync(Body(new { query = "{ __typename }" }), accept: "text/html");
        Assert.Equal(HttpStatusCode.NotAcceptable, response.Status);
        Assert.Equal("NOT_ACCEPTABLE", response.Errors![0]!["extensions"]!["code"]!.GetValue<string>());
    }

    [Fact] // BF61, 78D5
    public async Task Accepts_utf8_with_and_without_charset()
    {
        var withCharset = await _client.SendRawAsync(Body(new { query = "{ __type(name: \"Run🏃Swim🏊\") { name } }" }), "application/json; charset=utf-8");
        var without = await _client.SendRawAsync(Body(new { query = "{ __typename }" }), "application/json");
        Assert.Equal(HttpStatusCode.OK, withCharset.Status);
        Assert.Equal(HttpStatusCode.OK, without.Status);
    }

    [Fact]
    public async Task A_charset_other_than_utf8_gets_415()
    {
        var response = await _client.SendRawAsync(Body(new { query = "{ __typename }" }), "application/json; charset=latin1");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.Status);
    }

    [Fact] // 5A70
    public async Task Queries_run_over_GET()
    {
        var response = await _client.GetAsync("query=" + Uri.EscapeDataString("{ __typename }"));
        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("Query", response.Data!["__typename"]!.GetValue<string>());
    }

    [Theory] // 9C48
    [InlineData("mutation { __typename }")]
    [InlineData("subscription { syncCompleted { id } }")]
    public async Task Mutations_and_subscriptions_over_GET_get_405_with_Allow_POST(string query)
    {
        var response = await _client.GetAsync("query=" + Uri.EscapeDataString(query), ResponseJson);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.Status);
        Assert.Equal("POST", response.Message.Content.Headers.Allow.Single());
        Assert.Equal("METHOD_NOT_ALLOWED", response.Errors![0]!["extensions"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Other_methods_get_405_with_Allow()
    {
        var response = await _client.SendRawAsync(Body(new { query = "{ __typename }" }), method: HttpMethod.Put);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.Status);
        Assert.Equal(["GET", "POST"], response.Message.Content.Headers.Allow.Order());
    }

    [Fact] // 9ABE
    public async Task POST_without_content_type_gets_415()
    {
        var response = await _client.SendRawAsync(Body(new { query = "{ __typename }" }), contentType: null);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.Status);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/graphql")]
    public async Task POST_with_wrong_content_type_gets_415(string contentType)
    {
        var response = await _client.SendRawAsync("query=%7B__typename%7D", contentType);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.Status);
        Assert.Equal("UNSUPPORTED_MEDIA_TYPE", response.Errors![0]!["extensions"]!["code"]!.GetValue<string>());
    }

    [Fact] // A5BF
    public async Task POST_without_body_gets_400()
    {
        var response = await _client.SendRawAsync("", "application/json");
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
    }

    public static TheoryData<string, string> MalformedBodies => new()
    {
        { Body(new { notquery = "{ __typename }" }), "missing query (423L, 3E3A)" },
        { Body(new { query = new { obj = "ect" } }), "object query (LKJ0)" },
        { Body(new { query = 0 }), "number query (LKJ1)" },
        { Body(new { query = false }), "boolean query (LKJ2)" },
        { Body(new { query = new[] { "array" } }), "array query (LKJ3)" },
        { Body(new { query = "" }), "empty query" },
        { Body(new { query = "{ __typename }", operationName = new { obj = "ect" } }), "object operationName (6C00)" },
        { Body(new { query = "{ __typename }", operationName = 0 }), "number operationName (6C01)" },
        { Body(new { query = "{ __typename }", operationName = false }), "boolean operationName (6C02)" },
        { Body(new { query = "{ __typename }", operationName = new[] { "array" } }), "array operationName (6C03)" },
        { Body(new { query = "{ __typename }", variables = "string" }), "string variables (4760)" },
        { Body(new { query = "{ __typename }", variables = 0 }), "number variables (4761)" },
        { Body(new { query = "{ __typename }", variables = false }), "boolean variables (4762)" },
        { Body(new { query = "{ __typename }", variables = new[] { "array" } }), "array variables (4763)" },
        { Body(new { query = "{ __typename }", extensions = "string" }), "string extensions (58B0)" },
        { Body(new { query = "{ __typename }", extensions = 0 }), "number extensions (58B1)" },
        { Body(new { query = "{ __typename }", extensions = false }), "boolean extensions (58B2)" },
        { Body(new { query = "{ __typename }", extensions = new[] { "array" } }), "array extensions (58B3)" },
        { "{ \"not a JSON", "malformed JSON (B6DC, BCF8)" },
        { "[{\"query\":\"{ __typename }\"}]", "a batch" },
        { "\"just a string\"", "a JSON string" },
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task Malformed_requests_get_400_with_a_coded_error_and_no_data(string body, string what)
    {
        foreach (var accept in new[] { Json, ResponseJson })
        {
            var response = await _client.SendRawAsync(body, accept: accept);
            Assert.True(HttpStatusCode.BadRequest == response.Status, $"{what} under {accept}: {(int)response.Status} {response.Body}");
            Assert.False(response.HasData, what);
            Assert.Equal("INVALID_REQUEST", response.Errors![0]!["extensions"]!["code"]!.GetValue<string>());
        }
    }

    [Theory] // 34A2, 13EE, 8161, B8B3, 94B0-2, 0220-2, 2EA1, 28B9, 428F, 1B7A
    [InlineData("{\"query\":\"{ __typename }\"}")]
    [InlineData("{\"operationName\":\"Query\",\"query\":\"query Query { __typename }\"}")]
    [InlineData("{\"query\":\"{ __typename }\",\"variables\":null}")]
    [InlineData("{\"query\":\"{ __typename }\",\"operationName\":null}")]
    [InlineData("{\"query\":\"{ __typename }\",\"extensions\":null}")]
    [InlineData("{\"query\":\"query Type($name: String!) { __type(name: $name) { name } }\",\"variables\":{\"name\":\"sometype\"}}")]
    [InlineData("{\"query\":\"{ __typename }\",\"extensions\":{\"some\":\"value\"}}")]
    public async Task Well_formed_parameters_execute_without_errors(string body)
    {
        foreach (var accept in new[] { Json, ResponseJson })
        {
            var response = await _client.SendRawAsync(body, accept: accept);
            Assert.Equal(HttpStatusCode.OK, response.Status);
            Assert.Null(response.Errors);
        }
    }

    [Theory] // D6D5, 6A70
    [InlineData(Json)]
    [InlineData(ResponseJson)]
    public async Task GET_takes_variables_as_a_JSON_string(string accept)
    {
        var query = "query=" + Uri.EscapeDataString("query Type($name: String!) { __type(name: $name) { name } }")
                    + "&variables=" + Uri.EscapeDataString("{\"name\":\"Campaign\"}");
        var response = await _client.GetAsync(query, accept);
        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("Campaign", response.Data!["__type"]!["name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("query=%7B__typename%7D&variables=%5B1%5D")]
    [InlineData("query=%7B__typename%7D&variables=not-json")]
    [InlineData("query=%7B__typename%7D&extensions=3")]
    [InlineData("operationName=x")]
    [InlineData("query=%7B__typename%7D&query=%7B__typename%7D")]
    public async Task Malformed_GET_parameters_get_400(string queryString)
    {
        var response = await _client.GetAsync(queryString, Json);
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("INVALID_REQUEST", response.Errors![0]!["extensions"]!["code"]!.GetValue<string>());
    }

    public static TheoryData<string, string> DocumentErrors => new()
    {
        { Body(new { query = "{" }), "SYNTAX_ERROR" },                                                                  // 572B, 865D, 556A, D586
        { Body(new { query = "{ 8f31403dfe404bccbb0e835f2629c6a7 }" }), "SYNTAX_ERROR" },                               // FDE2, 51FE, 74FF, 5E5B
        { Body(new { query = "{ notAField }" }), "FIELDS_ON_CORRECT_TYPE" },
        { Body(new { query = "query CoerceFailure($id: ID!){ __typename }", variables = new { id = (string?)null } }), "NO_UNUSED_VARIABLES" }, // 7B9B, 86EE
        { Body(new { query = "query($first: Int!){ campaigns(first: $first) { totalCount } }", variables = new { first = (int?)null } }), "INVALID_VALUE" },
        { Body(new { query = "query($first: Int!){ campaigns(first: $first) { totalCount } }", variables = new { first = "ten" } }), "INVALID_VALUE" },
        { Body(new { query = "query A { __typename } query B { __typename }", operationName = "C" }), "INVALID_OPERATION_NAME" },
        { Body(new { query = "query A { __typename } query B { __typename }" }), "NO_OPERATION_NAME" },
    };

    [Theory]
    [MemberData(nameof(DocumentErrors))]
    public async Task Document_errors_are_400_under_graphql_response_json_and_200_under_legacy_json(string body, string code)
    {
        var modern = await _client.SendRawAsync(body, accept: ResponseJson);
        var legacy = await _client.SendRawAsync(body, accept: Json);

        Assert.Equal(HttpStatusCode.BadRequest, modern.Status);
        Assert.Equal(HttpStatusCode.OK, legacy.Status);
        foreach (var response in new[] { modern, legacy })
        {
            Assert.False(response.HasData, response.Body);
            Assert.Equal(code, response.Errors![0]!["extensions"]!["code"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task A_subscription_over_POST_is_refused_with_a_pointer_to_WebSockets()
    {
        var response = await _client.PostAsync("subscription { syncCompleted { id } }");
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Contains("graphql-transport-ws", response.Errors![0]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_request_over_the_size_limit_gets_413_without_being_read_whole()
    {
        var query = "{ __typename " + new string(' ', 1024 * 1024) + "}";
        var response = await _client.SendRawAsync(Body(new { query }), accept: Json);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.Status);
        Assert.Equal("REQUEST_TOO_LARGE", response.Errors![0]!["extensions"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Browsers_asking_for_html_are_sent_to_the_IDE_and_the_SDL_is_at_query_sdl()
    {
        var client = factory.CreateClient(new() { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/graphql");
        request.Headers.Add("Accept", "text/html,application/xhtml+xml");
        var redirect = await client.SendAsync(request);
        var sdl = await client.GetStringAsync("/graphql?sdl");
        var ide = await client.GetAsync("/graphql/");

        Assert.Equal(HttpStatusCode.MovedPermanently, redirect.StatusCode);
        Assert.Equal("/graphql/", redirect.Headers.Location!.OriginalString);
        Assert.Contains("type Query {", sdl);
        Assert.Equal("text/html", ide.Content.Headers.ContentType!.MediaType);
        Assert.Contains("<div id=\"root\">", await ide.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_IDE_is_configured_for_this_endpoint_and_ships_its_licence()
    {
        var client = factory.CreateClient();
        using var config = JsonDocument.Parse(await client.GetStringAsync("/graphql/bcp-config.json"));
        var licence = await client.GetAsync("/graphql/LICENSE");

        Assert.Equal("/graphql", config.RootElement.GetProperty("endpoint").GetString());
        Assert.Equal("graphql-transport-ws", config.RootElement.GetProperty("subscriptionProtocol").GetString());
        Assert.Equal(HttpStatusCode.OK, licence.StatusCode);
        Assert.Contains("ChilliCream", await licence.Content.ReadAsStringAsync());
    }
}
