using Klaviyo.Api;
using Klaviyo.Core.Data;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Klaviyo.Core.Sync.Entities;

/// <summary>The account's name, IANA time zone and preferred currency (GET /api/accounts: one resource).</summary>
public sealed class AccountSyncer : IEntitySyncer
{
    public SyncEntity Entity => SyncEntity.Account;

    public async Task SyncAsync(SyncContext context, CancellationToken cancellationToken)
    {
        var page = await context.Client.GetAsync("api/accounts", RateTier.XS, cancellationToken);
        var resource = page.Data.FirstOrDefault();
        if (resource.ValueKind == System.Text.Json.JsonValueKind.Undefined)
            throw new InvalidOperationException("GET /api/accounts answered no account.");
        var a = resource.Attributes();
        var timezone = a.String("timezone") ?? "UTC";
        if (DateTimeZoneProviders.Tzdb.GetZoneOrNull(timezone) is null)
            throw new InvalidOperationException($"The account's time zone '{timezone}' is not an IANA time zone.");
        var account = new Account
        {
            Id = resource.Id(),
            Name = a.String("contact_information", "organization_name") ?? resource.Id(),
            Timezone = timezone,
            Currency = (a.String("preferred_currency") ?? "USD").ToUpperInvariant(),
            UpdatedAt = context.Now,
        };
        await using var db = await context.OpenAsync(cancellationToken);
        await Upsert.ManyAsync(db.Accounts, [account], x => x.Id, ids => db.Accounts.Where(x => ids.Contains(x.Id)),
            (from, to) => (to.Name, to.Timezone, to.Currency, to.UpdatedAt) = (from.Name, from.Timezone, from.Currency, from.UpdatedAt), cancellationToken);
        // One account per key: a row left from another key would be read instead of this one.
        await db.Accounts.Where(x => x.Id != account.Id).ExecuteDeleteAsync(cancellationToken);
        await context.CommitPageAsync(db, null, 1, cancellationToken);
    }
}
