using System.Net;
using Klaviyo.Core.Data;
using Klaviyo.Core.Reports;
using Klaviyo.Core.RestClient;
using Klaviyo.Sandbox;
using Klaviyo.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Klaviyo.Tests.Sync;

/// <summary>Klaviyo's daily Reporting API budget as a database row: atomic, retries counted, shown, not a failed health check.</summary>
public sealed class ReportBudgetTests(ReportBudgetTests.Factory factory) : IClassFixture<ReportBudgetTests.Factory>
{
    public sealed class Factory : SandboxApiFactory
    {
        public Factory() => With("Klaviyo:ReportDailyBudget", "2").With("Klaviyo:MaxRetries", "6");
    }

    [Fact]
    public async Task Every_attempt_is_spent_and_an_exhausted_budget_is_FALLBACK_with_when_reports_resume_not_a_failed_health_check()
    {
        Assert.Equal(SyncRunOutcome.Succeeded, (await factory.SyncAsync(SyncEntity.Account, SyncEntity.Metrics, SyncEntity.Forms)).Outcome);
        factory.SetFaults(new SandboxFaults { Outage = true });
        var failed = await factory.SyncAsync(SyncEntity.FormReports);
        factory.SetFaults(new SandboxFaults());

        // Two attempts (each a call Klaviyo counts) spent the budget; the third was refused before asking.
        Assert.Equal(SyncRunOutcome.Failed, failed.Outcome);
        Assert.Equal(2, factory.ClientRequests.Count(r => r.RequestUri!.AbsolutePath.Contains("form-values-reports", StringComparison.Ordinal)));
        await using (var db = await factory.Db())
            Assert.Equal(2, (await db.ReportBudgetDays.SingleAsync()).Calls);

        var forms = (await factory.GraphQL().QueryAsync("{ forms(first: 1) { dataSource } diagnostics { reportPlan { exhausted spentToday renewsAt } errors { code message } } }"));
        Assert.Equal("FALLBACK", forms["forms"]!["dataSource"]!.GetValue<string>());
        var plan = forms["diagnostics"]!["reportPlan"]!;
        Assert.True(plan["exhausted"]!.GetValue<bool>());
        Assert.Equal(2, plan["spentToday"]!.GetValue<int>());
        var error = forms["diagnostics"]!["errors"]!.AsArray().Single(e => e!["code"]!.GetValue<string>() == "KLAVIYO_REPORT_LIMIT")!;
        Assert.StartsWith("Klaviyo's daily reporting limit is reached; next reports at ", error["message"]!.GetValue<string>());

        var ready = await factory.CreateClient().GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("KLAVIYO_REPORT_LIMIT", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_budget_is_spent_atomically_and_survives_the_process()
    {
        // Another day, so the test above does not share the row; a budget of 13 and 40 spenders at once.
        var tomorrow = new OffsetTimeProvider();
        tomorrow.Advance(TimeSpan.FromDays(3));
        var contexts = factory.Service<IDbContextFactory<KlaviyoDbContext>>();
        var options = Options.Create(new KlaviyoOptions { ReportDailyBudget = 13 });
        // Two instances on one database: each serializes its own first spend of the day, the unique day settles theirs.
        ReportBudget[] instances = [new(contexts, options, tomorrow), new(contexts, options, tomorrow)];
        var spent = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() => instances[i % 2].TrySpendAsync(CancellationToken.None))));

        Assert.Equal(13, spent.Count(s => s));
        // A new instance (a restarted process, another instance on the database) sees the same row.
        var restarted = new ReportBudget(contexts, options, tomorrow);
        Assert.False(await restarted.TrySpendAsync(CancellationToken.None));
        Assert.Equal(13, (await restarted.TodayAsync(CancellationToken.None)).Spent);
    }
}
