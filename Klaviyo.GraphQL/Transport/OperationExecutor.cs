using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using GraphQL;
using GraphQL.Types;
using GraphQLParser.AST;
using Klaviyo.Core.Diagnostics;
using Klaviyo.Core.Freshness;
using Klaviyo.GraphQL.Execution;
using Klaviyo.GraphQL.Security;

namespace Klaviyo.GraphQL.Transport;

/// <summary>
/// The one path every operation takes, over HTTP or a WebSocket: parse once, choose the operation,
/// open its span and freshness trace, execute (validation, the role and rate-limit rules and the
/// resolvers run inside), mark the span, record. Transports only read requests and write answers.
/// </summary>
public sealed class OperationExecutor(IDocumentExecuter<ISchema> executer, DocumentCache documents, RequestStatistics statistics, ILogger<OperationExecutor> logger)
{
    /// <summary>An operation as a transport received it.</summary>
    /// <param name="Partition">What operation limits count by (<see cref="KlaviyoClaims.Partition(ClaimsPrincipal, string?)"/>).</param>
    /// <param name="NoCache">Every field reads fresh data, as <c>forceFresh: true</c> would.</param>
    /// <param name="CountAsRequest">Counted in <see cref="RequestStatistics"/> (HTTP requests; socket operations have their own counts).</param>
    public sealed record Request(
        string? Query, string? OperationName, Inputs? Variables, Inputs? Extensions,
        ClaimsPrincipal User, string Partition, bool NoCache, IServiceProvider Services, bool CountAsRequest);

    /// <summary>The request's document (null on a syntax error, which the executer reports) and the operation it runs.</summary>
    public sealed record Parsed(DocumentCache.Entry? Entry, GraphQLOperationDefinition? Operation, string Label)
    {
        public GraphQLDocument? Document => Entry?.Document;
    }

    /// <param name="Trace">Which fields were served from the cache (what the HTTP response cache may store).</param>
    public sealed record Executed(ExecutionResult Result, FreshnessTrace Trace);

    public Parsed Parse(string? query, string? operationName)
    {
        var entry = query is null ? null : documents.GetOrParse(query);
        var operation = entry is null ? null : GraphQLDocuments.SelectOperation(entry.Document, operationName);
        return new Parsed(entry, operation, Label(operation, operationName));
    }

    public async Task<Executed> ExecuteAsync(Request request, Parsed parsed, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        if (request.CountAsRequest)
            statistics.Started();
        ExecutionResult? result = null;
        using var span = OperationTracing.StartOperation(parsed.Operation, request.OperationName);
        using var _ = FreshnessTrace.Begin(out var trace);
        try
        {
            result = await executer.ExecuteAsync(new ExecutionOptions
            {
                Query = request.Query,
                Document = parsed.Document,
                // A document that passed the specification's rules once skips them: an empty list here,
                // to which GraphQL.NET's configuration appends the rules registered with AddValidationRule
                // (roles, operation rate limits, complexity), which read the caller and the variables and
                // so run every time. Null means the core rules and those.
                ValidationRules = parsed.Entry?.Validated == true ? [] : null,
                OperationName = request.OperationName,
                Variables = request.Variables,
                Extensions = request.Extensions,
                RequestServices = request.Services,
                User = request.User,
                UserContext = new Dictionary<string, object?>
                {
                    [Schema.ResolveFieldContextExtensions.NoCacheKey] = request.NoCache,
                    [OperationRateLimitRule.PartitionKey] = request.Partition,
                    [KeptValidations.UserContextKey] = parsed.Entry?.Validations,
                },
                CancellationToken = cancellationToken,
            });
            if (result.Executed)
                parsed.Entry?.MarkValidated();
            return new Executed(result, trace);
        }
        finally
        {
            var failed = result is null || result.Errors is { Count: > 0 };
            if (failed)
                span.Failed(result?.Errors?[0].Code ?? "INTERNAL_ERROR");
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (request.CountAsRequest)
                statistics.Finished(parsed.Label, elapsed, failed);
            logger.LogDebug("GraphQL {Operation} ran in {Elapsed} ms with {Errors} error(s)", parsed.Label, elapsed, result?.Errors?.Count ?? 0);
        }
    }

    /// <summary>How diagnostics name an operation: its name, else its type and first root field ("query overview").</summary>
    private static string Label(GraphQLOperationDefinition? operation, string? operationName)
    {
        if (operationName is not null || operation?.Name is not null)
            return operationName ?? operation!.Name!.StringValue;
        // Built once per parsed operation: documents are cached, and this ran on every request.
        return operation is null ? "invalid" : AnonymousLabels.GetValue(operation, static o =>
        {
            var type = o.Operation switch { OperationType.Mutation => "mutation", OperationType.Subscription => "subscription", _ => "query" };
            var first = o.SelectionSet.Selections.OfType<GraphQLField>().FirstOrDefault()?.Name.StringValue ?? "";
            return $"{type} {first}".TrimEnd();
        });
    }

    private static readonly ConditionalWeakTable<GraphQLOperationDefinition, string> AnonymousLabels = new();
}
