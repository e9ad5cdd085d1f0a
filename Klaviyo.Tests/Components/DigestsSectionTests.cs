using Bunit;
using Klaviyo.Web.Client.Models;
using Klaviyo.Web.Components.Dashboard.Alerts;

namespace Klaviyo.Tests.Components;

/// <summary>The digests on /alerts: listed for everyone; Operators send one now and get told where it went.</summary>
public sealed class DigestsSectionTests : DashboardTestContext
{
    private const string Digests = """
        { "digests": [{ "id": "d1", "name": "Morning numbers", "frequency": "WEEKLY", "hour": 8, "dayOfWeek": 1, "dayOfMonth": null, "schedule": "Mondays at 08:00",
          "contactPointIds": ["c1"], "enabled": true, "nextRunAt": "2026-12-07T13:00:00Z", "lastQueuedAt": null, "updatedBy": "ops" }] }
        """;

    private static readonly ContactPoint Team = new("c1", "Team inbox", "EMAIL", "team@example.com", false, true, null, DateTime.UtcNow, "admin");

    [Fact]
    public void An_Operator_sees_the_schedule_and_sends_a_digest_now()
    {
        Answer("Digests", Digests);
        Answer("SendDigestNow", """{ "sendDigestNow": 1 }""");
        var cut = Render<DigestsSection>(p => p.Add(s => s.CanManage, true).Add(s => s.ContactPoints, [Team]));
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=digest-row]")));
        var row = cut.Find("[data-testid=digest-row]").TextContent;
        Assert.Contains("Mondays at 08:00", row);
        Assert.Contains("Team inbox", row);
        Assert.Contains("2026-12-07 13:00:00Z", row);

        cut.Find("[data-testid=send-digest]").Click();
        cut.WaitForAssertion(() => Assert.Contains("Morning numbers is on its way to 1 contact point.", cut.Find("[data-testid=digest-message]").TextContent));
        Assert.Equal("d1", Requests.Single(r => r.Operation == "SendDigestNow").Variables.GetProperty("id").GetString());
    }

    [Fact]
    public void A_Viewer_sees_digests_without_the_buttons()
    {
        Answer("Digests", Digests);
        var cut = Render<DigestsSection>(p => p.Add(s => s.CanManage, false));
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=digest-row]")));
        Assert.Empty(cut.FindAll("[data-testid=send-digest]"));
        Assert.Empty(cut.FindAll("[data-testid=create-digest]"));
    }
}
