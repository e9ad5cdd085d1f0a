namespace Klaviyo.Core.Alerts;

/// <summary>Labels and matchers as stored: "team=growth,severity=high".</summary>
public static class AlertLabels
{
    public static IReadOnlyDictionary<string, string> Parse(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pair => pair.Split('=', 2, StringSplitOptions.TrimEntries))
            .Where(p => p.Length == 2 && p[0].Length > 0)
            .GroupBy(p => p[0], StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Last()[1], StringComparer.OrdinalIgnoreCase);

    public static string Format(IEnumerable<KeyValuePair<string, string>> labels) =>
        string.Join(',', labels.OrderBy(l => l.Key, StringComparer.OrdinalIgnoreCase).Select(l => $"{l.Key}={l.Value}"));

    /// <summary>Every matcher equals the label of the same name.</summary>
    public static bool Match(string matchers, string labels)
    {
        var have = Parse(labels);
        return Parse(matchers).All(m => have.TryGetValue(m.Key, out var v) && string.Equals(v, m.Value, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Refuses labels that would not read back as written.</summary>
    public static string Validate(IReadOnlyDictionary<string, string>? labels)
    {
        if (labels is null)
            return "";
        foreach (var (key, value) in labels)
        {
            if (key.Length is 0 or > 40 || value.Length > 100 || key.IndexOfAny([',', '=']) >= 0 || value.Contains(','))
                throw new Errors.InvalidInputError($"Label '{key}' is not valid: names of 1–40 characters and values of up to 100, without ',' (and '=' in names).");
        }
        return Format(labels);
    }
}
