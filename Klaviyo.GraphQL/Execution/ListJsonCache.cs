using System.Runtime.CompilerServices;
using GraphQLParser.AST;

namespace Klaviyo.GraphQL.Execution;

/// <summary>
/// The JSON of an immutable list's items per selection, kept with the list itself: it lives exactly as long
/// as the cached payload that holds the list, so an eviction drops it and nothing can outlive its data.
/// A selection is a parsed document's field node (documents are cached, so the same query text reuses it).
/// </summary>
public sealed class ListJsonCache
{
    /// <summary>
    /// Selections kept per list: a client sending endless distinct documents cannot grow one list's memory.
    /// A new selection replaces the oldest, so selections no longer asked for (a document that went out of
    /// the document cache) do not shut out the ones in use.
    /// </summary>
    public const int SelectionsPerList = 4;

    private readonly ConditionalWeakTable<object, Entry> lists = new();

    private long _served, _kept;

    /// <summary>Lists written from kept JSON.</summary>
    public long Served => Interlocked.Read(ref _served);

    /// <summary>Lists whose JSON was kept after they were executed.</summary>
    public long Kept => Interlocked.Read(ref _kept);

    public RawJson[]? Find(object list, GraphQLField selection)
    {
        var items = lists.TryGetValue(list, out var entry) ? entry.Find(selection) : null;
        if (items is not null)
            Interlocked.Increment(ref _served);
        return items;
    }

    public void Store(object list, GraphQLField selection, RawJson[] items)
    {
        if (lists.GetOrCreateValue(list).Store(selection, items))
            Interlocked.Increment(ref _kept);
    }

    private sealed class Entry
    {
        private (GraphQLField Selection, RawJson[] Items)[] kept = [];

        public RawJson[]? Find(GraphQLField selection)
        {
            foreach (var (field, items) in Volatile.Read(ref kept))
                if (ReferenceEquals(field, selection))
                    return items;
            return null;
        }

        public bool Store(GraphQLField selection, RawJson[] items)
        {
            lock (this)
            {
                if (Find(selection) is not null)
                    return false;
                Volatile.Write(ref kept, [.. kept.Length < SelectionsPerList ? kept : kept[1..], (selection, items)]);
                return true;
            }
        }
    }
}
