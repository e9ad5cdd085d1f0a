using GraphQL.Validation;

namespace Klaviyo.GraphQL.Execution;

/// <summary>
/// GraphQL.NET's validator, except for a cached document sent again with the same variables: then only the
/// <see cref="CallerRule"/>s run, and the rest of the answer — the specification's rules, complexity, the coerced
/// variables and parsed arguments, which read nothing but the document, the schema and the variables — is the one
/// kept the first time (<see cref="KeptValidations"/>). Validating walked the document four times per request and
/// cost more than executing it from the field cache. Every rule that is not a <see cref="CallerRule"/> must read
/// only the document, the schema and the variables.
/// </summary>
public sealed class KeptValidator : IDocumentValidator
{
    private readonly DocumentValidator validator = new();
    private long _served;

    /// <summary>Requests answered with a kept validation.</summary>
    public long Served => Interlocked.Read(ref _served);

    public Task<IValidationResult> ValidateAsync(in ValidationOptions options)
    {
        var rules = options.Rules ?? DocumentValidator.CoreRules;
        if (options.UserContext?.TryGetValue(KeptValidations.UserContextKey, out var value) != true || value is not KeptValidations validations)
            return validator.ValidateAsync(options);
        if (validations.Find(options.Operation, options.Variables, rules) is { } kept)
        {
            Interlocked.Increment(ref _served);
            return CheckCallerAsync(options, rules, kept);
        }
        return ValidateAndKeepAsync(options, rules, validations);
    }

    private async Task<IValidationResult> ValidateAndKeepAsync(ValidationOptions options, IEnumerable<IValidationRule> rules, KeptValidations validations)
    {
        var result = await validator.ValidateAsync(options);
        validations.Keep(options.Operation, options.Variables, rules, result);
        return result;
    }

    private static async Task<IValidationResult> CheckCallerAsync(ValidationOptions options, IEnumerable<IValidationRule> rules, IValidationResult kept)
    {
        var context = new ValidationContext
        {
            Schema = options.Schema,
            Document = options.Document,
            Operation = options.Operation,
            UserContext = options.UserContext,
            Variables = options.Variables,
            Extensions = options.Extensions,
            Metrics = options.Metrics,
            RequestServices = options.RequestServices,
            User = options.User,
            CancellationToken = options.CancellationToken,
        };
        foreach (var rule in rules)
            if (rule is CallerRule caller)
                await caller.CheckAsync(context);
        return context.HasErrors ? new ValidationResult(context.Errors) : kept;
    }
}
