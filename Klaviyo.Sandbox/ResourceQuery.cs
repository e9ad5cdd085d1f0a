
namespace Klaviyo.Sandbox;

/// <summary>
/// Filter, sort and page validation for one list endpoint, from the spec's allowed
/// fields and operators; the same code applies them to the generated resources.
/// </summary>
public sealed class ResourceQuery<T>(string type, int defaultPageSize, int maxPageSize)
{
    private readonly Dictionary<string, (Func<T, object?> Get, string[] Operators)> _filters = new();
    private readonly Dictionary<string, Func<T, object?>> _sorts = new();

    public string Type { get; } = type;

    public ResourceQuery<T> Filter(string field, Func<T, object?> get, params string[] operators)
    {
        _filters[field] = (get, operators);
        return this;
    }

    public ResourceQuery<T> Sort(string field, Func<T, object?> get)
    {
        _sorts[field] = get;
        return this;
    }

    /// <summary>Validates the request's filter, sort and paging; null on success, else Klaviyo's 400.</summary>
    public IResult? Read(HttpRequest request, out Request parsed)
    {
        parsed = new Request([], null, false, defaultPageSize, 0);
        var q = request.Query;
        IReadOnlyList<FilterCondition> conditions = [];
        if (q.TryGetValue("filter", out var filter))
        {
            try
            {
                conditions = KlaviyoFilter.Parse(filter.ToString());
            }
            catch (FormatException)
            {
                return SandboxErrors.Invalid("Invalid filter provided", "filter");
            }
            foreach (var c in conditions)
            {
                if (!_filters.TryGetValue(c.Field, out var allowed))
                    return SandboxErrors.Invalid($"'{c.Field}' is not a valid field for the resource '{Type}'.", "filter");
                if (!allowed.Operators.Contains(c.Operator))
                    return SandboxErrors.Invalid($"Filter operation '{c.Operator}' is not allowed for field '{c.Field}'.", "filter");
            }
        }
        string? sort = null;
        var descending = false;
        if (q.TryGetValue("sort", out var sortValue))
        {
            sort = sortValue.ToString();
            descending = sort.StartsWith('-');
            sort = sort.TrimStart('-');
            if (!_sorts.ContainsKey(sort))
                return SandboxErrors.Invalid($"'{sort}' is not a valid sort field for the resource '{Type}'.", "sort");
        }
        var size = defaultPageSize;
        if (q.TryGetValue("page[size]", out var sizeValue))
        {
            if (maxPageSize == 0)
                return SandboxErrors.Invalid("'page[size]' is not a valid parameter for this endpoint.", "page[size]");
            if (!int.TryParse(sizeValue, out size) || size < 1 || size > maxPageSize)
                return SandboxErrors.Invalid($"Page size must be an integer between 1 and {maxPageSize}.", "page[size]");
        }
        var offset = 0L;
        if (q.TryGetValue("page[cursor]", out var cursor) && !SandboxCursor.TryDecode(cursor.ToString(), out offset))
            return SandboxErrors.Invalid("Invalid cursor provided.", "page[cursor]");
        parsed = new Request(conditions, sort, descending, size, offset);
        return null;
    }

    /// <summary>Whether a resource meets every condition of a validated request.</summary>
    public bool Matches(T item, Request request) =>
        request.Conditions.All(c => Matches(_filters[c.Field].Get(item), c.Operator, c.Value));

    public IEnumerable<T> Apply(IEnumerable<T> items, Request request)
    {
        items = items.Where(item => Matches(item, request));
        if (request.Sort is not null)
        {
            var key = _sorts[request.Sort];
            items = request.Descending ? items.OrderByDescending(key) : items.OrderBy(key);
        }
        return items;
    }

    public static bool Matches(object? actual, string op, object? expected) => op switch
    {
        "equals" => Compare(actual, expected) == 0,
        "any" => expected is IEnumerable<object?> list && list.Any(e => Compare(actual, e) == 0),
        "greater-than" => actual is not null && Compare(actual, expected) > 0,
        "greater-or-equal" => actual is not null && Compare(actual, expected) >= 0,
        "less-than" => actual is not null && Compare(actual, expected) < 0,
        "less-or-equal" => actual is not null && Compare(actual, expected) <= 0,
        "contains" => actual is string s && expected is string e && s.Contains(e, StringComparison.OrdinalIgnoreCase),
        "starts-with" => actual is string s && expected is string e && s.StartsWith(e, StringComparison.OrdinalIgnoreCase),
        "ends-with" => actual is string s && expected is string e && s.EndsWith(e, StringComparison.OrdinalIgnoreCase),
        "has" => actual is not null,
        _ => false,
    };

    private static int Compare(object? a, object? b) => (a, b) switch
    {
        (null, null) => 0,
        (null, _) => -1,
        (_, null) => 1,
        (DateTime x, DateTime y) => x.CompareTo(y),
        (bool x, bool y) => x.CompareTo(y),
        (double or int or long, double or int or long) => Convert.ToDouble(a).CompareTo(Convert.ToDouble(b)),
        _ => string.CompareOrdinal(a.ToString(), b.ToString()),
    };

    public sealed record Request(IReadOnlyList<FilterCondition> Conditions, string? Sort, bool Descending, int PageSize, long Offset);
}
