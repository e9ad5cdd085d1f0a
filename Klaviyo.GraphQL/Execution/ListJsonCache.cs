using System.Runtime.CompilerServices;
using GraphQL.Types;
using GraphQLParser.AST;

namespace Klaviyo.GraphQL.Execution;

/// <summary>
/// The JSON of an immutable list's items per selection, kept with the list itself: it lives exactly as long
/// as the cached payload that holds the list, so an eviction drops it and nothing can outlive its data.
/// A selection is a parsed document's field node (documents are cached, so the same query text reuses it).
/// An immutable object's fields are kept the same way (<see cref="KeptField"/>).
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

    /// <summary>Lists and objects written from kept JSON.</summary>
    public long Served => Interlocked.Read(ref _served);

    /// <summary>Lists and objects whose JSON was kept after they were executed.</summary>
    public long Kept => Interlocked.Read(ref _kept);

    /// <summary>One field of an immutable object as a selection wrote it: what it was and its JSON.</summary>
    public sealed record KeptField(GraphQLField Field, FieldType Definition, IGraphType GraphType, RawJson Json);

    /// <summary>The kept items (<see cref="RawJson"/>) of a list, or fields (<see cref="KeptField"/>) of an object.</summary>
    public T[]? Find<T>(object value, GraphQLField selection)
    {
        var kept = lists.TryGetValue(value, out var entry) ? entry.Find(selection) as T[] : null;
        if (kept is not null)
            Interlocked.Increment(ref _served);
        return kept;
    }

    public void Store<T>(object value, GraphQLField selection, T[] kept)
    {
        if (lists.GetOrCreateValue(value).Store(selection, kept))
            Interlocked.Increment(ref _kept);
    }

    private sealed class Entry
    {
        private (GraphQLField Selection, Array Items)[] kept = [];

        public Array? Find(GraphQLField selection)
        {
            foreach (var (field, items) in Volatile.Read(ref kept))
                if (ReferenceEquals(field, selection))
                    return items;
            return null;
        }

        public bool Store(GraphQLField selection, Array items)
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
