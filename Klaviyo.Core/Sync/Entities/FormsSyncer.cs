using Klaviyo.Api;
using Klaviyo.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.Core.Sync.Entities;

/// <summary>Forms: a few dozen at most; read whole every run.</summary>
public sealed class FormsSyncer : IEntitySyncer
{
    public SyncEntity Entity => SyncEntity.Forms;

    public async Task SyncAsync(SyncContext context, CancellationToken cancellationToken)
    {
        await foreach (var page in context.Client.GetPagesAsync("api/forms?page%5Bsize%5D=100", RateTier.S, cancellationToken))
        {
            var forms = page.Data.Select(r =>
            {
                var a = r.Attributes();
                return new Form { Id = r.Id(), Name = a.RequiredString("name"), Status = a.RequiredString("status"), CreatedAt = a.RequiredDate("created_at"), UpdatedAt = a.RequiredDate("updated_at") };
            }).ToList();
            await using var db = await context.OpenAsync(cancellationToken);
            await Upsert.ManyAsync(db.Forms, forms, f => f.Id, ids => db.Forms.Where(f => ids.Contains(f.Id)),
                (from, to) => (to.Name, to.Status, to.CreatedAt, to.UpdatedAt) = (from.Name, from.Status, from.CreatedAt, from.UpdatedAt), cancellationToken);
            await context.CommitPageAsync(db, null, forms.Count, cancellationToken);
        }
    }
}
