using Bunit;
using Klaviyo.Tests.Infrastructure;
using Klaviyo.Web.Client.Models;
using Klaviyo.Web.Components.Dashboard.Freshness;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Klaviyo.Tests.Components;

public sealed class FreshnessBadgeTests : DashboardTestContext
{
    private readonly FixedTimeProvider _clock = new(new DateTime(2026, 11, 26, 10, 0, 0, DateTimeKind.Utc));

    public FreshnessBadgeTests()
    {
        Services.AddSingleton<TimeProvider>(_clock);
        Render<MudPopoverProvider>();
    }

    [Fact]
    public void LastUpdated_says_never_synced_without_a_time()
    {
        var cut = Render<LastUpdated>(p => p.Add(c => c.Value, null));
        Assert.Equal("never synced", cut.Find("[data-testid=last-updated]").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=stale]"));
    }

    [Fact]
    public void LastUpdated_shows_the_age_ticks_and_gives_the_absolute_time_on_hover()
    {
        var cut = Render<LastUpdated>(p => p.Add(c => c.Value, _clock.UtcNow.AddSeconds(-14)));
        var element = cut.Find("[data-testid=last-updated]");
        Assert.Equal("updated 14 s ago", element.TextContent.Trim());
        Assert.Equal("2026-11-26 09:59:46 UTC", element.GetAttribute("title"));

        _clock.UtcNow = _clock.UtcNow.AddMinutes(3);
        cut.WaitForAssertion(() => Assert.StartsWith("updated 3 min ago", cut.Find("[data-testid=last-updated]").TextContent.Trim()), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void LastUpdated_says_stale_when_older_than_its_limit()
    {
        var cut = Render<LastUpdated>(p => p.Add(c => c.Value, _clock.UtcNow.AddMinutes(-11)).Add(c => c.StaleAfter, TimeSpan.FromMinutes(10)));
        Assert.Equal("stale", cut.Find("[data-testid=stale]").TextContent.Trim());
        Assert.Contains("stale", cut.Find("[data-testid=last-updated]").ClassList);
    }

    [Theory]
    [InlineData(DataSource.Live, "LIVE", "success")]
    [InlineData(DataSource.Cache, "CACHE", "info")]
    [InlineData(DataSource.Fallback, "FALLBACK", "warning")]
    public void DataSourceIndicator_shows_the_source_in_text_and_colour(DataSource source, string text, string colour)
    {
        var cut = Render<DataSourceIndicator>(p => p.Add(c => c.Source, source));
        var chip = cut.Find("[data-testid=data-source]");
        Assert.Equal(text, chip.TextContent.Trim());
        Assert.Equal(text, chip.GetAttribute("data-source"));
        Assert.Contains(chip.ClassList, c => c.Contains(colour, StringComparison.Ordinal));
    }
}
