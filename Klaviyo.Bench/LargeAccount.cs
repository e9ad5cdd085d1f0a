using System.Diagnostics;
using Klaviyo.Core.Data;
using Klaviyo.Core.Metrics;
using Klaviyo.Sandbox;
using Microsoft.Data.Sqlite;

namespace Klaviyo.Bench;

/// <summary>
/// The sandbox's Benchmark account (5 million events over 90 days, 50 000 profiles) written into
/// the database as a finished sync leaves it: every event row, rollups folded from those same
/// events, profiles, campaigns. A real sync of it takes about half an hour; this takes about a
/// minute, because it inserts with one prepared statement instead of paging through the API.
/// Campaign statistics are derived from each campaign's index (the Reporting API is not called).
/// </summary>
public static class LargeAccount
{
    public static async Task<(long Events, TimeSpan Took)> LoadAsync(KlaviyoDbContext db, string connectionString, SandboxAccount account, DateTime now)
    {
        var started = Stopwatch.GetTimestamp();
        var count = account.EventCountAt(now);
        var rollups = new Dictionary<(string, RollupGranularity, DateTime, AttributionChannel), MetricRollup>();

        await using (var connection = new SqliteConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var pragmas = connection.CreateCommand();
            pragmas.CommandText = "PRAGMA synchronous = OFF;";
            await pragmas.ExecuteNonQueryAsync();
            const int Batch = 200_000;
            for (long from = 0; from < count; from += Batch)
            {
                await using var transaction = connection.BeginTransaction();
                await using var insert = connection.CreateCommand();
                insert.Transaction = transaction;
                insert.CommandText = """
                    INSERT OR IGNORE INTO "Events" ("Id", "MetricId", "ProfileId", "Datetime", "Value", "CampaignId", "FlowId", "MessageId", "FormId")
                    VALUES ($id, $metric, $profile, $at, $value, $campaign, $flow, $message, $form)
                    """;
                var parameters = new[] { "$id", "$metric", "$profile", "$at", "$value", "$campaign", "$flow", "$message", "$form" }
                    .Select(name => insert.Parameters.Add(new SqliteParameter { ParameterName = name })).ToArray();
                var batch = new List<Event>(Batch);
                for (var i = from; i < Math.Min(count, from + Batch); i++)
                {
                    var e = account.Event(i);
                    batch.Add(new Event { Id = e.Id, MetricId = e.MetricId, ProfileId = e.ProfileId, Datetime = e.Datetime, Value = e.Value, CampaignId = e.CampaignId, FlowId = e.FlowId, MessageId = e.MessageId, FormId = e.FormId });
                    object?[] values = [e.Id, e.MetricId, e.ProfileId, e.Datetime.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF"), e.Value, e.CampaignId, e.FlowId, e.MessageId, e.FormId];
                    for (var p = 0; p < values.Length; p++)
                        parameters[p].Value = values[p] ?? DBNull.Value;
                    await insert.ExecuteNonQueryAsync();
                }
                await transaction.CommitAsync();
                foreach (var rollup in MetricRollupBuilder.From(batch))
                {
                    var key = (rollup.MetricId, rollup.Granularity, rollup.BucketStart, rollup.Channel);
                    if (rollups.TryGetValue(key, out var existing))
                        (existing.Count, existing.SumValue) = (existing.Count + rollup.Count, existing.SumValue + rollup.SumValue);
                    else
                        rollups[key] = rollup;
                }
            }
        }

        db.MetricRollups.AddRange(rollups.Values);
        db.Metrics.AddRange(account.Metrics.Select(m => new Metric { Id = m.Id, Name = m.Name, Created = account.Start, Updated = account.Start }));
        for (long i = 0; i < account.ProfileCountAt(now); i++)
        {
            var p = account.Profile(i);
            db.Profiles.Add(new Profile { Id = p.Id, Email = p.Email, Created = p.Created, Updated = p.Updated, EmailConsent = p.Consent });
        }
        var placedOrder = account.Metrics.First(m => m.Name == MetricNames.PlacedOrder).Id;
        foreach (var c in account.CampaignsAt(now))
        {
            var delivered = 2_000 + c.Index * 37 % 20_000;
            db.Campaigns.Add(new Campaign
            {
                Id = c.Id,
                Name = c.Name,
                Status = c.Status(now),
                Channel = c.Channel,
                CreatedAt = c.CreatedAt,
                UpdatedAt = c.UpdatedAt(now),
                SendTime = c.SendTime,
                Messages = [new CampaignMessage { Id = c.MessageId, CampaignId = c.Id, Channel = c.Channel, Subject = c.Subject }],
                Statistics =
                [new CampaignStatistics
                {
                    CampaignId = c.Id,
                    ConversionMetricId = placedOrder,
                    Channel = c.Channel,
                    FetchedAt = now,
                    Values = new MessageStatistics { Recipients = delivered + 20, Delivered = delivered, OpensUnique = delivered / 3, ClicksUnique = delivered / 25, ConversionUniques = delivered / 150, ConversionValue = delivered / 150 * 60.0 },
                }],
            });
        }
        // The sandbox's account: every report reads days in New York (whose days are not UTC's).
        db.Accounts.Add(new Account { Id = "SANDBX", Name = "Sandbox account", Timezone = "America/New_York", Currency = "USD", UpdatedAt = now });
        foreach (var entity in Enum.GetValues<SyncEntity>())
            db.SyncStates.Add(new SyncState { Entity = entity, Status = SyncStatusKind.Succeeded, LastSuccessAt = now, LastAttemptAt = now });
        await db.SaveChangesAsync();
        return (count, Stopwatch.GetElapsedTime(started));
    }
}
