using System.Text.Json.Nodes;

namespace Klaviyo.Testing.Faults;

/// <summary>Asks the API what a dashboard would show: the overview's and the campaign table's labels and the server's current errors.</summary>
public sealed class ApiProbe(Uri address) : IDisposable
{
    private const string Query = "{ overview(range: { preset: LAST_7_DAYS }) { dataSource } campaigns(first: 1) { dataSource } diagnostics { errors { code } } }";

    private readonly HttpClient _http = new() { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Non-2xx answers seen (a fault must never make the API itself fail).</summary>
    public int ServerErrors { get; private set; }

    /// <summary>E.g. "FALLBACK/FALLBACK KLAVIYO_UNAVAILABLE", or "error DATABASE_UNAVAILABLE" when a payload could not be served at all.</summary>
    public async Task<string> ShownAsync()
    {
        JsonNode? body;
        try
        {
            using var response = await _http.PostAsJsonAsync("/graphql", new { query = Query });
            if ((int)response.StatusCode >= 500)
                ServerErrors++;
            body = JsonNode.Parse(await response.Content.ReadAsStringAsync());
        }
        catch (HttpRequestException e)
        {
            return $"unreachable ({e.HttpRequestError})";
        }
        var data = body?["data"];
        var errors = body?["errors"]?.AsArray().Select(e => e?["extensions"]?["code"]?.GetValue<string>()).OfType<string>().Distinct().ToList() ?? [];
        string Label(string field) => data?[field]?["dataSource"]?.GetValue<string>() ?? "error";
        var current = data?["diagnostics"]?["errors"]?.AsArray().Select(e => e!["code"]!.GetValue<string>()).Distinct() ?? [];
        var codes = string.Join(",", current.Concat(errors).Distinct().Order());
        return $"{Label("overview")}/{Label("campaigns")}{(codes.Length > 0 ? " " + codes : "")}";
    }

    /// <summary>Back to normal: nothing FALLBACK and no current error.</summary>
    public static bool IsNormal(string shown) => !shown.Contains(' ', StringComparison.Ordinal) && !shown.Contains("FALLBACK", StringComparison.Ordinal) && !shown.Contains("error", StringComparison.Ordinal);

    public void Dispose() => _http.Dispose();
}
