using System.Net.Http.Json;
using Klaviyo.Core.Alerts;
using Klaviyo.Testing.Faults;
using Klaviyo.Testing.Processes;
using Klaviyo.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.Tests.Alerts;

/// <summary>
/// The API as its own process, SIGKILLed while its webhook is being delivered (the receiver holds the request),
/// then started again on the same database: the batch goes again under the same webhook-id once the dead
/// process's claim has expired, so a receiver that dedupes on webhook-id gets it exactly once.
/// </summary>
public sealed class KilledSenderTests
{
    private const string Rule = "Revenue is known";

    [Fact]
    public async Task A_sender_killed_mid_delivery_resends_the_same_message_after_a_restart()
    {
        var path = Path.Combine(Path.GetTempPath(), $"klaviyo-killed-sender-{Guid.NewGuid():N}.db");
        var settings = new Dictionary<string, string?>(FaultSuiteOptions.Short.Settings())
        {
            ["ConnectionStrings:Klaviyo"] = $"Data Source={path}",
            ["Alerts:GroupWait"] = "00:00:00",
            ["Alerts:GroupInterval"] = "00:00:00",
            ["Alerts:Tick"] = "00:00:00.200",
            ["Alerts:ClaimFor"] = "00:00:03",
        };
        await using var receiver = await HookReceiver.StartAsync();
        var release = new TaskCompletionSource();
        receiver.Hold(body => body.Contains(Rule, StringComparison.Ordinal), release.Task);
        var port = ServiceProcess.FreePort();
        try
        {
            using (var first = ServiceProcess.Start("Klaviyo.Server", port, settings))
            {
                await first.WaitUntilAnswersAsync("/health/live", TimeSpan.FromSeconds(60));
                using var http = new HttpClient { BaseAddress = first.Address };
                await PostAsync(http, $$"""mutation { createContactPoint(input: { name: "hook", kind: "WEBHOOK", url: "{{receiver.Url}}" }) { secret } }""");
                await PostAsync(http, $$"""
                    mutation { createAlertRule(input: { name: "{{Rule}}", kind: THRESHOLD, kpi: REVENUE, window: LAST_30_DAYS, comparison: ABOVE, threshold: -1, evaluateEverySeconds: 10 }) { id } }
                    """);
                await Wait.UntilAsync(() => About(receiver).Count == 1, TimeSpan.FromSeconds(90));
                first.Kill(); // SIGKILL while the request is in flight: no answer was read, nothing recorded as sent
            }
            release.SetResult();

            using (var second = ServiceProcess.Start("Klaviyo.Server", port, settings))
            {
                await second.WaitUntilAnswersAsync("/health/live", TimeSpan.FromSeconds(60));
                await Wait.UntilAsync(() => About(receiver).Count >= 2, TimeSpan.FromSeconds(60));
                await using var db = SqliteFile.Open(path);
                await Wait.UntilAsync(() => db.Notifications.AsNoTracking().Any(n => n.SentAt != null), TimeSpan.FromSeconds(30));
                second.Kill();
            }

            var attempts = About(receiver);
            var ids = attempts.Select(a => a.Headers["webhook-id"].ToString()).Distinct().ToList();
            Assert.Single(ids); // the receiver, deduping on webhook-id, has it once
            Assert.Equal(attempts[0].Body, attempts[^1].Body);
            await using (var db = SqliteFile.Open(path))
            {
                var fired = await db.AlertLog.Where(e => e.RuleName == Rule && e.To == nameof(AlertState.Firing)).Select(e => e.Id).SingleAsync();
                var notification = await db.Notifications.SingleAsync(n => n.LogEntryId == fired);
                Assert.NotNull(notification.SentAt);
                Assert.Equal($"msg_{notification.BatchId:N}", ids[0]);
            }
        }
        finally
        {
            foreach (var file in new[] { path, path + "-wal", path + "-shm", path + ".sandbox.json" })
                File.Delete(file);
        }
    }

    private static List<HookReceiver.Received> About(HookReceiver receiver) => [.. receiver.Requests.Where(r => r.Body.Contains(Rule, StringComparison.Ordinal))];

    private static async Task PostAsync(HttpClient http, string query)
    {
        using var response = await http.PostAsJsonAsync("/graphql", new { query });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode && !body.Contains("\"errors\"", StringComparison.Ordinal), body);
    }
}
