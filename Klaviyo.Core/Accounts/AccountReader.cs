using Klaviyo.Core.Data;
using Klaviyo.Core.Freshness;
using Klaviyo.Core.TimeRanges;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Klaviyo.Core.Accounts;

/// <summary>The synced account (through the cache like every read) and the calendar every report uses.</summary>
public sealed class AccountReader(IDbContextFactory<KlaviyoDbContext> contexts, FreshCache cache, TimeProvider time)
{
    public static readonly SyncEntity[] Entities = [SyncEntity.Account];

    public Task<Fresh<AccountInfo>> ReadAsync(bool forceFresh, CancellationToken cancellationToken) => ReadAsync(forceFresh, traced: true, cancellationToken);

    private Task<Fresh<AccountInfo>> ReadAsync(bool forceFresh, bool traced, CancellationToken cancellationToken) =>
        cache.GetAsync(CacheKeys.Account(), Entities, forceFresh, async token =>
        {
            await using var db = await contexts.CreateDbContextAsync(token);
            var account = await db.Accounts.AsNoTracking().OrderBy(a => a.Id).FirstOrDefaultAsync(token);
            return account is null ? AccountInfo.Unsynced : new AccountInfo(account.Name, account.Timezone, account.Currency, true);
        }, cancellationToken, traced);

    /// <summary>The range resolved in the account's time zone at this instant.</summary>
    public async Task<(ResolvedRange Range, AccountInfo Account)> ResolveAsync(RangeRequest request, CompareTo compare, CancellationToken cancellationToken)
    {
        // Part of the payload that asked (which reads the Account entity itself), not a payload of its own.
        var account = (await ReadAsync(forceFresh: false, traced: false, cancellationToken)).Data;
        return (CalendarRanges.Resolve(request, account.Zone, Instant.FromDateTimeOffset(time.GetUtcNow()), compare), account);
    }
}
