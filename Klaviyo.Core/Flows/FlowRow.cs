using Klaviyo.Core.Data;
using Klaviyo.Core.Statistics;

namespace Klaviyo.Core.Flows;

public sealed record FlowRow : MessageStatisticsRow
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Status { get; init; }
    public bool Archived { get; init; }
    public string? TriggerType { get; init; }
    public DateTime Created { get; init; }
    public DateTime Updated { get; init; }

    /// <summary>
    /// Flows with their report rows of the scope summed over messages and channels; with a channel,
    /// only flows whose reports have that channel (a flow can send on several).
    /// </summary>
    public static IQueryable<FlowRow> Query(KlaviyoDbContext db, ReportScope scope)
    {
        var channel = scope.StatisticsChannel;
        var statistics = StatisticsSum.Of(db.FlowStatistics, s => s.FlowId, scope);
        return from f in db.Flows
               where channel == null || db.FlowStatistics.Any(x => x.FlowId == f.Id && x.Channel == channel)
               join sum in statistics on f.Id equals sum.OwnerId into joined
               from s in joined.DefaultIfEmpty()
               select new FlowRow
               {
                   Id = f.Id,
                   Name = f.Name,
                   Status = f.Status,
                   Archived = f.Archived,
                   TriggerType = f.TriggerType,
                   Created = f.Created,
                   Updated = f.Updated,
                   Recipients = s!.Recipients,
                   Delivered = s!.Delivered,
                   // ChannelNames.HasOpens, in SQL: an SMS-only row has no open count, however the report was filled.
                   OpensUnique = s!.OpenableRows == 0 ? null : s!.OpensUnique,
                   ClicksUnique = s!.ClicksUnique,
                   ConversionUniques = s!.ConversionUniques,
                   Revenue = s!.Revenue,
                   Bounced = s!.Bounced,
                   Unsubscribes = s!.Unsubscribes,
                   SpamComplaints = s!.SpamComplaints,
                   // Null without rows (the left join's nulls) or when nothing was delivered.
                   OpenRate = s!.OpenableDelivered == 0 ? null : (double?)s!.OpensUnique / s!.OpenableDelivered,
                   ClickRate = s!.Delivered == 0 ? null : (double?)s!.ClicksUnique / s!.Delivered,
                   ConversionRate = s!.Delivered == 0 ? null : (double?)s!.ConversionUniques / s!.Delivered,
                   RevenuePerRecipient = s!.Delivered == 0 ? null : s!.Revenue / s!.Delivered,
                   BounceRate = s!.Delivered == 0 ? null : (double?)s!.Bounced / s!.Delivered,
                   UnsubscribeRate = s!.Delivered == 0 ? null : (double?)s!.Unsubscribes / s!.Delivered,
                   StatisticsFetchedAt = s!.FetchedAt,
               };
    }
}
