using System.Collections.Concurrent;

namespace Klaviyo.Web.Client;

/// <summary>The operations this client sends, read from the .graphql files embedded in the assembly (Client/Operations).</summary>
public static class Operations
{
    private static readonly ConcurrentDictionary<string, string> Texts = new();

    public static IReadOnlyList<string> Names { get; } =
        [.. typeof(Operations).Assembly.GetManifestResourceNames()
            .Where(n => n.EndsWith(".graphql", StringComparison.Ordinal))
            .Select(n => n.Split('.')[^2])
            .Order(StringComparer.Ordinal)];

    public static string Text(string name) => Texts.GetOrAdd(name, static name =>
    {
        var resource = typeof(Operations).Assembly.GetManifestResourceNames().SingleOrDefault(n => n.EndsWith($".{name}.graphql", StringComparison.Ordinal))
            ?? throw new ArgumentException($"No operation named {name}.", nameof(name));
        using var stream = typeof(Operations).Assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });
}
