using System.Text.Json.Nodes;
using Klaviyo.Core.Data;
using Klaviyo.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StandardWebhooks;

namespace Klaviyo.Tests.Alerts;

/// <summary>
/// A rule fires and people are told: through a real webhook receiver (Kestrel) that checks the
/// Standard Webhooks signature with another implementation, a real SMTP server, a Slack-like
/// endpoint; retries keep the message's id; silences stop notifications, not the log.
/// </summary>
public sealed class AlertDeliveryTests : IAsyncLifetime
{
    /// <summary>No orders today in the seeded account (its orders are in March): "orders below 1 today" holds at once.</summary>
    public const string FiringRule = """
        mutation { createAlertRule(input: { name: "No orders today", kind: THRESHOLD, subject: KPI, kpi: ORDERS, window: TODAY, comparison: BELOW, threshold: 1 }) { id version } }
        """;

    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _logs = new();
    private readonly ApiFactory _factory;

    public AlertDeliveryTests() => _factory = new ApiFactory()
        .With("Alerts:Enabled", "true").With("Alerts:GroupWait", "00:00:00").With("Alerts:GroupInterval", "00:00:00").With("Alerts:Tick", "00:00:00.200")
        .With("Alerts:PublicUrl", "https://dash.example.com")
        .WithServices(s => s.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(new CapturingLoggerProvider(_logs)));

    public Task InitializeAsync() => _factory.SeedAsync(TestData.Seed);

    public Task DisposeAsync()
    {
        _factory.Dispose();
        return Task.CompletedTask;
    }

    private async Task<string> CreateRuleAsync(string mutation = FiringRule) =>
        (await _factory.GraphQL().QueryAsync(mutation))["createAlertRule"]!["id"]!.GetValue<string>();

    private async Task<JsonNode> EvaluateAsync() => (await _factory.GraphQL().QueryAsync("mutation { evaluateAlerts { ruleName from to message } }"))["evaluateAlerts"]!;

    /// <summary>The rule's change to FIRING, as the log has it (the evaluator runs on its own and on request).</summary>
    private static async Task<JsonNode> FiredAsync(GraphQLTestClient client, string rule = "No orders today")
    {
        JsonNode? fired = null;
        await Wait.UntilAsync(() =>
        {
            client.QueryAsync("mutation { evaluateAlerts { to } }").GetAwaiter().GetResult();
            fired = client.QueryAsync("{ alertLog { ruleName from to silenced link } }").GetAwaiter().GetResult()["alertLog"]!.AsArray()
                .FirstOrDefault(e => e!["ruleName"]!.GetValue<string>() == rule && e["to"]!.GetValue<string>() == "FIRING");
            return fired is not null;
        }, TimeSpan.FromSeconds(30));
        return fired!;
    }

    /// <summary>The seeded account's data is months old, so built-in diagnostics fire too: only this test's rule counts.</summary>
    private static List<HookReceiver.Received> About(HookReceiver receiver, string rule = "No orders today") =>
        [.. receiver.Requests.Where(r => r.Body.Contains(rule, StringComparison.Ordinal))];

    private async Task<List<Notification>> NotificationsAsync()
    {
        await using var db = _factory.OpenDatabaseDirectly();
        return await db.Notifications.AsNoTracking().ToListAsync();
    }

    [Fact]
    public async Task A_firing_rule_reaches_a_signed_webhook_and_the_retry_after_a_failure_reuses_its_webhook_id()
    {
        await using var receiver = await HookReceiver.StartAsync();
        receiver.Then(503);
        var created = (await _factory.GraphQL().QueryAsync($$"""
            mutation { createContactPoint(input: { name: "Ops hook", kind: "WEBHOOK", url: "{{receiver.Url}}" }) { contactPoint { id hasSecret } secret } }
            """))["createContactPoint"]!;
        var secret = created["secret"]!.GetValue<string>();
        Assert.StartsWith("whsec_", secret);
        await CreateRuleAsync();

        var fired = await FiredAsync(_factory.GraphQL());
        Assert.Equal("NORMAL", fired["from"]!.GetValue<string>());

        await Wait.UntilAsync(() => About(receiver).Count >= 2, TimeSpan.FromSeconds(30));
        var attempts = About(receiver);
        Assert.Equal(attempts[0].Headers["webhook-id"].ToString(), attempts[1].Headers["webhook-id"].ToString());
        Assert.Equal(attempts[0].Body, attempts[1].Body);
        // Verified by an independent implementation of the spec.
        new StandardWebhook(secret).Verify(attempts[1].Body, attempts[1].Headers);
        var payload = JsonNode.Parse(attempts[1].Body)!;
        // A built-in diagnostic that fires in the same pass shares the message: find this rule's alert in it.
        var alert = payload["alerts"]!.AsArray().Single(a => a!["rule"]!.GetValue<string>() == "No orders today")!;
        Assert.Equal(("No orders today", "FIRING", "NORMAL"), (alert["rule"]!.GetValue<string>(), alert["state"]!.GetValue<string>(), alert["previousState"]!.GetValue<string>()));
        Assert.StartsWith("https://dash.example.com/?range=today", alert["url"]!.GetValue<string>());

        var entryId = await RuleNotificationAsync();
        await Wait.UntilAsync(() => NotificationsAsync().Result.Single(n => n.LogEntryId == entryId).SentAt is not null);
        Assert.Equal(2, (await NotificationsAsync()).Single(n => n.LogEntryId == entryId).Attempts);
        Assert.Null(fired["silenced"]);
        // The secret is write-only.
        var listed = (await _factory.GraphQL().PostAsync("{ contactPoints { name target hasSecret } }")).Body;
        Assert.DoesNotContain(secret[6..], listed);
        // Once sent, nothing more: a later pass with the alert still firing sends nothing until the repeat interval.
        await EvaluateAsync();
        Assert.Single(await NotificationsAsync(), n => n.LogEntryId == entryId);
        Assert.Equal(2, About(receiver).Count);
    }

    private async Task<Guid> RuleNotificationAsync()
    {
        await using var db = _factory.OpenDatabaseDirectly();
        return await db.AlertLog.Where(e => e.RuleName == "No orders today" && e.To == "Firing").Select(e => e.Id).SingleAsync();
    }

    [Fact]
    public async Task An_email_arrives_through_a_real_SMTP_server_with_text_and_HTML_parts_after_the_server_comes_back()
    {
        var port = SmtpSink.FreePort();
        using var factory = new ApiFactory()
            .With("Alerts:Enabled", "true").With("Alerts:GroupWait", "00:00:00").With("Alerts:GroupInterval", "00:00:00").With("Alerts:Tick", "00:00:00.200")
            .With("Alerts:Smtp:Host", "127.0.0.1").With("Alerts:Smtp:Port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)).With("Alerts:Smtp:Security", "NONE")
            .With("Alerts:Smtp:From", "Dashboard <alerts@dash.example.com>");
        await factory.SeedAsync(TestData.Seed);
        var client = factory.GraphQL();
        await client.QueryAsync("""mutation { createContactPoint(input: { name: "Team", kind: "EMAIL", addresses: ["team@example.com", "boss@example.com"] }) { contactPoint { id } } }""");
        await client.QueryAsync(FiringRule);
        await FiredAsync(client);

        // The SMTP server is down: the attempt fails and is kept.
        await Wait.UntilAsync(() =>
        {
            using var db = factory.OpenDatabaseDirectly();
            return db.Notifications.Any(n => n.Attempts >= 1 && n.SentAt == null && n.LastError != null);
        }, TimeSpan.FromSeconds(30));
        using var smtp = new SmtpSink(port);
        await Wait.UntilAsync(() => !smtp.Messages.IsEmpty, TimeSpan.FromSeconds(60));
        await Wait.UntilAsync(() =>
        {
            using var db = factory.OpenDatabaseDirectly();
            return db.Notifications.All(n => n.SentAt != null);
        }, TimeSpan.FromSeconds(30));

        // Built-in diagnostics fire on the months-old seed too: this rule's message, once.
        var (message, size) = Assert.Single(smtp.Messages, m => m.Message.Subject?.Contains("No orders today", StringComparison.Ordinal) == true);
        Assert.True(size < 100_000, $"{size} bytes");
        Assert.Equal(["team@example.com", "boss@example.com"], message.To.Mailboxes.Select(m => m.Address));
        Assert.StartsWith("[FIRING:", message.Subject);
        Assert.Contains("No orders today", message.TextBody);
        Assert.Contains("<a href=", message.HtmlBody);
        Assert.Equal("multipart/alternative", message.Body!.ContentType.MimeType);
        Assert.False(string.IsNullOrEmpty(message.Headers["List-Unsubscribe"]));
        using var check = factory.OpenDatabaseDirectly();
        var entry = check.AlertLog.Single(e => e.RuleName == "No orders today" && e.To == "Firing");
        var row = check.Notifications.Single(n => n.LogEntryId == entry.Id);
        Assert.Equal($"{row.BatchId:N}@klaviyo-analytics", message.MessageId);
    }

    [Fact]
    public async Task Slack_gets_text_and_blocks_and_a_429_is_retried_after_its_Retry_After()
    {
        await using var slack = await HookReceiver.StartAsync();
        slack.Then(429, retryAfter: "2");
        await _factory.GraphQL().QueryAsync($$"""mutation { createContactPoint(input: { name: "#alerts", kind: "SLACK", url: "{{slack.Url}}" }) { contactPoint { target } } }""");
        await CreateRuleAsync();
        await FiredAsync(_factory.GraphQL());

        await Wait.UntilAsync(() => About(slack).Count >= 2, TimeSpan.FromSeconds(30));
        var attempts = About(slack);
        Assert.True(attempts[1].At - attempts[0].At >= TimeSpan.FromSeconds(1.9), $"retried after {(attempts[1].At - attempts[0].At).TotalSeconds:0.0} s");
        var payload = JsonNode.Parse(attempts[1].Body)!;
        Assert.Contains("No orders today", payload["text"]!.GetValue<string>());
        var blocks = payload["blocks"]!.AsArray();
        Assert.Equal("header", blocks[0]!["type"]!.GetValue<string>());
        Assert.Contains("*FIRING*", blocks[1]!["text"]!["text"]!.GetValue<string>());
        // The URL is a secret: only its host is shown.
        var listed = (await _factory.GraphQL().QueryAsync("{ contactPoints { target hasSecret } }"))["contactPoints"]![0]!;
        Assert.Equal(("127.0.0.1", true), (listed["target"]!.GetValue<string>(), listed["hasSecret"]!.GetValue<bool>()));
        // Nor is it logged, at any level (the HTTP client factory's request logs would write it).
        Assert.DoesNotContain(_logs, line => line.Contains(slack.Url, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_silence_stops_the_notification_but_not_the_log()
    {
        await using var receiver = await HookReceiver.StartAsync();
        await _factory.GraphQL().QueryAsync($$"""mutation { createContactPoint(input: { name: "hook", kind: "WEBHOOK", url: "{{receiver.Url}}" }) { secret } }""");
        // Created disabled, silenced, then enabled: the silence is in place before it can fire.
        var rule = await CreateRuleAsync(FiringRule.Replace("threshold: 1 }", "threshold: 1, enabled: false }"));
        var until = DateTime.UtcNow.AddHours(1).ToString("O");
        await _factory.GraphQL().QueryAsync($$"""mutation { createSilence(input: { ruleId: "{{rule}}", endsAt: "{{until}}", comment: "maintenance" }) { id active } }""");
        await _factory.GraphQL().QueryAsync($$"""mutation { setAlertRuleEnabled(id: "{{rule}}", enabled: true) { enabled } }""");

        var entry = await FiredAsync(_factory.GraphQL());
        Assert.Contains("maintenance", entry["silenced"]!.GetValue<string>());
        var id = await RuleNotificationAsync();
        Assert.DoesNotContain(await NotificationsAsync(), n => n.LogEntryId == id);
    }

    [Fact]
    public async Task Suppress_takes_only_Klaviyos_periods_and_an_unknown_rule_is_NOT_FOUND()
    {
        var rule = await CreateRuleAsync();
        Assert.Equal("INVALID_INPUT", await _factory.GraphQL().ErrorCodeAsync($$"""mutation { suppressAlert(ruleId: "{{rule}}", days: 45) { id } }"""));
        var suppressed = (await _factory.GraphQL().QueryAsync($$"""mutation { suppressAlert(ruleId: "{{rule}}", days: 30) { kind endsAt } }"""))["suppressAlert"]!;
        Assert.Equal("SUPPRESS", suppressed["kind"]!.GetValue<string>());
        Assert.Equal("NOT_FOUND", await _factory.GraphQL().ErrorCodeAsync($$"""mutation { dismissAlert(ruleId: "{{Guid.NewGuid()}}") { id } }"""));
    }

    [Fact]
    public async Task Rules_are_versioned_and_validated()
    {
        var id = await CreateRuleAsync();
        var updated = (await _factory.GraphQL().QueryAsync($$"""
            mutation { updateAlertRule(id: "{{id}}", input: { name: "Revenue fell", kind: CHANGE, kpi: REVENUE, window: LAST_7_DAYS, compareTo: PREVIOUS_PERIOD, comparison: BELOW, threshold: -20, minVolume: 100 }) { version definition { kind threshold compareTo } } }
            """))["updateAlertRule"]!;
        Assert.Equal(2, updated["version"]!.GetValue<int>());
        Assert.Equal("CHANGE", updated["definition"]!["kind"]!.GetValue<string>());
        Assert.Equal("INVALID_INPUT", await _factory.GraphQL().ErrorCodeAsync("""mutation { createAlertRule(input: { name: "x", kind: THRESHOLD, kpi: REVENUE }) { id } }"""));
        Assert.Equal("INVALID_INPUT", await _factory.GraphQL().ErrorCodeAsync("""mutation { createAlertRule(input: { name: "x", kind: ANOMALY, subject: KPI, kpi: REVENUE }) { id } }"""));
        Assert.Equal("INVALID_INPUT", await _factory.GraphQL().ErrorCodeAsync("""mutation { createAlertRule(input: { name: "x", kind: THRESHOLD, kpi: REVENUE, threshold: 1, evaluateEverySeconds: 1 }) { id } }"""));
    }

    [Fact]
    public async Task Built_in_rules_are_disabled_not_deleted()
    {
        await EvaluateAsync(); // seeds the built-in rules
        var builtIn = (await _factory.GraphQL().QueryAsync("{ alertRules { id builtIn } }"))["alertRules"]!.AsArray().First(r => r!["builtIn"] is not null)!["id"]!.GetValue<string>();
        Assert.Equal("INVALID_INPUT", await _factory.GraphQL().ErrorCodeAsync($$"""mutation { deleteAlertRule(id: "{{builtIn}}") }"""));
        Assert.False((await _factory.GraphQL().QueryAsync($$"""mutation { setAlertRuleEnabled(id: "{{builtIn}}", enabled: false) { enabled } }"""))["setAlertRuleEnabled"]!["enabled"]!.GetValue<bool>());
    }
}
