using GraphQL;
using GraphQL.Execution;
using GraphQL.Validation;
using GraphQLParser.AST;

namespace Klaviyo.GraphQL.Execution;

/// <summary>
/// A cached document's successful validations, each for one operation and one set of variables, with the rules
/// it ran. The coerced variables and parsed arguments they hold are what executing the operation reads, and
/// GraphQL.NET copies them before executing, so one kept validation serves concurrent requests.
/// </summary>
public sealed class KeptValidations
{
    /// <summary>Where <see cref="KeptValidator"/> finds the request's document's validations in the user context.</summary>
    public const string UserContextKey = "Klaviyo.KeptValidations";

    /// <summary>Validations kept per document: a client sending new variables each time cannot grow its memory.</summary>
    public const int PerDocument = 8;

    /// <summary>Variables heavier than this (<see cref="InputValues.Weight"/>) are validated every time, not kept.</summary>
    public const int MaxVariablesWeight = 2048;

    private sealed record Kept(GraphQLOperationDefinition Operation, Inputs Variables, IValidationRule[] Ran, IValidationResult Result);

    private Kept[] kept = [];

    /// <summary>
    /// The validation kept for this operation and these variables, if it ran every rule in <paramref name="rules"/>
    /// that does not read the caller; null otherwise.
    /// </summary>
    public IValidationResult? Find(GraphQLOperationDefinition operation, Inputs variables, IEnumerable<IValidationRule> rules)
    {
        foreach (var entry in Volatile.Read(ref kept))
            if (ReferenceEquals(entry.Operation, operation) && InputValues.Same(entry.Variables, variables) && RanAll(entry, rules))
                return entry.Result;
        return null;
    }

    public void Keep(GraphQLOperationDefinition operation, Inputs variables, IEnumerable<IValidationRule> rules, IValidationResult result)
    {
        if (!result.IsValid || InputValues.Weight(variables) > MaxVariablesWeight)
            return;
        var entry = new Kept(operation, variables, [.. rules.Where(rule => rule is not CallerRule)], new Valid(result));
        lock (this)
        {
            var current = Volatile.Read(ref kept);
            Volatile.Write(ref kept, [.. current.Length < PerDocument ? current : current[1..], entry]);
        }
    }

    private static bool RanAll(Kept entry, IEnumerable<IValidationRule> rules)
    {
        foreach (var rule in rules)
            if (rule is not CallerRule && Array.IndexOf(entry.Ran, rule) < 0)
                return false;
        return true;
    }

    /// <summary>A passed validation's values, with no error list for a reader to create and share by accident.</summary>
    private sealed class Valid(IValidationResult passed) : IValidationResult
    {
        public bool IsValid => true;
        public ExecutionErrors Errors => [];
        public Variables? Variables { get; } = passed.Variables;
        public IReadOnlyDictionary<GraphQLField, IDictionary<string, ArgumentValue>>? ArgumentValues { get; } = passed.ArgumentValues;
        public IReadOnlyDictionary<ASTNode, IDictionary<string, DirectiveInfo>>? DirectiveValues { get; } = passed.DirectiveValues;
    }
}
