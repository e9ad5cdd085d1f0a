using Klaviyo.Core.Data;
using Klaviyo.Core.Reports;
using Klaviyo.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.Tests.Sync;

/// <summary>Reporting API answers come in pages: every page is followed and counted against the daily budget.</summary>
public sealed class ReportPagingTests(ReportPagingTests.Factory factory) : IClassFixture<ReportPagingTests.Factory>
{
    public sealed class Factory : SandboxApiFactory
    {
        // Klaviyo allows 2 report calls a minute: one report in two pages stays within it.
        public Factory() => With("Sandbox:ReportPageSize", "4");
    }

    [Fact]
    public async Task Every_page_of_every_report_is_read()
    {
        Assert.Equal(SyncRunOutcome.Succeeded, (await factory.SyncAsync(SyncEntity.Account, SyncEntity.Metrics, SyncEntity.Campaigns, SyncEntity.Events)).Outcome);
        Assert.Equal(SyncRunOutcome.Succeeded, (await factory.SyncAsync(SyncEntity.CampaignReports)).Outcome);

        var pages = factory.ClientRequests.Where(r => r.RequestUri!.AbsolutePath.Contains("-values-reports", StringComparison.Ordinal)).ToList();
        var followed = pages.Count(r => r.RequestUri!.Query.Contains("page_cursor=", StringComparison.Ordinal));
        Assert.True(followed >= 1, $"{followed} follow-up pages");

        // The statistics of every campaign and flow with activity equal the sandbox's, however they were paged.
        await using var db = await factory.Db();
        var campaignsWithStatistics = await db.CampaignStatistics.CountAsync();
        var account = factory.Account;
        var now = factory.Clock.GetUtcNow().UtcDateTime;
        var campaignsWithEvents = account.EventsHappenedBetween(account.Start.AddDays(-1), now.AddDays(2), now).Select(e => e.CampaignId).OfType<string>().Distinct().Count();
        Assert.Equal(campaignsWithEvents, campaignsWithStatistics);
        // Each page is one call against the daily budget (a throttled attempt that was retried is the same call).
        Assert.Equal(pages.Select(p => p.RequestUri!.ToString()).Distinct().Count(), (await factory.Service<ReportBudget>().TodayAsync(CancellationToken.None)).Spent);
    }
}
