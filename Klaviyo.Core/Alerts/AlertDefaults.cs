using Klaviyo.Core.Data;
using Klaviyo.Core.Metrics;
using Klaviyo.Core.TimeRanges;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.Core.Alerts;

/// <summary>
/// The rules every account has from the start, like Klaviyo's monitors: sudden drops of Placed
/// Order, Started Checkout and Added to Cart (those the account records), flows whose sends drop,
/// campaigns over the bounce and spam-complaint limits, and the product's own diagnostics. Created
/// once each (a unique key), so they can be changed or disabled and stay so.
/// </summary>
public static class AlertDefaults
{
    public sealed record BuiltInRule(string Key, string Name, AlertDefinition Definition, string Labels, string? NeedsMetric = null);

    private static AlertDefinition Drop(string metric) => new()
    {
        Kind = AlertKind.Anomaly,
        Subject = AlertSubject.Metric,
        MetricName = metric,
        Granularity = AlertGranularity.Hour,
        WindowBuckets = 6,
        Direction = AlertDirection.Drop,
        Sensitivity = 4,
        MinChangePercent = 30,
        MinVolume = 10,
        PendingFor = TimeSpan.FromMinutes(30),
        KeepFiringFor = TimeSpan.FromHours(1),
        EvaluateEvery = TimeSpan.FromMinutes(5),
    };

    private static AlertDefinition Diagnostic(DiagnosticCheck check, double? limit, TimeSpan pendingFor) => new()
    {
        Kind = AlertKind.Diagnostic,
        Check = check,
        Threshold = limit,
        PendingFor = pendingFor,
        EvaluateEvery = TimeSpan.FromMinutes(1),
    };

    public static readonly IReadOnlyList<BuiltInRule> Rules =
    [
        new("monitor:placed-order-drop", "Placed Order dropped", Drop(MetricNames.PlacedOrder), "source=monitor,severity=high", MetricNames.PlacedOrder),
        new("monitor:started-checkout-drop", "Started Checkout dropped", Drop("Started Checkout"), "source=monitor,severity=high", "Started Checkout"),
        new("monitor:added-to-cart-drop", "Added to Cart dropped", Drop("Added to Cart"), "source=monitor,severity=medium", "Added to Cart"),
        new("monitor:flow-send-drop", "A flow's sends dropped", new AlertDefinition
        {
            Kind = AlertKind.Anomaly, Subject = AlertSubject.FlowSendVolume, Granularity = AlertGranularity.Day, WindowBuckets = 1,
            Direction = AlertDirection.Drop, Sensitivity = 4, MinChangePercent = 50, MinVolume = 20,
            EvaluateEvery = TimeSpan.FromHours(1), KeepFiringFor = TimeSpan.FromHours(1),
        }, "source=monitor,severity=medium", MetricNames.ReceivedEmail),
        new("monitor:campaign-spam-rate", "Campaign spam-complaint rate over 0.1 %", new AlertDefinition
        {
            Kind = AlertKind.Threshold, Subject = AlertSubject.CampaignSpamRate, Window = RangePreset.Last7Days, Comparison = AlertComparison.Above,
            Threshold = 0.1, MinVolume = 500, EvaluateEvery = TimeSpan.FromMinutes(15),
        }, "source=monitor,severity=high"),
        new("monitor:campaign-bounce-rate", "Campaign bounce rate over 2 %", new AlertDefinition
        {
            Kind = AlertKind.Threshold, Subject = AlertSubject.CampaignBounceRate, Window = RangePreset.Last7Days, Comparison = AlertComparison.Above,
            Threshold = 2, MinVolume = 500, EvaluateEvery = TimeSpan.FromMinutes(15),
        }, "source=monitor,severity=medium"),
        new("diagnostic:sync-failing", "Sync failing", Diagnostic(DiagnosticCheck.SyncFailing, 15, TimeSpan.Zero), "source=diagnostic,severity=high"),
        new("diagnostic:data-stale", "Data older than an hour", Diagnostic(DiagnosticCheck.DataStale, 60, TimeSpan.Zero), "source=diagnostic,severity=medium"),
        new("diagnostic:key-refused", "Klaviyo refuses the key", Diagnostic(DiagnosticCheck.KeyRefused, null, TimeSpan.Zero), "source=diagnostic,severity=critical"),
        new("diagnostic:rate-limited", "Rate-limited by Klaviyo", Diagnostic(DiagnosticCheck.RateLimited, 5, TimeSpan.FromMinutes(5)), "source=diagnostic,severity=low"),
        new("diagnostic:report-budget", "Report budget burning too fast", Diagnostic(DiagnosticCheck.ReportBudgetBurn, 2, TimeSpan.FromMinutes(10)), "source=diagnostic,severity=low"),
        new("diagnostic:webhooks-refused", "Webhook deliveries refused", Diagnostic(DiagnosticCheck.WebhooksRefused, 1, TimeSpan.Zero) with { KeepFiringFor = TimeSpan.FromMinutes(10) }, "source=diagnostic,severity=medium"),
        new(OutageWatch.RuleKey, "Database unreachable", Diagnostic(DiagnosticCheck.DatabaseUnreachable, null, TimeSpan.Zero), "source=diagnostic,severity=critical"),
        new("diagnostic:notifications-failing", "Notifications not delivered", Diagnostic(DiagnosticCheck.NotificationsFailing, 5, TimeSpan.Zero), "source=diagnostic,severity=high"),
    ];

    /// <summary>Creates the built-in rules not yet created whose metric exists (a monitor of a metric the account lacks would only say NO_DATA).</summary>
    public static async Task<int> SeedAsync(KlaviyoDbContext db, DateTime now, CancellationToken cancellationToken)
    {
        var existing = await db.AlertRules.Where(r => r.BuiltIn != null).Select(r => r.BuiltIn!).ToListAsync(cancellationToken);
        var missing = Rules.Where(r => !existing.Contains(r.Key)).ToList();
        if (missing.Count == 0)
            return 0;
        var metrics = await db.Metrics.Select(m => m.Name).Distinct().ToListAsync(cancellationToken);
        var created = 0;
        foreach (var rule in missing.Where(r => r.NeedsMetric is null || metrics.Contains(r.NeedsMetric)))
        {
            var entity = new AlertRule
            {
                Id = Guid.NewGuid(),
                Name = rule.Name,
                Kind = rule.Definition.Kind.ToString(),
                Definition = AlertJson.Write(rule.Definition.Validated()),
                BuiltIn = rule.Key,
                Labels = rule.Labels,
                CreatedAt = now,
                UpdatedAt = now,
                UpdatedBy = "built-in",
            };
            db.AlertRules.Add(entity);
            db.AlertRuleVersions.Add(new AlertRuleVersion { RuleId = entity.Id, Version = 1, Name = entity.Name, Definition = entity.Definition, ChangedAt = now, ChangedBy = "built-in" });
            created++;
        }
        return created;
    }
}
