using GraphQL;
using GraphQL.Introspection;
using GraphQL.Resolvers;
using GraphQL.Types;
using GraphQLParser.AST;

namespace Klaviyo.GraphQL.Schema;

/// <summary>
/// What GraphQL.NET 8's introspection lacks for tools that probe for the current spec (graphql-js's
/// getIntrospectionQuery with every option, Apollo, JetBrains): <c>@specifiedBy(url:)</c> declared and
/// applied to our date scalars with <c>__Type.specifiedByURL</c> reading it back (October 2021), and
/// <c>__Directive.args(includeDeprecated:)</c> (input value deprecation). The rest (isRepeatable,
/// isOneOf, includeDeprecated on fields' args and input fields) are GraphQL.NET features switched on
/// in <see cref="KlaviyoSchema"/>.
/// </summary>
public static class IntrospectionUpgrades
{
    public const string Name = "specifiedBy";

    private static readonly Dictionary<Type, string> Urls = new()
    {
        [typeof(DateTimeGraphType)] = "https://scalars.graphql.org/andimarek/date-time.html",
        [typeof(DateTimeOffsetGraphType)] = "https://scalars.graphql.org/andimarek/date-time.html",
        [typeof(DateOnlyGraphType)] = "https://scalars.graphql.org/andimarek/local-date.html",
    };

    public sealed class SpecifiedByDirective : Directive
    {
        public SpecifiedByDirective()
            : base(IntrospectionUpgrades.Name, DirectiveLocation.Scalar)
        {
            Description = "Where a custom scalar's format is specified.";
            Arguments = new QueryArguments(new QueryArgument<NonNullGraphType<StringGraphType>> { Name = "url", Description = "The specification's address." });
        }

        /// <summary>A type-system directive is hidden from introspection by default; this one is in the spec.</summary>
        public override bool? Introspectable => true;
    }

    /// <summary>
    /// <c>@oneOf</c>: GraphQL.NET validates OneOf input objects (<see cref="IInputObjectGraphType.IsOneOf"/>,
    /// shown by <c>__Type.isOneOf</c>) but does not declare the directive that marks them in SDL.
    /// </summary>
    public sealed class OneOfDirective : Directive
    {
        public OneOfDirective()
            : base("oneOf", DirectiveLocation.InputObject)
        {
            Description = "Exactly one field of this input object must be given, and not null.";
        }

        public override bool? Introspectable => true;
    }

    // GraphQL.NET's built-in scalars are shared by every schema in the process: two schemas initialized at
    // once (two hosts starting) would both see no @specifiedBy and both apply it, which the schema refuses.
    private static readonly Lock Gate = new();

    /// <summary>Called for every type before the schema initializes it.</summary>
    public static void Apply(IGraphType graphType)
    {
        lock (Gate)
            ApplyOnce(graphType);
    }

    private static void ApplyOnce(IGraphType graphType)
    {
        if (graphType is ScalarGraphType scalar && Urls.TryGetValue(scalar.GetType(), out var url) && !scalar.HasAppliedDirectives())
            scalar.ApplyDirective(Name, "url", url);
        else if (graphType is __Type type && !type.HasField("specifiedByURL"))
            type.Field<StringGraphType>("specifiedByURL")
                .Description("The address of the specification of a custom scalar's format.")
                .Resolve(context => context.Source is ScalarGraphType s ? s.FindAppliedDirective(Name)?.FindArgument("url")?.Value as string : null);
        else if (graphType is __Directive directive && directive.GetField("args") is { } args && args.Arguments?.Find("includeDeprecated") is null)
            AddIncludeDeprecated(args);
    }

    private static void AddIncludeDeprecated(FieldType args)
    {
        args.Arguments ??= [];
        args.Arguments.Add(new QueryArgument<BooleanGraphType> { Name = "includeDeprecated", DefaultValue = false, Description = "Also the deprecated arguments." });
        var all = args.Resolver ?? throw new InvalidOperationException("__Directive.args has no resolver.");
        args.Resolver = new FuncFieldResolver<object?>(async context =>
        {
            var arguments = await all.ResolveAsync(context);
            return context.GetArgument<bool>("includeDeprecated") || arguments is not IEnumerable<QueryArgument> list
                ? arguments
                : list.Where(a => a.DeprecationReason is null).ToList();
        });
    }
}
