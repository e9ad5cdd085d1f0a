using Klaviyo.Core.Alerts;
using Klaviyo.Core.Data;
using Klaviyo.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Klaviyo.Tests.Alerts;

/// <summary>The report budget's burn rate over two windows: the day so far and the last hour must both be too fast.</summary>
public sealed class ReportBudgetBurnTests : IDisposable
{
    private readonly OffsetTimeProvider _clock = new();
    private readonly ApiFactory _factory;

    public ReportBudgetBurnTests()
    {
        _factory = new ApiFactory().With("Klaviyo:ReportDailyBudget", "1000").WithServices(s => s.AddSingleton<TimeProvider>(_clock));
        // An hour into a budget day (they are UTC days).
        var now = DateTime.UtcNow;
        _clock.Advance(now.Date.AddDays(1).AddHours(1) - now);
    }

    public void Dispose() => _factory.Dispose();

    private async Task SpentAsync(int calls)
    {
        _ = _factory.Services; // started: migrated
        await using var db = _factory.OpenDatabaseDirectly();
        var day = DateOnly.FromDateTime(_clock.GetUtcNow().UtcDateTime);
        if (await db.ReportBudgetDays.Where(d => d.Day == day).ExecuteUpdateAsync(u => u.SetProperty(d => d.Calls, calls)) == 0)
        {
            db.ReportBudgetDays.Add(new ReportBudgetDay { Day = day, Calls = calls });
            await db.SaveChangesAsync();
        }
    }

    private async Task<bool?> BurningAsync()
    {
        var rule = AlertDefaults.Rules.Single(r => r.Key == "diagnostic:report-budget").Definition;
        return Assert.Single(await _factory.Service<AlertSampler>().SampleAsync(rule, CancellationToken.None)).Condition;
    }

    [Fact]
    public async Task A_fast_day_alerts_while_the_last_hour_is_fast_too_and_stops_when_the_pace_calms()
    {
        await SpentAsync(300); // 30 % of the day's calls in its first hour: 7× the sustainable pace
        Assert.True(await BurningAsync()); // no hour measured yet: the day's pace decides

        _clock.Advance(TimeSpan.FromMinutes(10));
        Assert.False(await BurningAsync()); // nothing spent in the last 10 minutes: calm now, although the day's pace is still high

        _clock.Advance(TimeSpan.FromMinutes(10));
        await SpentAsync(400); // 100 calls in 20 minutes: 7× again
        Assert.True(await BurningAsync());
    }
}
