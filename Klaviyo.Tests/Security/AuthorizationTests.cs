using System.Net;
using System.Text;
using Klaviyo.Core.Security;
using Klaviyo.GraphQL.Transport.WebSockets;
using Klaviyo.Tests.Infrastructure;

namespace Klaviyo.Tests.Security;

/// <summary>Every role against every kind of operation, over HTTP and WebSocket, with sign-in required (Production mode).</summary>
public sealed class AuthorizationTests(SecuredApiFactory factory) : IClassFixture<SecuredApiFactory>
{
    public const string Query = "{ metrics { nodes { id } } }";
    public const string OperatorMutation = """mutation { cancelSync(input: { runId: "00000000-0000-0000-0000-000000000001" }) { cancelled } }""";
    public const string AdminQuery = "{ apiKeys { id } }";
    public const string AdminDiagnostics = "{ diagnostics { database { tables { table rows } } } }";
    public const string Subscription = "subscription { dataChanged { entities } }";

    /// <summary>role (null: anonymous), document, expected outcome: OK, UNAUTHENTICATED or FORBIDDEN.</summary>
    public static TheoryData<string?, string, string> Matrix()
    {
        var data = new TheoryData<string?, string, string>();
        foreach (var document in new[] { Query, OperatorMutation, AdminQuery, AdminDiagnostics })
            data.Add(null, document, "UNAUTHENTICATED");
        data.Add(Roles.Viewer, Query, "OK");
        data.Add(Roles.Viewer, OperatorMutation, "FORBIDDEN");
        data.Add(Roles.Viewer, AdminQuery, "FORBIDDEN");
        data.Add(Roles.Viewer, AdminDiagnostics, "FORBIDDEN");
        data.Add(Roles.Operator, Query, "OK");
        data.Add(Roles.Operator, OperatorMutation, "OK");
        data.Add(Roles.Operator, AdminQuery, "FORBIDDEN");
        data.Add(Roles.Operator, AdminDiagnostics, "FORBIDDEN");
        data.Add(Roles.Admin, Query, "OK");
        data.Add(Roles.Admin, OperatorMutation, "OK");
        data.Add(Roles.Admin, AdminQuery, "OK");
        data.Add(Roles.Admin, AdminDiagnostics, "OK");
        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Over_HTTP_each_role_gets_exactly_what_it_may(string? role, string document, string expected)
    {
        var response = await factory.GraphQLAs(role).PostAsync(document, accept: "application/graphql-response+json");
        var (status, code) = expected switch
        {
            "OK" => (HttpStatusCode.OK, null),
            "UNAUTHENTICATED" => (HttpStatusCode.Unauthorized, "UNAUTHENTICATED"),
            _ => (HttpStatusCode.Forbidden, "FORBIDDEN"),
        };
        Assert.True(status == response.Status, $"{role ?? "anonymous"} {document}: {(int)response.Status} {response.Body}");
        Assert.Equal(code, response.Errors?[0]?["extensions"]?["code"]?.GetValue<string>());
        if (expected == "UNAUTHENTICATED")
            Assert.Equal("Bearer", response.Message.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Over_WebSocket_each_role_gets_exactly_what_it_may(string? role, string document, string expected)
    {
        await using var socket = await GraphQLWebSocketClient.ConnectAsync(factory);
        await socket.SendAsync(new { type = "connection_init", payload = role is null ? null : new { authorization = $"Bearer {factory.KeyFor(role)}" } });
        if (expected == "UNAUTHENTICATED")
        {
            Assert.Equal(CloseCodes.Unauthorized, await socket.ClosedWithAsync());
            return;
        }
        await socket.ReceiveAsync("connection_ack");
        await socket.SubscribeAsync("1", document);
        var answer = await socket.ReceiveAsync(expected == "OK" ? "next" : "error");
        if (expected == "OK")
            Assert.Null(answer["payload"]!["errors"]);
        else
            Assert.Equal("FORBIDDEN", answer["payload"]![0]!["extensions"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_Viewer_may_subscribe_and_an_unknown_key_is_refused_at_connection_init()
    {
        await using (var viewer = await GraphQLWebSocketClient.InitialisedAsync(factory, new { authorization = $"Bearer {factory.KeyFor(Roles.Viewer)}" }))
        {
            await viewer.SubscribeAsync("s", Subscription);
            await viewer.SendAsync(new { type = "ping" });
            await viewer.ReceiveAsync("pong"); // the subscription was accepted: no error came first
        }
        await using var forged = await GraphQLWebSocketClient.ConnectAsync(factory);
        await forged.SendAsync(new { type = "connection_init", payload = new { authorization = "Bearer kda_0000000000_forged" } });
        Assert.Equal(CloseCodes.Forbidden, await forged.ClosedWithAsync());
    }

    [Fact]
    public async Task The_schema_and_the_IDE_need_sign_in_too()
    {
        var anonymous = factory.ClientWith(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/graphql?sdl")).StatusCode);
        var ide = await factory.CreateClient(new() { AllowAutoRedirect = false }).GetAsync("/graphql/");
        Assert.Equal(HttpStatusCode.Redirect, ide.StatusCode);
        Assert.StartsWith("/account/login", ide.Headers.Location!.OriginalString);
        var sdl = await factory.ClientWith(factory.KeyFor(Roles.Viewer)).GetAsync("/graphql?sdl");
        Assert.Contains("type Query", await sdl.Content.ReadAsStringAsync());
        var introspection = await factory.GraphQLAs(null).PostAsync("{ __schema { queryType { name } } }");
        Assert.Equal(HttpStatusCode.Unauthorized, introspection.Status);
    }

    [Fact]
    public async Task Sandbox_fault_control_is_for_Admins_only()
    {
        static StringContent Body() => new("{}", Encoding.UTF8, "application/json");
        const string path = "/sandbox/klaviyo/_control/faults";
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.ClientWith(null).PostAsync(path, Body())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await factory.ClientWith(factory.KeyFor(Roles.Operator)).PostAsync(path, Body())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await factory.ClientWith(factory.KeyFor(Roles.Viewer)).GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await factory.ClientWith(factory.KeyFor(Roles.Admin)).PostAsync(path, Body())).StatusCode);
    }

    [Fact]
    public async Task Me_says_who_is_asking()
    {
        var me = await factory.GraphQLAs(Roles.Operator).QueryAsync("{ me { name role authentication } }");
        Assert.Equal("OPERATOR", me["me"]!["role"]!.GetValue<string>());
        Assert.Equal("apikey", me["me"]!["authentication"]!.GetValue<string>());
    }
}
