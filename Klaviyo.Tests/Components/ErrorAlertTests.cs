using Bunit;
using Klaviyo.Web.Client;
using Klaviyo.Web.Client.Models;
using Klaviyo.Web.Components.Dashboard.Errors;

namespace Klaviyo.Tests.Components;

public sealed class ErrorAlertTests : DashboardTestContext
{
    private static ApiErrorEvent Outage(bool resolved = false) =>
        new(ApiErrorSource.Klaviyo, "KLAVIYO_UNAVAILABLE", "Klaviyo is not answering; showing the last synced data until it is back.", "503 from /api/events", SyncEntity.Events, resolved, DateTime.UtcNow);

    [Fact]
    public void No_errors_no_alerts()
    {
        var cut = Render<ErrorAlert>();
        Assert.Empty(cut.FindAll("[data-testid=error-alert]"));
    }

    [Fact]
    public void The_same_error_twice_is_one_alert_with_its_detail()
    {
        var state = Services.GetService<ApiState>()!;
        var cut = Render<ErrorAlert>();
        state.Raise(Outage());
        state.Raise(Outage());

        cut.WaitForAssertion(() =>
        {
            var alert = Assert.Single(cut.FindAll("[data-testid=error-alert]"));
            Assert.Equal("KLAVIYO_UNAVAILABLE", alert.GetAttribute("data-code"));
            Assert.Contains("Klaviyo unavailable.", alert.TextContent);
            Assert.Contains("(×2)", alert.TextContent);
            Assert.Contains("503 from /api/events", cut.Find("[data-testid=error-detail]").TextContent);
        });
    }

    [Fact]
    public void A_dismissed_alert_goes_and_the_others_stay()
    {
        var state = Services.GetService<ApiState>()!;
        var cut = Render<ErrorAlert>();
        state.Raise(Outage());
        state.Raise("overview", new GraphQLClientException("DATABASE_UNAVAILABLE", "The database is not answering."));
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=error-alert]").Count));

        cut.Find("[data-code=DATABASE_UNAVAILABLE] button").Click();
        cut.WaitForAssertion(() => Assert.Equal("KLAVIYO_UNAVAILABLE", Assert.Single(cut.FindAll("[data-testid=error-alert]")).GetAttribute("data-code")));
    }

    [Fact]
    public void A_resolved_error_clears_its_alert()
    {
        var state = Services.GetService<ApiState>()!;
        var cut = Render<ErrorAlert>();
        state.Raise(Outage());
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=error-alert]")));

        state.Resolved(Outage(resolved: true));
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=error-alert]")));
    }
}
