using Klaviyo.Api;
using Klaviyo.Core.Data;

namespace Klaviyo.Core.Sync.Entities;

/// <summary>Profiles with their email consent, incrementally by <c>updated</c>; resumable mid-run from the page cursor.</summary>
public sealed class ProfilesSyncer : IEntitySyncer
{
    public SyncEntity Entity => SyncEntity.Profiles;

    public async Task SyncAsync(SyncContext context, CancellationToken cancellationToken)
    {
        var cursor = context.ReadCursor<PagedCursor>() ?? new PagedCursor(null, null, null);
        DateTime? newest = cursor.Newest;
        var query = cursor.Next ?? "api/profiles?additional-fields%5Bprofile%5D=subscriptions&sort=updated&page%5Bsize%5D=100"
            + (cursor.Since is DateTime s ? "&filter=" + Uri.EscapeDataString(KlaviyoFilter.Compare("greater-than", "updated", s)) : "");
        await foreach (var page in context.Client.GetPagesAsync(query, RateTier.L, cancellationToken))
        {
            var profiles = page.Data.Select(r =>
            {
                var a = r.Attributes();
                return new Profile
                {
                    Id = r.Id(),
                    Email = a.String("email"),
                    Created = a.Date("created") ?? DateTime.UnixEpoch,
                    Updated = a.Date("updated") ?? DateTime.UnixEpoch,
                    EmailConsent = a.String("subscriptions", "email", "marketing", "consent") ?? ProfileConsent.NeverSubscribed,
                };
            }).ToList();
            newest = profiles.Select(p => (DateTime?)p.Updated).Append(newest).Max();
            await using var db = await context.OpenAsync(cancellationToken);
            await Upsert.ManyAsync(db.Profiles, profiles, p => p.Id, ids => db.Profiles.Where(p => ids.Contains(p.Id)),
                (from, to) => (to.Email, to.Created, to.Updated, to.EmailConsent) = (from.Email, from.Created, from.Updated, from.EmailConsent), cancellationToken);
            await context.CommitPageAsync(db, cursor with { Next = page.Next, Newest = newest }, profiles.Count, cancellationToken);
        }
        await context.SaveCursorAsync(new PagedCursor(context.NextSince(newest, cursor.Since), null, null), cancellationToken);
    }
}

/// <summary>An incremental cursor plus, mid-run, the next page to read and the newest timestamp seen so far.</summary>
public sealed record PagedCursor(DateTime? Since, string? Next, DateTime? Newest);
