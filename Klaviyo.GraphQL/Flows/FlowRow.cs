using System.Linq.Expressions;
using Klaviyo.GraphQL.Data;
using Klaviyo.GraphQL.Statistics;

namespace Klaviyo.GraphQL.Flows;

public sealed record FlowRow : MessageStatisticsRow
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Status { get; init; }
    public bool Archived { get; init; }
    public string? TriggerType { get; init; }
    public DateTime Created { get; init; }
    public DateTime Updated { get; init; }

    public static readonly Expression<Func<Flow, FlowRow>> Projection = f => new FlowRow
    {
        Id = f.Id,
        Name = f.Name,
        Status = f.Status,
        Archived = f.Archived,
        TriggerType = f.TriggerType,
        Created = f.Created,
        Updated = f.Updated,
        Recipients = f.Statistics == null ? null : f.Statistics.Values.Recipients,
        Delivered = f.Statistics == null ? null : f.Statistics.Values.Delivered,
        OpensUnique = f.Statistics == null ? null : f.Statistics.Values.OpensUnique,
        ClicksUnique = f.Statistics == null ? null : f.Statistics.Values.ClicksUnique,
        ConversionUniques = f.Statistics == null ? null : f.Statistics.Values.ConversionUniques,
        Revenue = f.Statistics == null ? null : f.Statistics.Values.ConversionValue,
        Bounced = f.Statistics == null ? null : f.Statistics.Values.Bounced,
        Unsubscribes = f.Statistics == null ? null : f.Statistics.Values.Unsubscribes,
        SpamComplaints = f.Statistics == null ? null : f.Statistics.Values.SpamComplaints,
        OpenRate = f.Statistics == null || f.Statistics.Values.Delivered == 0 ? null : (double)f.Statistics.Values.OpensUnique / f.Statistics.Values.Delivered,
        ClickRate = f.Statistics == null || f.Statistics.Values.Delivered == 0 ? null : (double)f.Statistics.Values.ClicksUnique / f.Statistics.Values.Delivered,
        ConversionRate = f.Statistics == null || f.Statistics.Values.Delivered == 0 ? null : (double)f.Statistics.Values.ConversionUniques / f.Statistics.Values.Delivered,
        RevenuePerRecipient = f.Statistics == null || f.Statistics.Values.Delivered == 0 ? null : f.Statistics.Values.ConversionValue / f.Statistics.Values.Delivered,
        BounceRate = f.Statistics == null || f.Statistics.Values.Delivered == 0 ? null : (double)f.Statistics.Values.Bounced / f.Statistics.Values.Delivered,
        UnsubscribeRate = f.Statistics == null || f.Statistics.Values.Delivered == 0 ? null : (double)f.Statistics.Values.Unsubscribes / f.Statistics.Values.Delivered,
        StatisticsFetchedAt = f.Statistics == null ? null : f.Statistics.FetchedAt,
    };
}
