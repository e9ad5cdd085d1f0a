using Microsoft.EntityFrameworkCore;

namespace Klaviyo.GraphQL.Paging;

public static class Paginator
{
    /// <summary>Reads one page of an ordered query: a COUNT and a Skip/Take, both in SQL.</summary>
    public static async Task<Connection<T>> ToConnectionAsync<T>(this IQueryable<T> ordered, PageRequest page, CancellationToken cancellationToken)
    {
        var total = await ordered.CountAsync(cancellationToken);
        var (offset, count) = page.Resolve(total);
        var rows = count == 0 ? [] : await ordered.Skip(offset).Take(count).ToListAsync(cancellationToken);
        var edges = rows.Select((row, i) => new Edge<T>(OffsetCursor.Encode(offset + i), row)).ToList();
        var info = new PageInfo(
            HasNextPage: offset + edges.Count < total,
            HasPreviousPage: offset > 0,
            StartCursor: edges.FirstOrDefault()?.Cursor,
            EndCursor: edges.LastOrDefault()?.Cursor);
        return new Connection<T>(edges, info, total);
    }
}
