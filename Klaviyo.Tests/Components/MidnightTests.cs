using Bunit;
using Klaviyo.Web.Components.Dashboard.Header;
using Klaviyo.Web.Components.Dashboard.Kpis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Klaviyo.Tests.Components;

/// <summary>A dashboard left open overnight moves to the new day of the account's calendar.</summary>
public sealed class MidnightTests : DashboardTestContext
{
    [Fact]
    public void A_page_left_open_past_midnight_in_the_accounts_time_zone_reloads_for_the_new_day()
    {
        // 23:00 on 25 November in New York (the sample account's zone).
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 4, 0, 0, TimeSpan.Zero));
        Services.AddSingleton<TimeProvider>(time);
        Answer("Overview", SampleData.Overview());
        var cut = Render<OverviewSections>(p => p.Add(c => c.Range, DateRangeChoice.Default));
        cut.WaitForAssertion(() => Assert.Equal(1, RequestsFor("Overview")));

        time.Advance(TimeSpan.FromMinutes(59)); // 23:59 there: still the same day
        Assert.Equal(1, RequestsFor("Overview"));
        time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        cut.WaitForAssertion(() => Assert.Equal(2, RequestsFor("Overview")));
    }
}
