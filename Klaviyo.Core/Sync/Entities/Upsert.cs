using Microsoft.EntityFrameworkCore;

namespace Klaviyo.Core.Sync.Entities;

public static class Upsert
{
    /// <summary>
    /// Inserts the rows whose key is new and updates the others in place: re-reading a page
    /// changes nothing, so runs can overlap their cursors safely. Returns the rows inserted.
    /// </summary>
    /// <param name="find">The stored rows among these keys (a query, so the keys go to SQL as a parameter).</param>
    public static async Task<int> ManyAsync<T>(DbSet<T> set, IReadOnlyList<T> incoming, Func<T, string> key,
        Func<IReadOnlyCollection<string>, IQueryable<T>> find, Action<T, T> copy, CancellationToken cancellationToken) where T : class
    {
        if (incoming.Count == 0)
            return 0;
        var existing = await find(incoming.Select(key).Distinct().ToList()).ToDictionaryAsync(key, cancellationToken);
        var inserted = 0;
        foreach (var row in incoming.DistinctBy(key))
        {
            if (existing.TryGetValue(key(row), out var current))
            {
                copy(row, current);
                continue;
            }
            set.Add(row);
            inserted++;
        }
        return inserted;
    }
}
