using GraphQL.Validation;
using GraphQLParser.AST;
using Klaviyo.Core.Errors;
using Klaviyo.Core.Security;
using Klaviyo.GraphQL.Execution;

namespace Klaviyo.GraphQL.Security;

/// <summary>
/// The operation rate limits, counted once per request while it is validated — one place for
/// both transports: a mutation takes a permit, and one that selects <c>refreshData</c> (directly or
/// through a fragment) takes a refresh permit too. The transport names the caller in the user
/// context (<see cref="PartitionKey"/>); HTTP answers a refusal 429 with Retry-After.
/// </summary>
public sealed class OperationRateLimitRule(OperationRateLimiter limiter) : CallerRule
{
    public const string PartitionKey = "rateLimitPartition";

    public override async ValueTask CheckAsync(ValidationContext context)
    {
        if (context.Operation.Operation != OperationType.Mutation || context.UserContext.TryGetValue(PartitionKey, out var value) is false || value is not string partition)
            return;
        var refresh = (await SelectedFields.OfAsync(context)).Any(field => field.Node.Name.StringValue == "refreshData" && field.Parent == context.Schema.Mutation);
        if (limiter.TryAcquire(partition, mutation: true, refresh) is { } wait)
            context.ReportError(new RateLimitedError(context.Document.Source, wait, context.Operation));
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
