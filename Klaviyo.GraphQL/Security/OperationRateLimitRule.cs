using GraphQL.Validation;
using GraphQLParser.AST;
using Klaviyo.Core.Errors;
using Klaviyo.Core.Security;

namespace Klaviyo.GraphQL.Security;

/// <summary>
/// The operation rate limits, counted once per document while it is validated — one place for
/// both transports: a mutation takes a permit, and one that selects <c>refreshData</c> (directly or
/// through a fragment) takes a refresh permit too. The transport names the caller in the user
/// context (<see cref="PartitionKey"/>); HTTP answers a refusal 429 with Retry-After.
/// </summary>
public sealed class OperationRateLimitRule(OperationRateLimiter limiter) : ValidationRuleBase
{
    public const string PartitionKey = "rateLimitPartition";

    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context)
    {
        if (context.Operation.Operation != OperationType.Mutation || context.UserContext.TryGetValue(PartitionKey, out var value) is false || value is not string partition)
            return new((INodeVisitor?)null);
        var refresh = false;
        return new(new NodeVisitors(
            new MatchingNodeVisitor<GraphQLField>((field, ctx) =>
                refresh |= field.Name.StringValue == "refreshData" && ctx.TypeInfo.GetParentType() == ctx.Schema.Mutation),
            new MatchingNodeVisitor<GraphQLDocument>(leave: (document, ctx) =>
            {
                if (limiter.TryAcquire(partition, mutation: true, refresh) is { } wait)
                    ctx.ReportError(new RateLimitedError(ctx.Document.Source, wait, context.Operation));
            })));
    }
}

/// <summary>Too many mutations (or refreshes) from one caller; <see cref="RetryAfter"/> says when to try again.</summary>
public sealed class RateLimitedError : ValidationError
{
    public RateLimitedError(GraphQLParser.ROM source, TimeSpan retryAfter, ASTNode node)
        : base(source, null, $"Too many mutations; try again in {Math.Max(1, Math.Ceiling(retryAfter.TotalSeconds))} s.", node)
    {
        RetryAfter = retryAfter;
        Code = ErrorCodes.RateLimited;
    }

    public TimeSpan RetryAfter { get; }
}
