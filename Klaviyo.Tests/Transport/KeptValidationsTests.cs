using GraphQL;
using GraphQL.Validation;
using GraphQL.Validation.Rules;
using GraphQLParser.AST;
using Klaviyo.GraphQL.Execution;

namespace Klaviyo.Tests.Transport;

/// <summary>A kept validation answers only the same operation and variables, and only if it ran every rule asked for that does not read the caller.</summary>
public sealed class KeptValidationsTests
{
    private sealed class Caller : CallerRule
    {
        public override ValueTask CheckAsync(ValidationContext context) => ValueTask.CompletedTask;
    }

    private static readonly GraphQLOperationDefinition Operation =
        GraphQLParser.Parser.Parse("query Kept($first: Int!) { campaigns(first: $first) { nodes { id } } }").Definitions.OfType<GraphQLOperationDefinition>().Single();

    private static Inputs First(int first) => new Dictionary<string, object?> { ["first"] = first }.ToInputs();

    [Fact]
    public void A_validation_is_found_for_its_operation_and_variables_whatever_caller_rules_are_asked_for()
    {
        var kept = new KeptValidations();
        IValidationRule[] rules = [ScalarLeafs.Instance, new Caller()];
        kept.Keep(Operation, First(2), rules, new ValidationResult());

        Assert.NotNull(kept.Find(Operation, First(2), rules));
        Assert.NotNull(kept.Find(Operation, First(2), [ScalarLeafs.Instance, new Caller(), new Caller()]));
        Assert.Null(kept.Find(Operation, First(3), rules));
    }

    [Fact]
    public void A_validation_that_did_not_run_a_rule_now_asked_for_is_not_found()
    {
        var kept = new KeptValidations();
        kept.Keep(Operation, First(2), [ScalarLeafs.Instance], new ValidationResult());

        Assert.Null(kept.Find(Operation, First(2), [ScalarLeafs.Instance, KnownTypeNames.Instance]));
    }

    [Fact]
    public void A_failed_validation_or_heavy_variables_are_not_kept()
    {
        var kept = new KeptValidations();
        kept.Keep(Operation, First(2), [ScalarLeafs.Instance], new ValidationResult(new ValidationError("wrong")));
        var heavy = new Dictionary<string, object?> { ["first"] = new string('x', KeptValidations.MaxVariablesWeight) }.ToInputs();
        kept.Keep(Operation, heavy, [ScalarLeafs.Instance], new ValidationResult());

        Assert.Null(kept.Find(Operation, First(2), [ScalarLeafs.Instance]));
        Assert.Null(kept.Find(Operation, heavy, [ScalarLeafs.Instance]));
    }

    [Fact]
    public void The_oldest_of_more_variable_sets_than_are_kept_goes()
    {
        var kept = new KeptValidations();
        for (var first = 0; first <= KeptValidations.PerDocument; first++)
            kept.Keep(Operation, First(first), [ScalarLeafs.Instance], new ValidationResult());

        Assert.Null(kept.Find(Operation, First(0), [ScalarLeafs.Instance]));
        Assert.NotNull(kept.Find(Operation, First(1), [ScalarLeafs.Instance]));
        Assert.NotNull(kept.Find(Operation, First(KeptValidations.PerDocument), [ScalarLeafs.Instance]));
    }
}
