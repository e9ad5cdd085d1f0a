using Bunit;
using Klaviyo.Web.Client.Models;
using Klaviyo.Web.Components.Dashboard;
using Klaviyo.Web.Components.Dashboard.Kpis;

namespace Klaviyo.Tests.Components;

public sealed class KpiCardTests : DashboardTestContext
{
    [Fact]
    public void A_KPI_shows_its_value_and_change_against_the_previous_period()
    {
        var cut = Render<KpiCard>(p => p.Add(c => c.Label, "Total revenue").Add(c => c.Key, "totalRevenue")
            .Add(c => c.Kpi, new Kpi(12345.6, 10000, 23.456, Synced, Synced)).Add(c => c.Format, Formats.Money));
        Assert.Equal("$12,346", cut.Find("[data-testid=kpi-value]").TextContent.Trim());
        var change = cut.Find("[data-testid=kpi-change]");
        Assert.Contains("+23.5%", change.TextContent);
        Assert.Contains("up", change.ClassList);
        Assert.Equal("Previous period: $10,000", change.GetAttribute("title"));
    }

    [Theory]
    [InlineData(-0.04)]
    [InlineData(0.049)]
    [InlineData(0.0)]
    public void A_change_that_reads_0_0_percent_is_flat_neither_up_nor_down(double percent)
    {
        var cut = Render<KpiCard>(p => p.Add(c => c.Label, "Orders").Add(c => c.Key, "orders")
            .Add(c => c.Kpi, new Kpi(10000, 10000, percent, Synced, Synced)).Add(c => c.Format, Formats.Count));
        var change = cut.Find("[data-testid=kpi-change]");
        Assert.Contains("0.0%", change.TextContent);
        Assert.DoesNotContain("−", change.TextContent);
        Assert.DoesNotContain("+", change.TextContent);
        Assert.DoesNotContain("down", change.ClassList);
        Assert.DoesNotContain("up", change.ClassList);
        Assert.Contains("flat", change.ClassList);
    }

    [Fact]
    public void A_fall_is_marked_down_and_a_missing_number_is_a_dash_not_a_zero()
    {
        var fall = Render<KpiCard>(p => p.Add(c => c.Label, "Open rate").Add(c => c.Key, "openRate")
            .Add(c => c.Kpi, new Kpi(0.4, 0.5, -20, Synced, Synced)).Add(c => c.Format, Formats.Percent));
        Assert.Equal("40.0%", fall.Find("[data-testid=kpi-value]").TextContent.Trim());
        Assert.Contains("−20.0%", fall.Find("[data-testid=kpi-change]").TextContent);
        Assert.Contains("down", fall.Find("[data-testid=kpi-change]").ClassList);

        var missing = Render<KpiCard>(p => p.Add(c => c.Label, "Conversion rate").Add(c => c.Key, "conversionRate")
            .Add(c => c.Kpi, new Kpi(null, null, null, Synced, Synced)).Add(c => c.Format, Formats.Percent));
        Assert.Equal("—", missing.Find("[data-testid=kpi-value]").TextContent.Trim());
        Assert.Contains("no previous period", missing.Find("[data-testid=kpi-change]").TextContent);
    }

    [Fact]
    public void A_known_KPI_whose_comparison_window_is_still_syncing_says_so_instead_of_no_previous_period()
    {
        var cut = Render<KpiCard>(p => p.Add(c => c.Label, "Total revenue").Add(c => c.Key, "totalRevenue")
            .Add(c => c.Kpi, new Kpi(918563, null, null, Synced, null)).Add(c => c.Format, Formats.Money));
        Assert.Equal("true", cut.Find("[data-testid=kpi]").GetAttribute("data-known"));
        Assert.StartsWith("comparison arriving", cut.Find("[data-testid=kpi-no-change]").TextContent.Trim());
    }

    private static readonly DateTime Synced = new(2026, 11, 26, 5, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void A_KPI_whose_data_has_not_synced_says_when_it_arrives_instead_of_a_number_or_a_change()
    {
        var cut = Render<KpiCard>(p => p.Add(c => c.Label, "Open rate").Add(c => c.Key, "openRate")
            .Add(c => c.Kpi, new Kpi(null, null, null, null, null)).Add(c => c.Format, Formats.Percent).Add(c => c.Pending, "arriving — next report at 10:30"));
        Assert.Equal("—", cut.Find("[data-testid=kpi-value]").TextContent.Trim());
        Assert.Equal("arriving — next report at 10:30", cut.Find("[data-testid=kpi-pending]").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=kpi-change]"));
        Assert.Equal("false", cut.Find("[data-testid=kpi]").GetAttribute("data-known"));
    }
}
