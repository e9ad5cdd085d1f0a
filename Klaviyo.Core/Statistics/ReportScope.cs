using System.Linq.Expressions;
using Klaviyo.Core.Channels;
using Klaviyo.Core.Data;

namespace Klaviyo.Core.Statistics;

/// <summary>
/// Which report rows a campaign or flow table reads: one conversion metric's, of every channel or
/// one. <paramref name="Metric"/> is null before any Placed Order metric has synced (no statistics).
/// </summary>
/// <param name="Arrived">Whether any report for the metric is stored yet; until then statistics are null, labelled.</param>
public sealed record ReportScope(Metric? Metric, Channel? Channel, bool Arrived)
{
    public string MetricId => Metric?.Id ?? "";

    /// <summary>The stored report-row channel to keep, or null for all.</summary>
    public string? StatisticsChannel => Channel is { } c ? ChannelNames.Name(c) : null;

    /// <summary>Why statistics are null, for the payload; null when they are there.</summary>
    public string? Note => Arrived ? null : Metric is null
        ? "No conversion metric has synced yet; statistics appear after the first report run."
        : $"Reports for '{Metric.Name}' ({Metric.IntegrationName ?? "no integration"}) have not arrived yet; they are fetched at the next report run.";
}

/// <summary>One campaign's or flow's report rows of a scope, added up in SQL (channels summed; opens only over channels that have them).</summary>
/// <remarks>Every figure is nullable: a left join yields nulls for a campaign or flow without rows, which then stay null (not 0) in the row.</remarks>
public sealed record StatisticsSum
{
    public required string OwnerId { get; init; }
    public int? Recipients { get; init; }
    public int? Delivered { get; init; }
    /// <summary>Delivered on channels that have opens (not SMS): the open rate's denominator.</summary>
    public int? OpenableDelivered { get; init; }
    public int? OpenableRows { get; init; }
    public int? OpensUnique { get; init; }
    public int? ClicksUnique { get; init; }
    public int? ConversionUniques { get; init; }
    public double? Revenue { get; init; }
    public int? Bounced { get; init; }
    public int? Unsubscribes { get; init; }
    public int? SpamComplaints { get; init; }
    public DateTime? FetchedAt { get; init; }

    /// <param name="owner">The mapped owner column (the interface's OwnerId is not mapped).</param>
    public static IQueryable<StatisticsSum> Of<T>(IQueryable<T> rows, Expression<Func<T, string>> owner, ReportScope scope) where T : class, IReportStatistics
    {
        var metric = scope.MetricId;
        var channel = scope.StatisticsChannel;
        return rows
            .Where(s => s.ConversionMetricId == metric && (channel == null || s.Channel == channel))
            .GroupBy(owner)
            .Select(g => new StatisticsSum
            {
                OwnerId = g.Key,
                Recipients = (int?)g.Sum(s => s.Values.Recipients),
                Delivered = (int?)g.Sum(s => s.Values.Delivered),
                OpenableDelivered = (int?)g.Sum(s => s.Channel == ChannelNames.Sms ? 0 : s.Values.Delivered),
                OpenableRows = (int?)g.Count(s => s.Channel != ChannelNames.Sms), // ChannelNames.HasOpens, as SQL can read it
                OpensUnique = (int?)g.Sum(s => s.Channel == ChannelNames.Sms ? 0 : s.Values.OpensUnique),
                ClicksUnique = (int?)g.Sum(s => s.Values.ClicksUnique),
                ConversionUniques = (int?)g.Sum(s => s.Values.ConversionUniques),
                Revenue = (double?)g.Sum(s => s.Values.ConversionValue),
                Bounced = (int?)g.Sum(s => s.Values.Bounced),
                Unsubscribes = (int?)g.Sum(s => s.Values.Unsubscribes),
                SpamComplaints = (int?)g.Sum(s => s.Values.SpamComplaints),
                FetchedAt = (DateTime?)g.Max(s => s.FetchedAt),
            });
    }
}
