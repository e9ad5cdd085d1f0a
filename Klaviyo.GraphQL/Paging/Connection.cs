using Klaviyo.Core.Statistics;

namespace Klaviyo.GraphQL.Paging;

public sealed record Connection<T>(IReadOnlyList<Edge<T>> Edges, PageInfo PageInfo, int TotalCount)
{
    /// <summary>The conversion metric and channel report statistics were read for (tables that have them).</summary>
    public ReportScope? Scope { get; init; }

    public IEnumerable<T> Nodes => Edges.Select(e => e.Node);
}

public sealed record Edge<T>(string Cursor, T Node);

public sealed record PageInfo(bool HasNextPage, bool HasPreviousPage, string? StartCursor, string? EndCursor);
