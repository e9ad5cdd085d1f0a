using Klaviyo.Core.Security;
using Klaviyo.Tests.Security;

namespace Klaviyo.Tests.Alerts;

/// <summary>Viewers see alerts, the log and digests; Operators manage rules, silences and digests; Admins contact points.</summary>
public sealed class AlertAuthorizationTests(SecuredApiFactory factory) : IClassFixture<SecuredApiFactory>
{
    private const string Read = "{ alerts { key state } alertLog { to } alertRules { name } alertSilences { id } }";
    private const string ReadContactPoints = "{ contactPoints { name } }";
    private const string WriteRule = """mutation { createAlertRule(input: { name: "r", kind: THRESHOLD, kpi: REVENUE, threshold: 1, enabled: false }) { id } }""";
    private static readonly string Silence = $$"""mutation { createSilence(input: { matchers: [{ name: "team", value: "growth" }], endsAt: "{{DateTime.UtcNow.AddDays(1):O}}" }) { id } }""";
    private const string ReadDigests = "{ digests { name schedule } }";
    private const string WriteDigest = """mutation { createDigest(input: { name: "d", frequency: DAILY, contactPointIds: [] }) { id } }""";
    private const string WriteContactPoint = """mutation { createContactPoint(input: { name: "c", kind: "EMAIL", addresses: ["a@example.com"] }) { contactPoint { id } } }""";

    public static TheoryData<string?, string, string> Matrix() => new()
    {
        { null, Read, "UNAUTHENTICATED" },
        { Roles.Viewer, Read, "OK" },
        { Roles.Viewer, ReadContactPoints, "FORBIDDEN" },
        { Roles.Viewer, WriteRule, "FORBIDDEN" },
        { Roles.Viewer, Silence, "FORBIDDEN" },
        { Roles.Operator, ReadContactPoints, "OK" },
        { Roles.Operator, WriteRule, "OK" },
        { Roles.Operator, Silence, "OK" },
        { Roles.Operator, WriteContactPoint, "FORBIDDEN" },
        { Roles.Admin, WriteContactPoint, "OK" },
        { null, ReadDigests, "UNAUTHENTICATED" },
        { Roles.Viewer, ReadDigests, "OK" },
        { Roles.Viewer, WriteDigest, "FORBIDDEN" },
        // Past authorization, to validation: a digest needs a contact point.
        { Roles.Operator, WriteDigest, "INVALID_INPUT" },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Each_role_gets_exactly_what_it_may(string? role, string document, string expected)
    {
        var response = await factory.GraphQLAs(role).PostAsync(document, accept: "application/graphql-response+json");
        var code = response.Errors?[0]?["extensions"]?["code"]?.GetValue<string>();
        Assert.True((expected == "OK" ? null : expected) == code, $"{role ?? "anonymous"} {document}: {(int)response.Status} {response.Body}");
    }
}
