namespace Klaviyo.Web.Client.Models;

/// <summary>One page of a connection field (campaigns, flows, forms, segments, lists).</summary>
/// <param name="StatisticsNote">Campaigns and flows: why their statistics are null (the metric's reports have not arrived).</param>
public sealed record Connection<TNode>(
    IReadOnlyList<TNode> Nodes,
    PageInfo PageInfo,
    int TotalCount,
    DateTime? LastUpdated,
    DataSource DataSource,
    string? StatisticsNote = null) : IFreshPayload;

public sealed record PageInfo(bool HasNextPage, bool HasPreviousPage, string? StartCursor, string? EndCursor);

public sealed record CampaignsData(Connection<CampaignRow> Campaigns);

public sealed record FlowsData(Connection<FlowRow> Flows);

public sealed record FormsData(Connection<FormRow> Forms);

public sealed record SegmentsData(Connection<GroupRow> Segments);

public sealed record ListsData(Connection<GroupRow> Lists);
