using System.Text.Json;
using System.Text.RegularExpressions;

namespace Klaviyo.Tests.Sandbox;

/// <summary>The vendored spec: endpoint rules from endpoints.tsv, resource schemas from resources.json.</summary>
public static class KlaviyoSpec
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Sandbox", "Spec");

    public sealed record Endpoint(string Method, string Path, string OperationId, int? MaxPageSize, string[] Includes, string[] Sorts, Dictionary<string, string[]> Filters)
    {
        private readonly Regex _path = new("^" + Regex.Replace(Path, @"\{[^}]+\}", "[^/]+") + "/?$");

        public bool Matches(string method, string path) => Method == method && _path.IsMatch(path);
    }

    public static IReadOnlyList<Endpoint> Endpoints { get; } = File.ReadLines(Path.Combine(Folder, "endpoints.tsv"))
        .Where(l => !l.StartsWith('#') && l.Length > 0)
        .Select(l => l.Split('\t'))
        .Select(c => new Endpoint(
            c[0], c[1], c[2],
            c.Length > 8 && c[8].Split('/') is [_, var max] && int.TryParse(max, out var m) ? m : null,
            c.Length > 9 ? c[9].Split(',', StringSplitOptions.RemoveEmptyEntries) : [],
            c.Length > 10 ? c[10].Split(',', StringSplitOptions.RemoveEmptyEntries) : [],
            c.Length > 12 ? c[12].Split("; ", StringSplitOptions.RemoveEmptyEntries).Select(f => f.Split(':')).ToDictionary(f => f[0], f => f[1].Split('|')) : []))
        .ToList();

    public static JsonElement Resources { get; } = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "resources.json"))).RootElement;
}
