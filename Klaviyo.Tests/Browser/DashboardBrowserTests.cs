using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Klaviyo.Core.Diagnostics;
using Klaviyo.Core.Sync;
using Klaviyo.Core.Sync.Events;
using Klaviyo.Web.Components.Dashboard;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Klaviyo.Tests.Browser;

/// <summary>The dashboard in Chromium against the living sandbox: what a marketer sees and does. Screenshots go to TestResults/browser.</summary>
[Collection(nameof(DashboardServer))]
public sealed class DashboardBrowserTests(DashboardServer server, ITestOutputHelper output) : IAsyncLifetime
{
    private IBrowserContext _context = null!;
    private IPage _page = null!;

    public async Task InitializeAsync()
    {
        _context = await server.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1000 } });
        _page = await _context.NewPageAsync();
        _page.SetDefaultTimeout(30_000);
    }

    public async Task DisposeAsync() => await _context.DisposeAsync();

    private async Task OpenAsync()
    {
        await _page.GotoAsync(server.BaseAddress.ToString());
        await _page.Locator("[data-kpi=totalRevenue] [data-testid=kpi-value]").WaitForAsync();
        // The prerendered page is replaced when the circuit starts: wait for the interactive one, connected to the push channel.
        await _page.Locator("[data-interactive=true]").WaitForAsync();
        await Assertions.Expect(_page.Locator("[data-testid=push-state]")).ToContainTextAsync("live updates");
    }

    private Task ScreenshotAsync(string name) =>
        _page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardServer.Artifacts, name + ".png"), FullPage = true });

    private static void Report(string line)
    {
        File.AppendAllText(Path.Combine(DashboardServer.Artifacts, "performance.txt"), $"{DateTime.UtcNow:O} {line}{Environment.NewLine}");
    }

    [Fact]
    public async Task The_dashboard_starts_on_the_sandbox_and_its_KPIs_equal_the_APIs_for_the_same_range()
    {
        var started = Stopwatch.GetTimestamp();
        await _page.GotoAsync(server.BaseAddress.ToString());
        await _page.Locator("[data-kpi=totalRevenue] [data-testid=kpi-value]").WaitForAsync();
        var firstPaint = Stopwatch.GetElapsedTime(started);
        output.WriteLine($"first meaningful paint (KPI values on screen): {firstPaint.TotalMilliseconds:F0} ms");
        Report($"first-meaningful-paint-ms {firstPaint.TotalMilliseconds:F0}");
        await Assertions.Expect(_page.Locator("[data-testid=mode]")).ToHaveTextAsync("Sandbox account");

        // Events keep arriving, so compare at a moment when screen and API agree on the same data.
        var range = new { preset = "LAST_30_DAYS" }; // the dashboard's default view
        string[] screen = [], api = [];
        for (var attempt = 0; attempt < 40; attempt++)
        {
            screen = [.. await _page.Locator("[data-testid=kpi-value]").AllInnerTextsAsync()];
            var overview = (await server.QueryAsync("""
                query($range: DateRangeInput!) { overview(range: $range) {
                  totalRevenue { value } orders { value } activeSubscribers { value } formSubmissions { value }
                  openRate { value } clickRate { value } conversionRate { value } revenuePerRecipient { value } } }
                """, new { range }))["overview"]!;
            double? V(string kpi) => overview[kpi]!["value"]?.GetValue<double>();
            api =
            [
                Formats.Money(V("totalRevenue")), Formats.Count(V("orders")), Formats.Count(V("activeSubscribers")), Formats.Count(V("formSubmissions")),
                Formats.Percent(V("openRate")), Formats.Percent(V("clickRate")), Formats.Percent(V("conversionRate")), Formats.MoneyCents(V("revenuePerRecipient")),
            ];
            if (screen.Select(s => s.Trim()).SequenceEqual(api))
                break;
            await Task.Delay(250);
        }
        await ScreenshotAsync("dashboard-1280");
        Assert.Equal(api, screen.Select(s => s.Trim()));
        Assert.NotEqual("—", api[0]);
    }

    [Fact]
    public async Task The_range_and_comparison_live_in_the_URL_and_Back_returns_to_the_previous_view()
    {
        await _page.GotoAsync(new Uri(server.BaseAddress, "?range=LAST_7_DAYS&compare=PREVIOUS_YEAR").ToString());
        await _page.Locator("[data-interactive=true]").WaitForAsync();
        await Assertions.Expect(_page.Locator("[data-testid=range-7]")).ToHaveAttributeAsync("aria-pressed", "true");
        await Assertions.Expect(_page.Locator("[data-testid=compare] input, input[data-testid=compare]").First).ToHaveValueAsync("Same period last year");
        await Assertions.Expect(_page.Locator("[data-testid=account-calendar]")).ToContainTextAsync("America/New_York · USD");

        await _page.Locator("[data-testid=range-30]").ClickAsync();
        await Assertions.Expect(_page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("range=LAST_30_DAYS&compare=PREVIOUS_YEAR"));
        await Assertions.Expect(_page.Locator("[data-testid=range-30]")).ToHaveAttributeAsync("aria-pressed", "true");

        await _page.GoBackAsync();
        await Assertions.Expect(_page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("range=LAST_7_DAYS"));
        await Assertions.Expect(_page.Locator("[data-testid=range-7]")).ToHaveAttributeAsync("aria-pressed", "true");
        await ScreenshotAsync("url-state");
    }

    [Fact]
    public async Task One_Refresh_is_one_connected_trace_from_the_click_through_the_API_and_the_sync_to_Klaviyo()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => KlaviyoTracing.Sources.Contains(s.Name) || s.Name == "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await OpenAsync();

        await _page.Locator("[data-testid=refresh-button]").ClickAsync();
        await Assertions.Expect(_page.Locator("[data-testid=refresh-confirmation]")).ToContainTextAsync("Refreshed", new() { Timeout = 60_000 });
        Activity? root = null;
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            // The click's span ends with the handler; the runs it started may end a little later.
            while ((root = spans.FirstOrDefault(s => s.DisplayName == "dashboard refresh")) is null
                || !spans.Any(s => s.TraceId == root.TraceId && s.DisplayName == "sync run"))
                await Task.Delay(50, timeout.Token);
        }
        var trace = spans.Where(s => s.TraceId == root.TraceId).ToList();
        output.WriteLine(string.Join(Environment.NewLine, trace.GroupBy(s => $"{s.Source.Name}: {s.DisplayName}").Select(g => $"{g.Count(),4} × {g.Key}")));

        // The click, the mutation over HTTP, the run, its Klaviyo calls, the database, and the sections read again.
        Assert.Contains(trace, s => s.DisplayName == "mutation RefreshData" && s.Source.Name == KlaviyoTracing.SourceName);
        // An entity's sync under the run: not necessarily Events, which the living account keeps syncing every
        // second — a Refresh that finds its run going joins it (another trace) instead of starting another.
        Assert.Contains(trace, s => s.DisplayName.StartsWith("sync ", StringComparison.Ordinal) && s.DisplayName != "sync run" && s.Source.Name == KlaviyoTracing.SourceName);
        Assert.Contains(trace, s => s.Source.Name == "System.Net.Http" && s.GetTagItem("url.full") is string url && url.Contains("/sandbox/klaviyo/api/", StringComparison.Ordinal));
        Assert.Contains(trace, s => s.DisplayName.StartsWith("SELECT ", StringComparison.Ordinal) && s.Kind == ActivityKind.Client);
        Assert.Contains(trace, s => s.DisplayName == "query Overview");
        // Connected: every span's parent is in the trace, up to the click (or Blazor's event span above it).
        var ids = trace.Select(s => s.SpanId).ToHashSet();
        Assert.All(trace.Where(s => s != root && s.ParentSpanId != default), s => Assert.True(ids.Contains(s.ParentSpanId) || IsAncestorOf(s, root), $"{s.DisplayName} hangs off a span outside the trace"));
    }

    private static bool IsAncestorOf(Activity span, Activity root)
    {
        for (var parent = root.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent.SpanId == span.ParentSpanId)
                return true;
        }
        return false;
    }

    [Fact]
    public async Task Refresh_shows_its_spinner_and_the_timestamps_move()
    {
        await OpenAsync();
        var flows = _page.Locator("[data-testid=sync-entity][data-entity=Flows] [data-testid=last-updated]");
        var before = DateTime.Parse((await flows.GetAttributeAsync("data-value"))!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

        // A refresh can finish between two of Playwright's looks: the page itself notes the spinner the moment it is added.
        await _page.EvaluateAsync("""
            () => {
                window.sawRefreshSpinner = false;
                new MutationObserver(() => window.sawRefreshSpinner ||= document.querySelector('[data-testid=refresh-spinner]') !== null)
                    .observe(document.body, { childList: true, subtree: true });
            }
            """);
        await _page.Locator("[data-testid=refresh-button]").ClickAsync();
        if (await _page.Locator("[data-testid=refresh-spinner]").IsVisibleAsync())
            await ScreenshotAsync("refreshing");
        // Everything but the three reports, which synced within their interval (each report run spends Klaviyo's daily budget).
        await Assertions.Expect(_page.Locator("[data-testid=refresh-confirmation]")).ToContainTextAsync("Refreshed 9 data sets", new() { Timeout = 60_000 });
        await Assertions.Expect(_page.Locator("[data-testid=refresh-confirmation]")).ToContainTextAsync("3 reports synced recently");
        await Assertions.Expect(_page.Locator("[data-testid=refresh-spinner]")).ToHaveCountAsync(0);
        Assert.True(await _page.EvaluateAsync<bool>("() => window.sawRefreshSpinner"), "the refresh button never showed its spinner");

        var after = DateTime.Parse((await flows.GetAttributeAsync("data-value"))!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
        Assert.True(after > before, $"flows were last synced at {before:O} and still show {after:O}");
    }

    [Fact]
    public async Task A_sandbox_outage_raises_a_specific_dismissible_alert_and_FALLBACK_badges_and_recovery_clears_it()
    {
        await OpenAsync();
        var alert = _page.Locator("[data-testid=error-alert][data-code=KLAVIYO_UNAVAILABLE]");
        var overviewBadge = _page.Locator("[data-testid=kpis] [data-testid=data-source]");
        try
        {
            await server.SetSandboxFaultsAsync(new { outage = true });
            await Assertions.Expect(alert.First).ToBeVisibleAsync();
            await Assertions.Expect(alert.First).ToContainTextAsync("Klaviyo is not answering");
            await Assertions.Expect(overviewBadge).ToHaveAttributeAsync("data-source", "FALLBACK");
            await ScreenshotAsync("outage");
        }
        finally
        {
            await server.SetSandboxFaultsAsync(new { outage = false });
        }
        await Assertions.Expect(alert).ToHaveCountAsync(0);
        await Assertions.Expect(overviewBadge).Not.ToHaveAttributeAsync("data-source", "FALLBACK");

        // Dismissible: a second outage's alert goes away when closed, before anything recovers.
        try
        {
            await server.SetSandboxFaultsAsync(new { outage = true });
            await Assertions.Expect(alert.First).ToBeVisibleAsync();
            await alert.First.Locator("button").ClickAsync();
            await Assertions.Expect(alert).ToHaveCountAsync(0);
        }
        finally
        {
            await server.SetSandboxFaultsAsync(new { outage = false });
        }
    }

    [Fact]
    public async Task A_new_sandbox_order_appears_on_screen_without_a_reload()
    {
        // Observed before the page opens: a dataChanged published while it opened reaches the screen after it.
        var published = new ConcurrentQueue<long>();
        using var subscription = server.Services.GetRequiredService<EventBus>().Observe<DataChangedEvent>()
            .Subscribe(e =>
            {
                if (e.Entities.Contains(Klaviyo.Core.Data.SyncEntity.Events))
                    published.Enqueue(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            });
        await OpenAsync();
        await _page.EvaluateAsync("""
            () => {
              window.__kpiChanges = [];
              const target = document.querySelector('[data-kpi=totalRevenue] [data-testid=kpi-value]');
              new MutationObserver(() => window.__kpiChanges.push({ at: Date.now(), text: target.textContent.trim() }))
                .observe(target, { childList: true, characterData: true, subtree: true });
            }
            """);
        var navigations = 0;
        _page.FrameNavigated += (_, _) => navigations++;
        var before = (await _page.Locator("[data-kpi=totalRevenue] [data-testid=kpi-value]").InnerTextAsync()).Trim();

        await Assertions.Expect(_page.Locator("[data-kpi=totalRevenue] [data-testid=kpi-value]")).Not.ToHaveTextAsync(before, new() { Timeout = 60_000 });
        Assert.Equal(0, navigations);

        // Latency of push → screen: each change on screen against the latest events dataChanged before it.
        await Infrastructure.Wait.UntilAsync(async () => await _page.EvaluateAsync<int>("() => window.__kpiChanges.length") > 0 && !published.IsEmpty, TimeSpan.FromSeconds(10));
        var changes = await _page.EvaluateAsync<Change[]>("() => window.__kpiChanges");
        var events = published.ToArray();
        var latencies = changes.Select(c => c.At - events.Where(e => e <= c.At).DefaultIfEmpty(long.MinValue).Max()).Where(l => l is >= 0 and < 60_000).ToList();
        Assert.True(latencies.Count > 0, $"changes on screen at [{string.Join(", ", changes.Select(c => c.At))}], events dataChanged at [{string.Join(", ", events)}]");
        output.WriteLine($"dataChanged → KPI on screen: {string.Join(", ", latencies)} ms (max {latencies.Max()} ms)");
        Report($"data-changed-to-kpi-ms {string.Join(",", latencies)} max {latencies.Max()}");
    }

    [Fact]
    public async Task The_diagnostics_panel_shows_non_zero_statistics()
    {
        await OpenAsync();
        await _page.Locator("[data-testid=diagnostics-panel] .mud-expand-panel-header").ClickAsync();
        var requests = _page.Locator("[data-testid=server-requests]");
        await Assertions.Expect(requests).ToBeVisibleAsync();
        var total = long.Parse((await requests.InnerTextAsync()).Split(' ')[0], CultureInfo.InvariantCulture);
        Assert.True(total > 0);
        Assert.True(long.Parse((await _page.Locator("[data-testid=client-requests]").InnerTextAsync()).Trim(), CultureInfo.InvariantCulture) > 0);
        await Assertions.Expect(_page.Locator("[data-testid=database-health]")).ToContainTextAsync("reachable");
        await ScreenshotAsync("diagnostics");
    }

    [Fact]
    public async Task The_dashboard_reads_on_a_phone()
    {
        await _page.SetViewportSizeAsync(390, 844);
        await OpenAsync();
        var overflow = await _page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1");
        await ScreenshotAsync("dashboard-390");
        Assert.False(overflow, "the page scrolls sideways at 390 px");
        // Every header control stays on screen (wrapped, not cut off).
        foreach (var control in new[] { "refresh-button", "range-7", "range-90", "mode" })
        {
            var box = await _page.Locator($"[data-testid={control}]").BoundingBoxAsync();
            Assert.True(box is { X: >= 0 } && box.X + box.Width <= 390, $"{control} is outside the 390 px viewport: {box?.X} + {box?.Width}");
        }
    }

    public sealed class Change
    {
        public long At { get; set; }
        public string Text { get; set; } = "";
    }
}

[CollectionDefinition(nameof(DashboardServer))]
public sealed class DashboardServerCollection : ICollectionFixture<DashboardServer>;
