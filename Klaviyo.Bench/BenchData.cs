using Klaviyo.Core.Data;
using Klaviyo.Core.Metrics;

namespace Klaviyo.Bench;

/// <summary>
/// A mid-sized account written straight into the database: 300 campaigns with reports, 40
/// flows, 20 000 profiles and 90 days of order and form events (about 100 000), with rollups.
/// </summary>
public static class BenchData
{
    public static async Task SeedAsync(KlaviyoDbContext db, DateTime now)
    {
        var random = new Random(42);
        var start = now.Date.AddDays(-90);
        db.Metrics.AddRange(
            new Metric { Id = "ORDER", Name = MetricNames.PlacedOrder, Created = start, Updated = start },
            new Metric { Id = "FORM", Name = MetricNames.SubmittedForm, Created = start, Updated = start });

        for (var i = 0; i < 300; i++)
        {
            var id = $"C{i:D4}";
            var delivered = random.Next(500, 50_000);
            db.Campaigns.Add(new Campaign
            {
                Id = id,
                Name = $"Campaign {i}",
                Status = "Sent",
                Channel = i % 7 == 0 ? "sms" : "email",
                CreatedAt = start,
                UpdatedAt = start,
                SendTime = start.AddHours(i * 7),
                Messages = [new CampaignMessage { Id = id + "M", CampaignId = id, Channel = "email", Subject = $"Subject {i}" }],
                Statistics =
                [new CampaignStatistics
                {
                    CampaignId = id,
                    ConversionMetricId = "ORDER",
                    Channel = i % 7 == 0 ? "sms" : "email",
                    FetchedAt = now,
                    Values = new MessageStatistics
                    {
                        Recipients = delivered + 50,
                        Delivered = delivered,
                        OpensUnique = delivered / 3,
                        ClicksUnique = delivered / 30,
                        ConversionUniques = delivered / 200,
                        ConversionValue = delivered / 200 * 55.0,
                    },
                }],
            });
        }
        for (var i = 0; i < 40; i++)
            db.Flows.Add(new Flow { Id = $"F{i:D3}", Name = $"Flow {i}", Status = "live", Created = start, Updated = start });
        for (var i = 0; i < 20_000; i++)
            db.Profiles.Add(new Profile { Id = $"P{i:D6}", Email = $"p{i}@example.com", EmailConsent = i % 3 == 0 ? ProfileConsent.Unsubscribed : ProfileConsent.Subscribed, Created = start.AddMinutes(i * 6), Updated = start });

        var events = new List<Event>(110_000);
        for (var i = 0; i < 100_000; i++)
        {
            var at = start.AddSeconds(random.NextDouble() * (now - start).TotalSeconds);
            var order = i % 5 != 0;
            events.Add(new Event
            {
                Id = $"E{i:D7}",
                MetricId = order ? "ORDER" : "FORM",
                ProfileId = $"P{random.Next(20_000):D6}",
                Datetime = at,
                Value = order ? Math.Round(random.NextDouble() * 200, 2) : 0,
                CampaignId = order && i % 3 == 0 ? $"C{random.Next(300):D4}" : null,
                FlowId = order && i % 3 == 1 ? $"F{random.Next(40):D3}" : null,
            });
        }
        db.Events.AddRange(events);
        db.MetricRollups.AddRange(MetricRollupBuilder.From(events));
        // The sandbox's account: every report reads days in New York (whose days are not UTC's).
        db.Accounts.Add(new Account { Id = "SANDBX", Name = "Sandbox account", Timezone = "America/New_York", Currency = "USD", UpdatedAt = now });
        foreach (var entity in Enum.GetValues<SyncEntity>())
            db.SyncStates.Add(new SyncState { Entity = entity, Status = SyncStatusKind.Succeeded, LastSuccessAt = now, LastAttemptAt = now });
        await db.SaveChangesAsync();
    }
}
