using System.Text.Json;
using Bunit;
using Klaviyo.Web.Client;
using Klaviyo.Web.Client.Models;
using Klaviyo.Web.Components.Dashboard.Diagnostics;
using Klaviyo.Web.Components.Dashboard.Header;
using Klaviyo.Web.Components.Dashboard.Kpis;
using Klaviyo.Web.Components.Dashboard.Revenue;
using Klaviyo.Web.Components.Dashboard.Sync;
using Klaviyo.Web.Components.Dashboard.Tables;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Klaviyo.Tests.Components;

/// <summary>Each section's states: loading skeleton, data with its freshness, error instead of numbers, push-driven refetch.</summary>
public sealed class SectionTests : DashboardTestContext
{
    private static readonly DateTime End = new(2026, 11, 26, 0, 0, 0, DateTimeKind.Utc);

    public SectionTests() => Render<MudPopoverProvider>();

    private IRenderedComponent<OverviewSections> RenderOverview() =>
        Render<OverviewSections>(p => p.Add(c => c.Range, DateRangeChoice.Default));

    [Fact]
    public void The_overview_shows_a_skeleton_until_its_answer_arrives()
    {
        var answer = new TaskCompletionSource<string>();
        Answers["Overview"] = _ => answer.Task;
        var cut = RenderOverview();
        Assert.NotEmpty(cut.FindAll("[data-testid=skeleton]"));
        Assert.Empty(cut.FindAll("[data-testid=kpi]"));

        answer.SetResult($$"""{"data":{{SampleData.Overview()}}}""");
        cut.WaitForAssertion(() => Assert.Equal(8, cut.FindAll("[data-testid=kpi]").Count));
        Assert.Empty(cut.FindAll("[data-testid=skeleton]"));
    }

    [Fact]
    public void The_overview_shows_its_numbers_with_the_servers_lastUpdated_and_source()
    {
        Answer("Overview", SampleData.Overview(revenue: 1234.6, dataSource: "LIVE"));
        var cut = RenderOverview();
        cut.WaitForAssertion(() => Assert.Equal("$1,235", cut.Find("[data-kpi=totalRevenue] [data-testid=kpi-value]").TextContent.Trim()));
        Assert.All(cut.FindAll("[data-testid=data-source]"), b => Assert.Equal("LIVE", b.GetAttribute("data-source")));
        Assert.All(cut.FindAll("[data-testid=last-updated]"), t => Assert.Equal("2026-11-26T10:00:00.0000000Z", t.GetAttribute("data-value")));
        Assert.NotEmpty(cut.FindAll("[data-testid=revenue-chart]"));
    }

    [Fact]
    public void A_copy_from_the_dashboards_cache_says_CACHE_with_the_servers_time_and_FALLBACK_stays_FALLBACK()
    {
        Answer("Overview", SampleData.Overview(dataSource: "LIVE"));
        RenderOverview().WaitForAssertion(() => Assert.Equal(1, RequestsFor("Overview")));

        var again = RenderOverview();
        again.WaitForAssertion(() => Assert.Equal("CACHE", again.Find("[data-testid=data-source]").GetAttribute("data-source")));
        Assert.Equal(1, RequestsFor("Overview"));
        Assert.Equal("2026-11-26T10:00:00.0000000Z", again.Find("[data-testid=last-updated]").GetAttribute("data-value"));
        Assert.Equal(1, Services.GetService<ApiState>()!.Statistics.CacheHits);

        Assert.Equal(DataSource.Fallback, Loaded<OverviewPayload>.From(JsonSerializer.Deserialize<OverviewData>(SampleData.Overview(dataSource: "FALLBACK"), ClientJson.Strict)!.Overview, fromClientCache: true).Source);
    }

    [Fact]
    public void A_failed_overview_shows_the_error_never_a_number_and_raises_it()
    {
        Fail("Overview", "DATABASE_UNAVAILABLE", "The database is not answering.");
        var cut = RenderOverview();
        cut.WaitForAssertion(() => Assert.Contains("The database is not answering.", cut.Find("[data-testid=section-error]").TextContent));
        Assert.Empty(cut.FindAll("[data-testid=kpi-value]"));
        Assert.Equal("DATABASE_UNAVAILABLE", Assert.Single(Services.GetService<ApiState>()!.Errors).Code);
    }

    [Fact]
    public async Task A_push_for_an_entity_it_reads_refetches_the_overview_past_the_dashboards_cache_without_forceFresh_and_others_do_not()
    {
        Answer("Overview", SampleData.Overview(revenue: 100));
        var cut = RenderOverview();
        cut.WaitForAssertion(() => Assert.Equal(1, RequestsFor("Overview")));
        var signals = Services.GetService<DashboardSignals>()!;

        await cut.InvokeAsync(() => signals.RefetchAsync([SyncEntity.Segments]));
        Assert.Equal(1, RequestsFor("Overview"));

        Answer("Overview", SampleData.Overview(revenue: 250));
        await cut.InvokeAsync(() => signals.RefetchAsync([SyncEntity.Events]));
        cut.WaitForAssertion(() => Assert.Equal("$250", cut.Find("[data-kpi=totalRevenue] [data-testid=kpi-value]").TextContent.Trim()));
        // The server evicted before it pushed: its cache answers, many dashboards cost it one computation.
        Assert.False(Requests.Last().Variables.TryGetProperty("forceFresh", out _), "forceFresh is left out (the server's default, false)");
        Assert.Equal(2, RequestsFor("Overview"));

        // Refresh is the one that makes the server recompute.
        await cut.InvokeAsync(() => signals.ForceRefreshDataAsync());
        cut.WaitForAssertion(() => Assert.Equal(3, RequestsFor("Overview")));
        Assert.True(Requests.Last().Variables.GetProperty("forceFresh").GetBoolean());
    }

    [Fact]
    public async Task A_failed_reload_keeps_the_numbers_but_shows_the_error_and_FALLBACK_never_the_old_LIVE()
    {
        Answer("Overview", SampleData.Overview(revenue: 100, dataSource: "LIVE"));
        var cut = RenderOverview();
        cut.WaitForAssertion(() => Assert.Equal("LIVE", cut.Find("[data-testid=data-source]").GetAttribute("data-source")));

        Fail("Overview", "DATABASE_UNAVAILABLE", "The database is not answering.");
        await cut.InvokeAsync(() => Services.GetService<DashboardSignals>()!.RefetchAsync(null));
        cut.WaitForAssertion(() => Assert.All(cut.FindAll("[data-testid=data-source]"), b => Assert.Equal("FALLBACK", b.GetAttribute("data-source"))));
        Assert.Contains("The database is not answering.", cut.Find("[data-testid=section-error]").TextContent);
        Assert.Equal("$100", cut.Find("[data-kpi=totalRevenue] [data-testid=kpi-value]").TextContent.Trim());

        Answer("Overview", SampleData.Overview(revenue: 120, dataSource: "LIVE"));
        await cut.InvokeAsync(() => Services.GetService<DashboardSignals>()!.RefetchAsync(null));
        cut.WaitForAssertion(() => Assert.Equal("LIVE", cut.Find("[data-testid=data-source]").GetAttribute("data-source")));
        Assert.Empty(cut.FindAll("[data-testid=section-error]"));
    }

    [Fact]
    public void The_latest_request_wins_and_an_older_answer_arriving_later_is_dropped()
    {
        var slow = new TaskCompletionSource<string>();
        var firstPage = $$"""{"data":{{SampleData.Campaigns(total: 12, from: 0, count: 10, hasNext: true, hasPrevious: false)}}}""";
        Answers["Campaigns"] = _ => Task.FromResult(firstPage);
        var cut = Render<DataTabs>();
        cut.WaitForAssertion(() => Assert.Equal(10, cut.FindAll("[data-testid=campaigns] [data-testid=row]").Count));

        // A sort is asked for and answers late; the next page, asked for after it, answers first.
        Answers["Campaigns"] = _ => slow.Task;
        cut.Find("[data-testid=campaigns] [data-testid=sort-revenue]").Click();
        Answers["Campaigns"] = _ => Task.FromResult($$"""{"data":{{SampleData.Campaigns(total: 12, from: 10, count: 2, hasNext: false, hasPrevious: true)}}}""");
        cut.Find("[data-testid=campaigns] [data-testid=next-page]").Click();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=campaigns] [data-testid=row]").Count));

        slow.SetResult(firstPage);
        cut.Render();
        Assert.Equal(2, cut.FindAll("[data-testid=campaigns] [data-testid=row]").Count);
        Assert.Contains("Rows 11–12 of 12", cut.Find("[data-testid=campaigns] [data-testid=pager]").TextContent);
    }

    [Fact]
    public void During_a_first_sync_that_read_recent_events_first_their_row_says_from_when_they_are_in()
    {
        Answer("SyncStatus", SampleData.SyncStatusRecentPartIn);
        var cut = Render<SyncStatusPanel>();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=sync-entity]").Count));

        var covered = cut.Find("[data-entity=Events] [data-testid=sync-covered]");
        Assert.Contains("recent part in (since Oct 25), older arriving", covered.TextContent);
        Assert.DoesNotContain("never", cut.Find("[data-entity=Events]").TextContent);
        Assert.Empty(cut.FindAll("[data-entity=Campaigns] [data-testid=sync-covered]"));
    }

    [Fact]
    public void A_progress_bar_ends_with_its_run_whatever_its_outcome()
    {
        Answer("SyncStatus", SampleData.SyncStatus());
        var cut = Render<SyncStatusPanel>();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=sync-entity]").Count));
        var live = Services.GetService<LiveUpdates>()!;
        using (var progress = JsonDocument.Parse("""{ "data": { "syncProgress": { "runId": "r1", "entity": "EVENTS", "processed": 10, "total": null, "pages": 1, "rate": 5, "eta": null, "at": "2026-11-26T10:00:00Z" } } }"""))
            live.Dispatch("SyncProgress", progress.RootElement);
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-entity=Events] [data-testid=sync-progress]")));
        var reads = RequestsFor("SyncStatus");

        using (var failed = JsonDocument.Parse("""{ "data": { "syncCompleted": { "id": "r1", "entities": ["EVENTS"], "outcome": "FAILED", "error": "Klaviyo is not answering." } } }"""))
            live.Dispatch("SyncCompleted", failed.RootElement);
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=sync-progress]")));
        cut.WaitForAssertion(() => Assert.Equal(reads + 1, RequestsFor("SyncStatus")));
    }

    public static TheoryData<string, string> TransportFailures => new()
    {
        { "refused", GraphQLClientException.Unreachable },
        { "reset", GraphQLClientException.Unreachable },
        { "timeout", GraphQLClientException.Timeout },
        { "not-json", GraphQLClientException.InvalidResponse },
    };

    [Theory]
    [MemberData(nameof(TransportFailures))]
    public void Every_transport_failure_is_a_client_error_the_section_shows(string failure, string code)
    {
        Answers["Overview"] = _ => failure switch
        {
            "refused" => Task.FromException<string>(new HttpRequestException("Connection refused")),
            "reset" => Task.FromException<string>(new IOException("Connection reset by peer")),
            // What HttpClient throws when its own Timeout passes.
            "timeout" => Task.FromException<string>(new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout.", new TimeoutException())),
            _ => Task.FromResult("<html>502 Bad Gateway</html>"),
        };
        var cut = RenderOverview();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=section-error]")));
        Assert.Empty(cut.FindAll("[data-testid=kpi-value]"));
        Assert.Equal(code, Assert.Single(Services.GetService<ApiState>()!.Errors).Code);
    }

    [Fact]
    public void Before_the_first_sync_the_overview_shows_dashes_not_zeros_and_no_badge_beside_never_synced()
    {
        Answer("Overview", SampleData.Overview(revenue: 0, lastUpdated: null, eventsUpdated: null, reportsUpdated: null, profilesUpdated: null));
        var cut = RenderOverview();
        cut.WaitForAssertion(() => Assert.Equal(8, cut.FindAll("[data-testid=kpi-pending]").Count));
        Assert.All(cut.FindAll("[data-testid=kpi-value]"), v => Assert.Equal("—", v.TextContent.Trim()));
        // Label and badge from one fact: nothing confirmed, so no LIVE/CACHE and no "never synced" beside one.
        Assert.Empty(cut.FindAll("[data-testid=data-source]"));
        Assert.Equal(2, cut.FindAll("[data-testid=section-pending]").Count);
        Assert.NotEmpty(cut.FindAll("[data-testid=chart-pending]"));
    }

    [Fact]
    public void Revenue_shows_as_soon_as_events_synced_while_the_report_rates_say_they_are_arriving()
    {
        Answer("Overview", SampleData.Overview(revenue: 1234.6, lastUpdated: null, reportsUpdated: null));
        var cut = RenderOverview();
        cut.WaitForAssertion(() => Assert.Equal("$1,235", cut.Find("[data-kpi=totalRevenue] [data-testid=kpi-value]").TextContent.Trim()));
        Assert.Equal("true", cut.Find("[data-kpi=orders]").GetAttribute("data-known"));
        foreach (var kpi in new[] { "openRate", "clickRate", "conversionRate", "revenuePerRecipient" })
            Assert.StartsWith("arriving", cut.Find($"[data-kpi={kpi}] [data-testid=kpi-pending]").TextContent.Trim());
        // The revenue section reads events only: its own time and badge; the performance section waits for the reports, without a badge.
        Assert.NotNull(cut.Find("[data-testid=revenue] [data-testid=data-source]"));
        Assert.Contains("reports arriving", cut.Find("[data-testid=kpis] [data-testid=section-pending]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=kpis] [data-testid=data-source]"));
        Assert.NotEmpty(cut.FindAll("[data-testid=revenue-chart]"));
        // The note speaks of the chosen metric's own reports, not of another metric.
        Assert.Contains("for Placed Order arrive with Klaviyo's campaign reports", cut.Find("[data-testid=conversion-note]").TextContent);
    }

    [Fact]
    public void The_revenue_chart_says_so_when_there_is_no_revenue()
    {
        var cut = Render<RevenueChart>(p => p.Add(c => c.Points, [new RevenuePoint(End, End.AddDays(1), 0, 0, 0, 0, 0)]));
        Assert.Contains("No revenue", cut.Find("[data-testid=chart-empty]").TextContent);
    }

    [Fact]
    public void The_revenue_chart_has_1_2_5_ticks_exact_values_in_tooltips_the_comparison_on_the_same_axis_and_a_partial_last_bucket()
    {
        var now = DateTime.UtcNow;
        RevenuePoint[] points =
        [
            new(now.AddDays(-2), now.AddDays(-1), 30_000, 5_000, 720.5, 100, 35_820.5),
            new(now.AddDays(-1), now.AddHours(-1), 25_000, 4_000, 0, 0, 29_000),
            new(now.AddHours(-1), now.AddHours(23), 1_000, 0, 0, 0, 1_000),
        ];
        ComparisonPoint[] previous = [new(now.AddDays(-9), now.AddDays(-8), 38_400), new(now.AddDays(-8), now.AddDays(-7), 20_000), new(now.AddDays(-7), now.AddDays(-6), 30_000)];
        var cut = Render<RevenueChart>(p => p.Add(c => c.Points, points).Add(c => c.Previous, previous).Add(c => c.Currency, "USD"));

        Assert.Equal(["$0", "$10k", "$20k", "$30k", "$40k"], cut.FindAll("[data-testid=y-tick]").Select(t => t.TextContent.Trim()));
        var tips = cut.FindAll("[data-testid=tooltip]");
        Assert.Contains("$35,820.50", tips[0].TextContent);
        Assert.Contains("$38,400.00", tips[0].TextContent); // the comparison bucket beside it
        Assert.Equal(["false", "false", "true"], cut.FindAll("[data-testid=bucket]").Select(b => b.GetAttribute("data-partial")));
        Assert.Contains("(so far)", tips[2].TextContent);
        Assert.Single(cut.FindAll("[data-testid=comparison-line]"));

        cut.Find("[data-testid=comparison-toggle]").Change(false);
        Assert.Empty(cut.FindAll("[data-testid=comparison-line]"));
    }

    [Fact]
    public void A_table_pages_forward_and_back_with_cursors_and_sorts_on_the_server()
    {
        Answers["Campaigns"] = variables => Task.FromResult($$"""{"data":{{(variables.TryGetProperty("after", out var after) && after.ValueKind == JsonValueKind.String
            ? SampleData.Campaigns(total: 12, from: 10, count: 2, hasNext: false, hasPrevious: true)
            : SampleData.Campaigns(total: 12, from: 0, count: 10, hasNext: true, hasPrevious: false))}}}""");
        var cut = Render<DataTabs>();
        cut.WaitForAssertion(() => Assert.Equal(10, cut.FindAll("[data-testid=campaigns] [data-testid=row]").Count));
        Assert.Contains("Rows 1–10 of 12", cut.Find("[data-testid=campaigns] [data-testid=pager]").TextContent);

        cut.Find("[data-testid=campaigns] [data-testid=next-page]").Click();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=campaigns] [data-testid=row]").Count));
        Assert.Contains("Rows 11–12 of 12", cut.Find("[data-testid=campaigns] [data-testid=pager]").TextContent);
        Assert.Equal("e10", Requests.Last().Variables.GetProperty("after").GetString());

        cut.Find("[data-testid=campaigns] [data-testid=sort-revenue]").Click();
        cut.WaitForAssertion(() => Assert.Equal("DESC", Requests.Last().Variables.GetProperty("order")[0].GetProperty("revenue").GetString()));
        Assert.False(Requests.Last().Variables.TryGetProperty("after", out _));
        cut.WaitForAssertion(() => Assert.Equal("descending", cut.Find("[data-testid=campaigns] th[aria-sort=descending]").GetAttribute("aria-sort")));
    }

    [Fact]
    public void Campaign_and_flow_tables_read_the_chosen_metric_and_channel_say_when_its_reports_are_pending_and_export_the_same()
    {
        Answer("Campaigns", SampleData.Campaigns(total: 2, from: 0, count: 2, hasNext: false, hasPrevious: false, note: "Reports for 'Started Checkout' (Shopify) have not arrived yet."));
        var cut = Render<DataTabs>(p => p.Add(c => c.Metric, "M2").Add(c => c.Channel, "SMS"));
        cut.WaitForAssertion(() => Assert.Contains("have not arrived yet", cut.Find("[data-testid=campaigns] [data-testid=statistics-note]").TextContent));
        var sent = Requests.Last(r => r.Operation == "Campaigns").Variables;
        Assert.Equal(("M2", "SMS"), (sent.GetProperty("conversionMetricId").GetString(), sent.GetProperty("channel").GetString()));
        Assert.EndsWith("&conversionMetricId=M2&channel=SMS", cut.Find("[data-testid=campaigns] [data-testid=export]").GetAttribute("href"));

        // Another channel: read again from the first page.
        var before = Requests.Count(r => r.Operation == "Campaigns");
        cut.Render(p => p.Add(c => c.Metric, "M2").Add(c => c.Channel, "EMAIL"));
        cut.WaitForAssertion(() => Assert.Equal(before + 1, Requests.Count(r => r.Operation == "Campaigns")));
        Assert.Equal("EMAIL", Requests.Last(r => r.Operation == "Campaigns").Variables.GetProperty("channel").GetString());
    }

    [Fact]
    public void The_metric_and_channel_live_in_the_URL_and_survive_a_range_change()
    {
        var choice = DateRangeChoice.FromQuery("LAST_7_DAYS", null, null, "NONE", "M2", "sms");
        Assert.Equal("?range=LAST_7_DAYS&compare=NONE&metric=M2&channel=SMS", choice.ToQuery());
        Assert.Null(DateRangeChoice.FromQuery("LAST_7_DAYS", null, null, null, null, "fax").Channel);
        var moved = choice.Keeping(DateRangeChoice.Days(new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 7)));
        Assert.Equal("?from=2026-11-01&to=2026-11-07&compare=NONE&metric=M2&channel=SMS", moved.ToQuery());
    }

    [Fact]
    public void An_empty_table_says_nothing_is_synced_yet()
    {
        Answer("Campaigns", SampleData.Campaigns(total: 0, from: 0, count: 0, hasNext: false, hasPrevious: false));
        var cut = Render<DataTabs>();
        cut.WaitForAssertion(() => Assert.Contains("No campaigns synced yet.", cut.Find("[data-testid=campaigns] [data-testid=table-empty]").TextContent));
    }

    [Fact]
    public void Sync_status_shows_each_state_and_moves_the_progress_bar_on_push()
    {
        Answer("SyncStatus", SampleData.SyncStatus());
        var cut = Render<SyncStatusPanel>();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=sync-entity]").Count));
        Assert.Equal("on time", cut.Find("[data-entity=Events] [data-testid=sync-state]").TextContent.Trim());
        Assert.Equal("failed", cut.Find("[data-entity=Campaigns] [data-testid=sync-state]").TextContent.Trim());
        Assert.Equal("FALLBACK", cut.Find("[data-testid=data-source]").GetAttribute("data-source"));
        // The header says what the rows say: one of two synced (the never-synced row is not "on time").
        Assert.Equal("1 of 2 synced", cut.Find("[data-testid=section-pending]").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=sync-progress]"));

        using var progress = JsonDocument.Parse("""{ "data": { "syncProgress": { "runId": "r1", "entity": "EVENTS", "processed": 4200, "total": null, "pages": 3, "rate": 1400, "eta": null, "at": "2026-11-26T10:00:00Z" } } }""");
        Services.GetService<LiveUpdates>()!.Dispatch("SyncProgress", progress.RootElement);
        cut.WaitForAssertion(() => Assert.Contains("4,200 read", cut.Find("[data-entity=Events]").TextContent));
        Assert.NotEmpty(cut.FindAll("[data-entity=Events] [data-testid=sync-progress]"));
    }

    [Fact]
    public void Refresh_spins_until_syncCompleted_says_its_runs_ended_then_confirms_what_it_refreshed()
    {
        var answer = new TaskCompletionSource<string>();
        Answers["RefreshData"] = _ => answer.Task;
        // Read once (and again only while the push channel is down, as here): the refresh's run is still running.
        Answers["SyncRuns"] = _ => Task.FromResult("""{"data":{"syncRuns":[{"id":"r1","outcome":"RUNNING"},{"id":"r0","outcome":"SUCCEEDED"}]}}""");
        var cut = Render<RefreshButton>();

        cut.Find("[data-testid=refresh-button]").Click();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=refresh-spinner]")));
        Assert.True(cut.Find("[data-testid=refresh-button]").HasAttribute("disabled"));

        answer.SetResult($$"""{"data":{{SampleData.RefreshData}}}""");
        Assert.True(SpinWait.SpinUntil(() => RequestsFor("SyncRuns") >= 1, TimeSpan.FromSeconds(5)), "read the runs once");
        Assert.NotEmpty(cut.FindAll("[data-testid=refresh-spinner]"));
        using (var completed = JsonDocument.Parse("""{ "data": { "syncCompleted": { "id": "r1", "entities": ["EVENTS"], "outcome": "SUCCEEDED", "error": null } } }"""))
            Services.GetService<LiveUpdates>()!.Dispatch("SyncCompleted", completed.RootElement);
        cut.WaitForAssertion(() => Assert.Contains("Refreshed 2 data sets", cut.Find("[data-testid=refresh-confirmation]").TextContent));
        Assert.Contains("1 were already syncing", cut.Find("[data-testid=refresh-confirmation]").TextContent);
        Assert.Contains("1 report synced recently and will refresh on schedule", cut.Find("[data-testid=refresh-confirmation]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=refresh-spinner]"));
        Assert.False(cut.Find("[data-testid=refresh-button]").HasAttribute("disabled"));
    }

    [Fact]
    public void The_header_offers_presets_and_comparisons_and_says_which_account_and_calendar_it_shows()
    {
        DateRangeChoice? chosen = null;
        var cut = Render<DashboardHeader>(p => p.Add(c => c.Range, DateRangeChoice.Default).Add(c => c.Mode, "SANDBOX")
            .Add(c => c.Timezone, "America/New_York").Add(c => c.Currency, "USD")
            .Add(c => c.RangeChanged, (DateRangeChoice r) => chosen = r));
        Assert.Equal("Sandbox account", cut.Find("[data-testid=mode]").TextContent.Trim());
        Assert.Contains("America/New_York · USD", cut.Find("[data-testid=account-calendar]").TextContent);
        Assert.Equal("true", cut.Find("[data-testid=range-30]").GetAttribute("aria-pressed"));

        cut.Find("[data-testid=range-7]").Click();
        Assert.Equal(DateRangeChoice.PresetOf("LAST_7_DAYS"), chosen);
        Assert.Equal(new DateRangeInput(Preset: RangePreset.Last7Days), chosen!.ToInput());
    }

    [Theory]
    [InlineData("LAST_7_DAYS", null, null, "PREVIOUS_YEAR", "?range=LAST_7_DAYS&compare=PREVIOUS_YEAR")]
    [InlineData(null, "2026-11-01", "2026-11-07", "NONE", "?from=2026-11-01&to=2026-11-07&compare=NONE")]
    [InlineData("nonsense", null, null, "garbage", "?range=LAST_30_DAYS&compare=PREVIOUS_PERIOD")]
    [InlineData(null, "2026-11-07", "2026-11-01", null, "?from=2026-11-01&to=2026-11-07&compare=PREVIOUS_PERIOD")]
    public void The_view_round_trips_through_the_URL(string? range, string? from, string? to, string? compare, string query)
    {
        var choice = DateRangeChoice.FromQuery(range, from, to, compare);
        Assert.Equal(query, choice.ToQuery());
        var again = System.Web.HttpUtility.ParseQueryString(query);
        Assert.Equal(choice, DateRangeChoice.FromQuery(again["range"], again["from"], again["to"], again["compare"]));
    }

    [Fact]
    public void Money_says_the_accounts_currency_and_the_chart_overlays_the_comparison()
    {
        Answer("Overview", SampleData.Overview(revenue: 1234.6, currency: "EUR"));
        var cut = RenderOverview();
        cut.WaitForAssertion(() => Assert.Equal("€1,235", cut.Find("[data-kpi=totalRevenue] [data-testid=kpi-value]").TextContent.Trim()));
        Assert.Contains("vs previous period", cut.Find("[data-kpi=totalRevenue]").TextContent);
        Assert.Contains("against €300 in the previous period", cut.Find("[data-testid=revenue-chart] [role=img]").GetAttribute("aria-label"));
        Assert.Contains("—", cut.Find("[data-testid=channel][data-channel=Sms]").TextContent); // SMS has no open rate
        Assert.Contains("75.0% of revenue is attributed", cut.Find("[data-testid=attributed-share]").TextContent);
        var request = Requests.Single(r => r.Operation == "Overview").Variables;
        Assert.Equal("LAST_30_DAYS", request.GetProperty("range").GetProperty("preset").GetString());
        Assert.Equal("PREVIOUS_PERIOD", request.GetProperty("compareTo").GetString());
    }

    [Fact]
    public void Diagnostics_show_this_pages_requests_and_the_servers_figures()
    {
        Answer("Diagnostics", SampleData.Diagnostics);
        var cut = Render<DiagnosticsPanel>();
        cut.Find(".mud-expand-panel-header").Click();
        cut.WaitForAssertion(() => Assert.Contains("321 (2 errors, 1 in flight)", cut.Find("[data-testid=server-requests]").TextContent));
        Assert.Contains("reachable", cut.Find("[data-testid=database-health]").TextContent);
        Assert.Contains("SCHEDULE", cut.Find("[data-testid=recent-runs]").TextContent);
        Assert.Equal("1", cut.Find("[data-testid=client-requests]").TextContent.Trim());
    }
}
