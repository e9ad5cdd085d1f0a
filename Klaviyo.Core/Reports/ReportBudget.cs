using Klaviyo.Core.Data;
using Klaviyo.Core.RestClient;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Klaviyo.Core.Reports;

/// <summary>
/// Klaviyo's 225 Reporting API calls a day, spent atomically from a database row per UTC day: a
/// restart does not forget what was spent, and every process on the same database shares it.
/// Every attempt counts (a retried call is a call to Klaviyo).
/// </summary>
public sealed class ReportBudget(IDbContextFactory<KlaviyoDbContext> contexts, IOptions<KlaviyoOptions> options, TimeProvider time)
{
    // Today's row is created by one spender of this process at a time: two report syncs starting
    // together would otherwise race to insert it, and the loser's failed INSERT is logged as an error
    // on every fresh start. Another instance can still race; the unique key and the retry settle that.
    private readonly SemaphoreSlim _firstOfDay = new(1, 1);

    public int DailyCalls => options.Value.ReportDailyBudget;

    /// <summary>Takes one call from today's budget; false when it is spent.</summary>
    public async Task<bool> TrySpendAsync(CancellationToken cancellationToken)
    {
        var day = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var budget = DailyCalls;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        for (var attempt = 0; ; attempt++)
        {
            // One conditional UPDATE: two spenders can never both take the last call.
            if (await db.ReportBudgetDays.Where(d => d.Day == day && d.Calls < budget)
                    .ExecuteUpdateAsync(s => s.SetProperty(d => d.Calls, d => d.Calls + 1), cancellationToken) == 1)
                return true;
            if (budget <= 0)
                return false;
            if (await db.ReportBudgetDays.AnyAsync(d => d.Day == day, cancellationToken))
            {
                // Spent only if the row was already there when the UPDATE above missed; another spender may
                // have created today's row in between (two report syncs starting together), so update once more.
                if (attempt > 0)
                    return false;
                continue;
            }
            await _firstOfDay.WaitAsync(cancellationToken);
            try
            {
                if (await db.ReportBudgetDays.AnyAsync(d => d.Day == day, cancellationToken))
                    continue; // another spender of this process created it meanwhile: spend from it
                db.ReportBudgetDays.Add(new ReportBudgetDay { Day = day, Calls = 1 });
                await db.SaveChangesAsync(cancellationToken);
                return true;
            }
            catch (DbUpdateException) when (attempt == 0)
            {
                // Another instance created today's row first: spend from it.
                db.ChangeTracker.Clear();
            }
            finally
            {
                _firstOfDay.Release();
            }
        }
    }

    /// <summary>Calls spent today (UTC) and when the budget renews.</summary>
    public async Task<(int Spent, DateTime RenewsAt)> TodayAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var day = DateOnly.FromDateTime(now);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var spent = await db.ReportBudgetDays.Where(d => d.Day == day).Select(d => (int?)d.Calls).FirstOrDefaultAsync(cancellationToken) ?? 0;
        return (spent, RenewsAt(now));
    }

    public static DateTime RenewsAt(DateTime now) => DateTime.SpecifyKind(now.Date.AddDays(1), DateTimeKind.Utc);
}
