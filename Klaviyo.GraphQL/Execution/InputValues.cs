using System.Collections;

namespace Klaviyo.GraphQL.Execution;

/// <summary>
/// Variables as a transport deserialized them (objects, lists, strings, numbers, booleans, null), compared by value.
/// </summary>
public static class InputValues
{
    /// <summary>
    /// The same values of the same types: 2 and 2L differ, as they may coerce differently. A value of a kind not
    /// listed above is equal only to itself.
    /// </summary>
    public static bool Same(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (null, _) or (_, null) => false,
        (IReadOnlyDictionary<string, object?> x, IReadOnlyDictionary<string, object?> y) => SameFields(x, y),
        (string x, string y) => x == y,
        (IList x, IList y) => SameItems(x, y),
        _ => a.GetType() == b.GetType() && a.Equals(b),
    };

    /// <summary>How much there is to keep: one per value, plus each string's length.</summary>
    public static int Weight(object? value) => value switch
    {
        IReadOnlyDictionary<string, object?> fields => fields.Sum(f => f.Key.Length + Weight(f.Value)),
        string text => 1 + text.Length,
        IList items => 1 + items.Cast<object?>().Sum(Weight),
        _ => 1,
    };

    private static bool SameFields(IReadOnlyDictionary<string, object?> x, IReadOnlyDictionary<string, object?> y)
    {
        if (x.Count != y.Count)
            return false;
        foreach (var (name, value) in x)
            if (!y.TryGetValue(name, out var other) || !Same(value, other))
                return false;
        return true;
    }

    private static bool SameItems(IList x, IList y)
    {
        if (x.Count != y.Count)
            return false;
        for (var i = 0; i < x.Count; i++)
            if (!Same(x[i], y[i]))
                return false;
        return true;
    }
}
