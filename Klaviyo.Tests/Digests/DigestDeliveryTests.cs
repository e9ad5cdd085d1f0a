using System.Text.Json.Nodes;
using Klaviyo.Core.Data;
using Klaviyo.Core.Digests;
using Klaviyo.GraphQL.Digests;
using Klaviyo.Tests.Alerts;
using Klaviyo.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using StandardWebhooks;

namespace Klaviyo.Tests.Digests;

/// <summary>
/// Digests as recipients get them: through a real SMTP server (MIME with text, HTML, the chart as
/// a PNG and the CSV attached) and a real webhook receiver (Standard Webhooks signature), with the
/// numbers the overview answers for the same days, once per occurrence.
/// </summary>
public sealed class DigestDeliveryTests : IAsyncLifetime
{
    private readonly int _smtpPort = SmtpSink.FreePort();
    private readonly ApiFactory _factory;

    public DigestDeliveryTests() => _factory = new ApiFactory()
        .With("Alerts:Enabled", "true").With("Alerts:Tick", "00:00:00.200").With("Alerts:PublicUrl", "https://dash.example.com")
        .With("Alerts:Smtp:Host", "127.0.0.1").With("Alerts:Smtp:Port", _smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture)).With("Alerts:Smtp:Security", "NONE");

    /// <summary>The seeded account, in New York: its orders of 2 March (local) are $150.</summary>
    public Task InitializeAsync() => _factory.SeedAsync(db =>
    {
        TestData.Seed(db);
        db.Accounts.Add(new Account { Id = "ACCT", Name = "Test store", Timezone = "America/New_York", Currency = "USD" });
    });

    public Task DisposeAsync()
    {
        _factory.Dispose();
        return Task.CompletedTask;
    }

    private async Task<string> CreateDigestAsync(string contactPoint, string frequency = "DAILY") =>
        (await _factory.GraphQL().QueryAsync($$"""
            mutation { createDigest(input: { name: "Morning numbers", frequency: {{frequency}}, hour: 8, contactPointIds: ["{{contactPoint}}"] }) { id } }
            """))["createDigest"]!["id"]!.GetValue<string>();

    [Fact]
    public async Task A_due_digest_is_emailed_once_with_its_numbers_the_chart_and_the_CSV()
    {
        using var smtp = new SmtpSink(_smtpPort);
        var contact = (await _factory.GraphQL().QueryAsync("""mutation { createContactPoint(input: { name: "Team", kind: "EMAIL", addresses: ["team@example.com"] }) { contactPoint { id } } }"""))
            ["createContactPoint"]!["contactPoint"]!["id"]!.GetValue<string>();
        var id = Guid.Parse(await CreateDigestAsync(contact));
        // The scheduler sets the first occurrence in the future; this one was due on 3 March at 08:00 New York.
        await Wait.UntilAsync(() => Digest(id).NextRunAt is not null);
        await using (var db = _factory.OpenDatabaseDirectly())
            await db.Digests.Where(d => d.Id == id).ExecuteUpdateAsync(u => u.SetProperty(d => d.NextRunAt, TestData.Utc(3, 3, 13)));

        await Wait.UntilAsync(() => !smtp.Messages.IsEmpty, TimeSpan.FromSeconds(30));
        var (message, size) = Assert.Single(smtp.Messages);
        Assert.True(size < 100_000, $"{size} bytes");
        Assert.Equal("Morning numbers: Monday 2 March 2026", message.Subject);
        // 2 March in New York: the orders at 10:30 and 11:15 UTC ($100 + $50).
        Assert.Contains("Revenue: $150", message.TextBody);
        Assert.Contains("Orders: 2", message.TextBody);
        Assert.Contains("Spring Sale", message.TextBody); // the campaign sent that day
        Assert.Contains("https://dash.example.com/?from=2026-03-02&to=2026-03-02&compare=previous_period", message.TextBody);
        Assert.Contains($"cid:{DigestRenderer.ChartId}", message.HtmlBody);
        var chart = message.BodyParts.OfType<MimePart>().Single(p => p.ContentType.MimeType == "image/png");
        Assert.Equal(DigestRenderer.ChartId, chart.ContentId);
        using (var png = new MemoryStream())
        {
            await chart.Content!.DecodeToAsync(png);
            Assert.Equal([0x89, 0x50, 0x4E, 0x47], png.ToArray()[..4]);
            Assert.True(png.Length > 5_000, $"a chart of {png.Length} bytes");
        }
        var csv = Assert.Single(message.Attachments.OfType<MimePart>());
        Assert.Equal("overview-2026-03-02-2026-03-02.csv", csv.FileName);
        using (var text = new MemoryStream())
        {
            await csv.Content!.DecodeToAsync(text);
            var rows = System.Text.Encoding.UTF8.GetString(text.ToArray());
            Assert.Contains("Export,overview", rows);
            Assert.Contains("totalRevenue,150,", rows);
            Assert.Contains("Time zone,America/New_York", rows);
        }

        // Queued once: the next occurrence is in the future, and a pass now queues nothing.
        Assert.True(Digest(id).NextRunAt > DateTime.UtcNow);
        Assert.Equal(0, await _factory.Service<DigestScheduler>().QueueDueAsync(CancellationToken.None));
        await using var check = _factory.OpenDatabaseDirectly();
        var row = await check.Notifications.SingleAsync(n => n.DigestId == id);
        Assert.Equal(TestData.Utc(3, 3, 13), row.DigestFor);
        Assert.Equal($"{row.BatchId:N}@klaviyo-analytics", message.MessageId);
    }

    [Fact]
    public async Task Send_now_reaches_a_signed_webhook_with_the_numbers_the_overview_answers()
    {
        await using var receiver = await HookReceiver.StartAsync();
        var created = (await _factory.GraphQL().QueryAsync($$"""
            mutation { createContactPoint(input: { name: "Hook", kind: "WEBHOOK", url: "{{receiver.Url}}" }) { contactPoint { id } secret } }
            """))["createContactPoint"]!;
        var id = await CreateDigestAsync(created["contactPoint"]!["id"]!.GetValue<string>(), "WEEKLY, dayOfWeek: 1");
        Assert.Equal(1, (await _factory.GraphQL().QueryAsync($$"""mutation { sendDigestNow(id: "{{id}}") }"""))["sendDigestNow"]!.GetValue<int>());

        await Wait.UntilAsync(() => !receiver.Requests.IsEmpty, TimeSpan.FromSeconds(30));
        var request = Assert.Single(receiver.Requests);
        new StandardWebhook(created["secret"]!.GetValue<string>()).Verify(request.Body, request.Headers);
        var payload = JsonNode.Parse(request.Body)!;
        Assert.Equal("digest", payload["type"]!.GetValue<string>());
        Assert.Equal("WEEKLY", payload["digest"]!["frequency"]!.GetValue<string>());
        var (from, to) = (payload["from"]!.GetValue<string>(), payload["to"]!.GetValue<string>());
        Assert.Equal(6, DateOnly.Parse(to).DayNumber - DateOnly.Parse(from).DayNumber);

        // The same days asked of the API: the same numbers.
        var overview = (await _factory.GraphQL().QueryAsync($$"""
            { overview(range: { from: "{{from}}", to: "{{to}}" }) { totalRevenue { value changePercent } orders { value } } }
            """))["overview"]!;
        Assert.Equal(overview["totalRevenue"]!["value"]!.GetValue<double>(), payload["kpis"]!["revenue"]!["value"]!.GetValue<double>());
        Assert.Equal(overview["orders"]!["value"]!.GetValue<double>(), payload["kpis"]!["orders"]!["value"]!.GetValue<double>());
        Assert.StartsWith($"https://dash.example.com/?from={from}&to={to}", payload["url"]!.GetValue<string>());
    }

    [Fact]
    public async Task Bad_digests_are_refused_with_a_code()
    {
        var contact = (await _factory.GraphQL().QueryAsync("""mutation { createContactPoint(input: { name: "Team", kind: "EMAIL", addresses: ["team@example.com"] }) { contactPoint { id } } }"""))
            ["createContactPoint"]!["contactPoint"]!["id"]!.GetValue<string>();
        var client = _factory.GraphQL();
        Assert.Equal("INVALID_INPUT", await client.ErrorCodeAsync($$"""mutation { createDigest(input: { name: "x", frequency: WEEKLY, contactPointIds: ["{{contact}}"] }) { id } }"""));
        Assert.Equal("INVALID_INPUT", await client.ErrorCodeAsync($$"""mutation { createDigest(input: { name: "x", frequency: DAILY, hour: 24, contactPointIds: ["{{contact}}"] }) { id } }"""));
        Assert.Equal("INVALID_INPUT", await client.ErrorCodeAsync($$"""mutation { createDigest(input: { name: "x", frequency: MONTHLY, dayOfMonth: 31, contactPointIds: ["{{contact}}"] }) { id } }"""));
        Assert.Equal("INVALID_INPUT", await client.ErrorCodeAsync("""mutation { createDigest(input: { name: "x", frequency: DAILY, contactPointIds: [] }) { id } }"""));
        Assert.Equal("NOT_FOUND", await client.ErrorCodeAsync($$"""mutation { createDigest(input: { name: "x", frequency: DAILY, contactPointIds: ["{{Guid.NewGuid()}}"] }) { id } }"""));
        Assert.Equal("NOT_FOUND", await client.ErrorCodeAsync($$"""mutation { sendDigestNow(id: "{{Guid.NewGuid()}}") }"""));

        var id = await CreateDigestAsync(contact, "MONTHLY, dayOfMonth: 1");
        var listed = (await client.QueryAsync("{ digests { id frequency dayOfMonth schedule cron } }"))["digests"]![0]!;
        Assert.Equal(("MONTHLY", "Monthly on day 1 at 08:00", "0 8 1 * *"), (listed["frequency"]!.GetValue<string>(), listed["schedule"]!.GetValue<string>(), listed["cron"]!.GetValue<string>()));
        Assert.Equal(id, (await client.QueryAsync($$"""mutation { deleteDigest(id: "{{id}}") }"""))["deleteDigest"]!.GetValue<string>());
        Assert.Empty((await client.QueryAsync("{ digests { id } }"))["digests"]!.AsArray());
    }

    private Digest Digest(Guid id)
    {
        using var db = _factory.OpenDatabaseDirectly();
        return db.Digests.AsNoTracking().Single(d => d.Id == id);
    }
}
