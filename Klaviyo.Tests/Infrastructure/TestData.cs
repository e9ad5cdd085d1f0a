using Klaviyo.Core.Data;
using Klaviyo.Core.Metrics;

namespace Klaviyo.Tests.Infrastructure;

/// <summary>
/// A small account whose overview answers were worked out by hand (see OverviewTests). The
/// window under test is 2026-03-01 to 2026-03-08; the previous window 2026-02-22 to 2026-03-01.
/// </summary>
public static class TestData
{
    public static DateTime Utc(int month, int day, int hour = 0, int minute = 0) => new(2026, month, day, hour, minute, 0, DateTimeKind.Utc);

    public static readonly DateTime SyncedAt = Utc(3, 8, 1);
    public static readonly DateTime ReportsSyncedAt = Utc(3, 8, 0, 30);

    public static void Seed(KlaviyoDbContext db)
    {
        db.Campaigns.AddRange(
            Campaign("C1", "Spring Sale", "Sent", "email", Utc(3, 2, 10), "Spring is here", Stats(1000, 980, 490, 98, 49, 4900, 20, 5)),
            Campaign("C2", "Summer Teaser", "Sent", "email", Utc(3, 5, 9), "Summer is coming", Stats(520, 500, 100, 25, 5, 250, 20, 2)),
            Campaign("C3", "Autumn Draft", "Draft", "email", null, "Autumn", null),
            Campaign("C4", "Flash sale", "Sent", "email", Utc(2, 25, 15), "Only today", Stats(410, 400, 200, 40, 8, 800, 10, 1)),
            Campaign("C5", "SMS Blast", "Sent", "sms", Utc(3, 3, 12), null, Stats(0, 0, 0, 0, 0, 0, 0, 0)));

        db.Flows.AddRange(
            Flow("F1", "Welcome Series", "live", "Added to List", Stats(300, 290, 150, 60, 12, 1200, 10, 3)),
            Flow("F2", "Abandoned Cart", "live", "Metric", Stats(200, 200, 120, 50, 30, 3000, 0, 1)),
            Flow("F3", "Winback", "draft", "Metric", null));

        db.Segments.AddRange(
            new Segment { Id = "S1", Name = "Engaged 30 days", ProfileCount = 1200, IsActive = true, Created = Utc(1, 1), Updated = Utc(3, 1) },
            new Segment { Id = "S2", Name = "VIP", ProfileCount = 80, IsActive = true, IsStarred = true, Created = Utc(1, 2), Updated = Utc(3, 2) },
            new Segment { Id = "S3", Name = "Lapsed", ProfileCount = 450, IsActive = false, Created = Utc(1, 3), Updated = Utc(2, 1) });

        db.Lists.AddRange(
            new KlaviyoList { Id = "L1", Name = "Newsletter", ProfileCount = 5000, OptInProcess = "double_opt_in", Created = Utc(1, 1), Updated = Utc(3, 1) },
            new KlaviyoList { Id = "L2", Name = "Preview list", ProfileCount = 12, OptInProcess = "single_opt_in", Created = Utc(1, 5), Updated = Utc(1, 6) });

        db.Forms.AddRange(
            Form("FO1", "Homepage popup", "live", 1000, 50),
            Form("FO2", "Footer signup", "live", 400, 40),
            Form("FO3", "Exit intent", "draft", null, null));

        db.Metrics.AddRange(
            new Metric { Id = "ORDER", Name = MetricNames.PlacedOrder, IntegrationName = "Shopify", IntegrationCategory = "eCommerce", Created = Utc(1, 1), Updated = Utc(1, 1) },
            new Metric { Id = "FORM", Name = MetricNames.SubmittedForm, IntegrationName = "Klaviyo", Created = Utc(1, 1), Updated = Utc(1, 1) },
            new Metric { Id = "OPEN", Name = MetricNames.OpenedEmail, IntegrationName = "Klaviyo", Created = Utc(1, 1), Updated = Utc(1, 1) });

        db.Profiles.AddRange(
            Profile("P1", ProfileConsent.Subscribed, Utc(1, 1)),
            Profile("P2", ProfileConsent.Subscribed, Utc(3, 4)),
            Profile("P3", ProfileConsent.Unsubscribed, Utc(1, 1)),
            Profile("P4", ProfileConsent.Subscribed, Utc(3, 9)),
            Profile("P5", ProfileConsent.NeverSubscribed, Utc(2, 1)));

        Event[] events =
        [
            Order("E1", Utc(3, 2, 10, 30), 100, campaign: "C1"),
            Order("E2", Utc(3, 2, 11, 15), 50, flow: "F1"),
            Order("E3", Utc(3, 7, 23, 59), 25),
            Order("E4", Utc(3, 8), 999),
            Order("E5", Utc(2, 28, 12), 80, campaign: "C4"),
            Order("E6", Utc(2, 22), 20, form: "FO1"),
            Order("E7", Utc(2, 21, 23), 500),
            new Event { Id = "E8", MetricId = "FORM", ProfileId = "P2", Datetime = Utc(3, 3, 8), FormId = "FO1" },
            new Event { Id = "E9", MetricId = "FORM", ProfileId = "P2", Datetime = Utc(3, 3, 9), FormId = "FO2" },
            new Event { Id = "E10", MetricId = "FORM", ProfileId = "P1", Datetime = Utc(2, 23, 9), FormId = "FO1" },
            new Event { Id = "E11", MetricId = "OPEN", ProfileId = "P1", Datetime = Utc(3, 2, 10, 5), CampaignId = "C1" },
        ];
        db.Events.AddRange(events);
        db.MetricRollups.AddRange(MetricRollupBuilder.From(events));

        foreach (var entity in Enum.GetValues<SyncEntity>())
        {
            var reports = entity is SyncEntity.CampaignReports or SyncEntity.FlowReports or SyncEntity.FormReports;
            db.SyncStates.Add(new SyncState
            {
                Entity = entity,
                Status = SyncStatusKind.Succeeded,
                LastSuccessAt = reports ? ReportsSyncedAt : SyncedAt,
                LastAttemptAt = reports ? ReportsSyncedAt : SyncedAt,
                RecordCount = 3,
            });
        }
    }

    private static MessageStatistics Stats(int recipients, int delivered, int opensUnique, int clicksUnique, int conversions, double value, int bounced, int unsubscribes) => new()
    {
        Recipients = recipients,
        Delivered = delivered,
        Opens = opensUnique * 2,
        OpensUnique = opensUnique,
        Clicks = clicksUnique * 2,
        ClicksUnique = clicksUnique,
        Conversions = conversions,
        ConversionUniques = conversions,
        ConversionValue = value,
        Bounced = bounced,
        Unsubscribes = unsubscribes,
    };

    private static Campaign Campaign(string id, string name, string status, string channel, DateTime? sendTime, string? subject, MessageStatistics? stats) => new()
    {
        Id = id,
        Name = name,
        Status = status,
        Channel = channel,
        CreatedAt = Utc(1, 10),
        UpdatedAt = sendTime ?? Utc(1, 10),
        SendTime = sendTime,
        Messages = [new CampaignMessage { Id = id + "-M", CampaignId = id, Channel = channel, Subject = subject }],
        Statistics = stats is null ? [] : [new CampaignStatistics { CampaignId = id, ConversionMetricId = "ORDER", Channel = channel, Values = stats, WindowStart = Utc(1, 1), WindowEnd = Utc(3, 8), FetchedAt = ReportsSyncedAt }],
    };

    private static Flow Flow(string id, string name, string status, string trigger, MessageStatistics? stats) => new()
    {
        Id = id,
        Name = name,
        Status = status,
        TriggerType = trigger,
        Created = Utc(1, 1),
        Updated = Utc(2, 1),
        Statistics = stats is null ? [] : [new FlowStatistics { FlowId = id, ConversionMetricId = "ORDER", Channel = "email", Values = stats, WindowStart = Utc(1, 1), WindowEnd = Utc(3, 8), FetchedAt = ReportsSyncedAt }],
    };

    private static Form Form(string id, string name, string status, int? views, int? submits) => new()
    {
        Id = id,
        Name = name,
        Status = status,
        CreatedAt = Utc(1, 1),
        UpdatedAt = Utc(2, 1),
        Statistics = views is null ? null : new FormStatistics { FormId = id, Views = views.Value * 2, ViewsUnique = views.Value, Submits = submits!.Value, SubmitsUnique = submits.Value, WindowStart = Utc(1, 1), WindowEnd = Utc(3, 8), FetchedAt = ReportsSyncedAt },
    };

    private static Profile Profile(string id, string consent, DateTime created) =>
        new() { Id = id, Email = id.ToLowerInvariant() + "@example.com", EmailConsent = consent, Created = created, Updated = created };

    private static Event Order(string id, DateTime at, double value, string? campaign = null, string? flow = null, string? form = null) =>
        new() { Id = id, MetricId = "ORDER", ProfileId = "P1", Datetime = at, Value = value, CampaignId = campaign, FlowId = flow, FormId = form };
}

/// <summary>An API over <see cref="TestData"/>, shared by the query tests of one class.</summary>
public sealed class SeededApiFactory : ApiFactory, IAsyncLifetime
{
    public Task InitializeAsync() => SeedAsync(TestData.Seed);

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
}
