using System.Net;
using Klaviyo.Core.Data;
using Klaviyo.Core.Security;
using Klaviyo.Tests.Infrastructure;
using Klaviyo.Tests.Security;

namespace Klaviyo.Tests.Exports;

/// <summary>CSV exports: every row, the same filter and order as the query, what the file covers, no formulas, the same authorization.</summary>
public sealed class ExportTests(ExportTests.Factory factory) : IClassFixture<ExportTests.Factory>
{
    public sealed class Factory : SecuredApiFactory, IAsyncLifetime
    {
        public Task InitializeAsync() => SeedAsync(db =>
        {
            TestData.Seed(db);
            // 250 more campaigns (three pages of the export), one whose name a spreadsheet would run as a formula.
            for (var i = 0; i < 250; i++)
                db.Campaigns.Add(new Campaign
                {
                    Id = $"X{i:000}",
                    Name = i == 7 ? "=HYPERLINK(\"http://evil.example\",\"click\")" : $"Bulk {i:000}",
                    Status = "Sent",
                    Channel = "email",
                    CreatedAt = TestData.Utc(1, 1),
                    UpdatedAt = TestData.Utc(1, 1),
                    SendTime = TestData.Utc(2, 1).AddMinutes(i),
                });
        });

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    private async Task<(HttpResponseMessage Response, List<string[]> Rows)> GetAsync(string path, string? role = Roles.Viewer)
    {
        var response = await factory.ClientWith(role is null ? null : factory.KeyFor(role)).GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        return (response, Parse(text));
    }

    /// <summary>RFC 4180, as a spreadsheet reads it.</summary>
    private static List<string[]> Parse(string text)
    {
        var rows = new List<string[]>();
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else if (c == '\r') { }
            else if (c == '\n') { fields.Add(field.ToString()); field.Clear(); rows.Add([.. fields]); fields.Clear(); }
            else field.Append(c);
        }
        return rows;
    }

    [Fact]
    public async Task A_table_exports_every_row_with_the_same_filter_and_order_and_says_what_it_holds()
    {
        var where = Uri.EscapeDataString("""{ "name": { "startsWith": "Bulk" } }""");
        var order = Uri.EscapeDataString("""[{ "sendTime": "DESC" }]""");
        var (response, rows) = await GetAsync($"/export/campaigns.csv?where={where}&order={order}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("campaigns.csv", response.Content.Headers.ContentDisposition!.FileName!.Trim('"'));
        Assert.Equal(["Rows", "249"], rows.Single(r => r[0] == "Rows"));
        Assert.Contains(rows, r => r[0] == "Data source" && r[1] is "LIVE" or "CACHE");
        Assert.Contains(rows, r => r[0] == "Last updated");
        var header = rows.FindIndex(r => r.Length > 1 && r[0] == "id");
        var table = rows[(header + 1)..];
        Assert.Equal(249, table.Count);
        var nameColumn = Array.IndexOf(rows[header], "name");
        Assert.Equal("Bulk 249", table[0][nameColumn]);
        Assert.Equal("Bulk 000", table[^1][nameColumn]);

        // The GraphQL answer for the same filter and order, row for row.
        var api = await factory.GraphQLAs(Roles.Viewer).QueryAsync("""{ campaigns(first: 5, where: { name: { startsWith: "Bulk" } }, order: [{ sendTime: DESC }]) { nodes { id } } }""");
        Assert.Equal(api["campaigns"]!["nodes"]!.AsArray().Select(n => n!["id"]!.GetValue<string>()), table.Take(5).Select(r => r[0]));
    }

    [Fact]
    public async Task Cells_that_a_spreadsheet_would_run_as_formulas_are_escaped()
    {
        var (_, rows) = await GetAsync("/export/campaigns.csv");
        var evil = rows.Single(r => r.Contains("X007"));
        Assert.Contains("'=HYPERLINK(\"http://evil.example\",\"click\")", evil);
        Assert.DoesNotContain(rows.SelectMany(r => r), cell => cell.StartsWith('=') || cell.StartsWith('+') || cell.StartsWith('@'));
    }

    [Fact]
    public async Task The_overview_exports_its_range_calendar_KPIs_and_series()
    {
        var (response, rows) = await GetAsync("/export/overview.csv?from=2026-03-01&to=2026-03-07&compare=NONE");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("UTC", rows.Single(r => r[0] == "Time zone")[1]); // no account synced: UTC, said so
        Assert.Equal("USD", rows.Single(r => r[0] == "Currency")[1]);
        Assert.Equal(["Range", "2026-03-01 00:00:00", "2026-03-08 00:00:00"], rows.Single(r => r[0] == "Range"));
        Assert.Contains(rows, r => r[0] == "totalRevenue");
        var series = rows.SkipWhile(r => !r[0].StartsWith("Start (", StringComparison.Ordinal)).Skip(1).ToList();
        Assert.Equal(7, series.Count);
    }

    [Fact]
    public async Task Exports_follow_the_same_authorization_and_bad_input_gets_a_clear_error()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/export/campaigns.csv", role: null)).Response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/export/widgets.csv")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await GetAsync("/export/campaigns.csv?where=%7Bnot-json")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await GetAsync("/export/overview.csv")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await GetAsync("/export/overview.csv?from=2026-03-07&to=2026-03-01")).Response.StatusCode);
    }
}
