namespace Klaviyo.Web.Client;

/// <summary>Which page of a connection to read: forward from <see cref="After"/> or backward from <see cref="Before"/>, sorted by one field.</summary>
public sealed record PageQuery(int Size, string? After = null, string? Before = null, string? SortField = null, bool Descending = false)
{
    public Dictionary<string, object?> Variables() => new()
    {
        ["first"] = Before is null ? Size : null,
        ["after"] = After,
        ["last"] = Before is null ? null : Size,
        ["before"] = Before,
        ["order"] = SortField is null ? null : new[] { new Dictionary<string, string> { [SortField] = Descending ? "DESC" : "ASC" } },
    };

    /// <summary>The variables of a table with report statistics: also its conversion metric and channel.</summary>
    public Dictionary<string, object?> Variables(string? conversionMetricId, string? channel)
    {
        var variables = Variables();
        (variables["conversionMetricId"], variables["channel"]) = (conversionMetricId, channel);
        return variables;
    }
}
