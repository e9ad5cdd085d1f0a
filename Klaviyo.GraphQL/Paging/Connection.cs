using Klaviyo.Core.Statistics;

namespace Klaviyo.GraphQL.Paging;

public sealed record Connection<T>(IReadOnlyList<Edge<T>> Edges, PageInfo PageInfo, int TotalCount)
{
    /// <summary>Read-only, so that no copy made with <c>with</c> can hold other edges than its <see cref="Nodes"/>.</summary>
    public IReadOnlyList<Edge<T>> Edges { get; } = Edges;

    /// <summary>The conversion metric and channel report statistics were read for (tables that have them).</summary>
    public ReportScope? Scope { get; init; }

    /// <summary>The rows: one list per page, kept, because a cached page's rows are written from the JSON kept with this list.</summary>
    public IReadOnlyList<T> Nodes { get; } = [.. Edges.Select(e => e.Node)];
}

public sealed record Edge<T>(string Cursor, T Node);

public sealed record PageInfo(bool HasNextPage, bool HasPreviousPage, string? StartCursor, string? EndCursor);
