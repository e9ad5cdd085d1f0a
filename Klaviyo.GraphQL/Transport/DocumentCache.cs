using GraphQLParser.AST;
using Klaviyo.GraphQL.Execution;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Klaviyo.GraphQL.Transport;

/// <summary>
/// Parsed documents by their text, each remembering whether it has passed the specification's
/// validation rules. A dashboard sends the same few documents with new variables all day: parsing and
/// validating them again each time cost more than executing them from the field cache. The rules a
/// document passes once stay passed — they read only the document and the schema — while the rules
/// that read the caller or the variables (roles, operation rate limits, complexity) run on every request,
/// except that the same variables sent again reuse their validation (<see cref="KeptValidator"/>).
/// </summary>
public sealed class DocumentCache(IOptions<GraphQLServerOptions> options) : IDisposable
{
    /// <summary>A parsed document shared by concurrent executions (GraphQL.NET never mutates one).</summary>
    public sealed class Entry(GraphQLDocument document)
    {
        private volatile bool _validated;

        public GraphQLDocument Document { get; } = document;

        /// <summary>The specification's rules passed for this document; the executer need not run them again.</summary>
        public bool Validated => _validated;

        public void MarkValidated() => _validated = true;

        /// <summary>This document's validations for the variables it was sent with, which a request sending them again reuses.</summary>
        public KeptValidations Validations { get; } = new();
    }

    // Bounded by characters, not entries: a thousand 100-KiB documents would hold 200 MB. A document
    // past the limit is not kept (it is parsed as before); the least recently used go at compaction.
    private readonly MemoryCache _documents = new(new MemoryCacheOptions { SizeLimit = Math.Max(1, options.Value.DocumentCacheCharacters) });

    /// <summary>The document of <paramref name="query"/>, parsed once; null on a syntax error (left for the executer to report).</summary>
    public Entry? GetOrParse(string query)
    {
        if (_documents.TryGetValue(query, out Entry? cached))
            return cached;
        if (GraphQLDocuments.TryParse(query) is not { } document)
            return null;
        var entry = new Entry(document);
        if (options.Value.DocumentCacheCharacters <= 0)
            return entry;
        // Concurrent first requests for one text (a dashboard opened by many) agree on one document: what
        // is kept per selection (ListJsonCache) is keyed by its nodes, so a second copy would never be served.
        lock (_documents)
        {
            if (_documents.TryGetValue(query, out Entry? parsedMeanwhile))
                return parsedMeanwhile!;
            _documents.Set(query, entry, new MemoryCacheEntryOptions { Size = query.Length, SlidingExpiration = TimeSpan.FromHours(1) });
        }
        return entry;
    }

    public void Dispose() => _documents.Dispose();
}
