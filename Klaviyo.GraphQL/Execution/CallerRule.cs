using GraphQL.Validation;

namespace Klaviyo.GraphQL.Execution;

/// <summary>
/// A validation rule that reads the caller or the moment (roles, rate limits), so it runs on every request —
/// also when <see cref="KeptValidator"/> serves a document's validation kept from an earlier request. It checks
/// what the document selects (<see cref="SelectedFields"/>) instead of walking the document each time.
/// </summary>
public abstract class CallerRule : ValidationRuleBase
{
    /// <summary>Reports this rule's errors to <paramref name="context"/>, whose <c>TypeInfo</c> may be unset.</summary>
    public abstract ValueTask CheckAsync(ValidationContext context);

    public sealed override async ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context)
    {
        await CheckAsync(context);
        return null;
    }
}
