using System.Collections.Generic;
using System.Linq;
using GraphQLParser;
using GraphQLParser.AST;
using GraphQLParser.Exceptions;
using Microsoft.CodeAnalysis;

namespace Klaviyo.Client.Generator;

/// <summary>
/// Reads one operation file against the schema: validates it (fields, arguments, selection sets,
/// fragments, variables and their types) and turns it into shapes for the emitter.
/// </summary>
internal sealed partial class OperationReader(SchemaModel schema, GraphQLSource source, List<Diagnostic> diagnostics)
{
    private Dictionary<string, GraphQLFragmentDefinition> _fragments = [];
    private Dictionary<string, VariableInfo> _variables = [];
    private HashSet<string> _usedVariables = [];
    private HashSet<string> _usedFragments = [];

    public List<OperationInfo> Operations { get; } = [];
    public Dictionary<string, FragmentInfo> Fragments { get; } = [];

    public void Read()
    {
        GraphQLDocument document;
        try
        {
            document = Parser.Parse(source.Text.ToString(), new ParserOptions { Ignore = IgnoreOptions.Comments });
        }
        catch (GraphQLParserException e)
        {
            Report(Diagnostics.Syntax, source.Locate(e.Location.Line, e.Location.Column, 1), e.Description);
            return;
        }

        _fragments = [];
        foreach (var fragment in document.Definitions.OfType<GraphQLFragmentDefinition>())
        {
            var name = fragment.FragmentName.Name.StringValue;
            var on = fragment.TypeCondition.Type.Name.StringValue;
            if (_fragments.ContainsKey(name))
                Report(Diagnostics.Fragment, source.Locate(fragment.FragmentName), $"There can be only one fragment named '{name}'");
            else if (!schema.IsComposite(on))
                Report(Diagnostics.Fragment, source.Locate(fragment.TypeCondition), $"Fragment '{name}' cannot condition on '{on}': it is not an object, interface or union type of the schema");
            else
                _fragments[name] = fragment;
        }
        foreach (var fragment in _fragments.Values)
            Fragments[fragment.FragmentName.Name.StringValue] = FragmentMembers(fragment);

        var operations = document.Definitions.OfType<GraphQLOperationDefinition>().ToList();
        if (operations.Count == 0)
            Report(Diagnostics.Operation, source.Locate(0, 0), "The file defines no operation");
        foreach (var operation in operations)
            ReadOperation(operation);
        foreach (var unused in _fragments.Keys.Where(f => !_usedFragments.Contains(f)))
            Report(Diagnostics.Fragment, source.Locate(_fragments[unused].FragmentName), $"Fragment '{unused}' is never used");
    }

    private void ReadOperation(GraphQLOperationDefinition operation)
    {
        if (operation.Name is null)
        {
            Report(Diagnostics.Operation, source.Locate(operation), "An operation needs a name: the client's method is named after it");
            return;
        }
        var name = operation.Name.StringValue;
        var rootType = operation.Operation switch
        {
            OperationType.Mutation => schema.MutationType,
            OperationType.Subscription => schema.SubscriptionType,
            _ => schema.QueryType,
        };
        if (!schema.Types.ContainsKey(rootType))
        {
            Report(Diagnostics.Operation, source.Locate(operation.Name), $"The schema has no {operation.Operation.ToString().ToLowerInvariant()} type");
            return;
        }

        _variables = [];
        _usedVariables = [];
        var info = new OperationInfo(name, operation.Operation, source.Text.ToString(), new Shape(rootType, name, ""));
        foreach (var variable in operation.Variables?.Items ?? [])
        {
            var variableName = variable.Variable.Name.StringValue;
            var typeName = SchemaModel.NamedType(variable.Type);
            if (!schema.Types.TryGetValue(typeName, out var type) || type.Kind is not (SchemaModel.Kind.Scalar or SchemaModel.Kind.Enum or SchemaModel.Kind.Input))
                Report(Diagnostics.Variable, source.Locate(variable.Type), $"Variable '${variableName}' has type '{typeName}', which is not an input type of the schema");
            var read = new VariableInfo(variableName, variable.Type, variable.DefaultValue is not null);
            _variables[variableName] = read;
            info.Variables.Add(read);
        }
        ReadSelections(operation.SelectionSet, info.Root, name, "");
        foreach (var unused in info.Variables.Where(v => !_usedVariables.Contains(v.Name)))
            Report(Diagnostics.Variable, source.Locate(operation.Variables?.Items.First(v => v.Variable.Name.StringValue == unused.Name)), $"Variable '${unused.Name}' is never used in operation '{name}'");
        if (operation.Operation == OperationType.Subscription && info.Root.Members.Count != 1)
            Report(Diagnostics.Operation, source.Locate(operation.Name), $"Subscription '{name}' must select exactly one root field");
        Operations.Add(info);
    }

    private void ReadSelections(GraphQLSelectionSet selections, Shape shape, string operation, string path, HashSet<string>? visiting = null)
    {
        var type = schema.Types[shape.SchemaType];
        foreach (var selection in selections.Selections)
        {
            switch (selection)
            {
                case GraphQLField field:
                    ReadField(field, type, shape, operation, path, visiting);
                    break;
                case GraphQLFragmentSpread spread:
                    {
                        var fragmentName = spread.FragmentName.Name.StringValue;
                        _usedFragments.Add(fragmentName);
                        if (!_fragments.TryGetValue(fragmentName, out var fragment))
                        {
                            Report(Diagnostics.Fragment, source.Locate(spread.FragmentName), $"Unknown fragment '{fragmentName}'");
                            break;
                        }
                        if (fragment.TypeCondition.Type.Name.StringValue != shape.SchemaType)
                        {
                            Report(Diagnostics.Fragment, source.Locate(spread), $"Fragment '{fragmentName}' is on '{fragment.TypeCondition.Type.Name.StringValue}'; here the type is '{shape.SchemaType}' (the client spreads fragments on their own type only)");
                            break;
                        }
                        visiting ??= [];
                        if (!visiting.Add(fragmentName))
                        {
                            Report(Diagnostics.Fragment, source.Locate(spread), $"Fragment '{fragmentName}' spreads itself");
                            break;
                        }
                        shape.Fragments.Add(fragmentName);
                        ReadSelections(fragment.SelectionSet, shape, operation, path, visiting);
                        visiting.Remove(fragmentName);
                        break;
                    }
                case GraphQLInlineFragment inline:
                    if (inline.TypeCondition is { } condition && condition.Type.Name.StringValue != shape.SchemaType)
                    {
                        Report(Diagnostics.Fragment, source.Locate(inline), $"An inline fragment on '{condition.Type.Name.StringValue}' inside '{shape.SchemaType}' is not supported by the client (only on the same type)");
                        break;
                    }
                    ReadSelections(inline.SelectionSet, shape, operation, path, visiting);
                    break;
            }
        }
    }

    private void ReadField(GraphQLField field, SchemaModel.TypeInfo type, Shape shape, string operation, string path, HashSet<string>? visiting)
    {
        var fieldName = field.Name.StringValue;
        if (fieldName == "__typename")
        {
            Add(shape, new Member(field.Alias?.Name.StringValue ?? fieldName, fieldName, new GraphQLNonNullType(new GraphQLNamedType(new GraphQLName("String"))), null));
            return;
        }
        if (!type.Fields.TryGetValue(fieldName, out var definition))
        {
            Report(Diagnostics.UnknownField, source.Locate(field.Name), fieldName, type.Name);
            return;
        }
        foreach (var argument in field.Arguments?.Items ?? [])
        {
            var argumentName = argument.Name.StringValue;
            if (!definition.Arguments.TryGetValue(argumentName, out var argumentType))
                Report(Diagnostics.UnknownArgument, source.Locate(argument.Name), argumentName, type.Name, fieldName);
            else
                CheckValue(argument.Value, argumentType, $"argument '{argumentName}' of '{type.Name}.{fieldName}'");
        }
        foreach (var required in definition.Arguments.Where(a => a.Value is GraphQLNonNullType && field.Arguments?.Items.Any(x => x.Name.StringValue == a.Key) != true))
            Report(Diagnostics.MissingArgument, source.Locate(field.Name), type.Name, fieldName, required.Key, Print(required.Value));

        var responseName = field.Alias?.Name.StringValue ?? fieldName;
        // @include/@skip may leave the field out of the response: its member is nullable whatever the schema says.
        var conditional = CheckDirectives(field.Directives);
        var member = new Member(responseName, fieldName, conditional && definition.Type is GraphQLNonNullType n ? n.Type : definition.Type, definition.Description, conditional);
        var namedType = SchemaModel.NamedType(definition.Type);
        var composite = schema.IsComposite(namedType);
        if (composite && field.SelectionSet is null)
        {
            Report(Diagnostics.SelectionSet, source.Locate(field.Name), $"Field '{fieldName}' of type '{Print(definition.Type)}' must have a selection of subfields");
            return;
        }
        if (!composite && field.SelectionSet is not null)
        {
            Report(Diagnostics.SelectionSet, source.Locate(field.SelectionSet), $"Field '{fieldName}' of type '{Print(definition.Type)}' is a leaf: it has no subfields to select");
            return;
        }
        if (composite)
        {
            if (schema.Types[namedType].Kind == SchemaModel.Kind.Union)
            {
                Report(Diagnostics.SelectionSet, source.Locate(field.Name), $"Field '{fieldName}' is the union '{namedType}', which the client does not support yet");
                return;
            }
            var childPath = path + "_" + responseName;
            var existing = shape.Find(responseName)?.Nested;
            var nested = existing ?? new Shape(namedType, operation, childPath);
            ReadSelections(field.SelectionSet!, nested, operation, childPath, visiting);
            member.Nested = nested;
        }
        Add(shape, member);
    }

    private static void Add(Shape shape, Member member)
    {
        // One response key, one member: a field selected twice (directly and in a fragment) is merged.
        if (shape.Find(member.ResponseName) is null)
            shape.Members.Add(member);
    }

    private FragmentInfo FragmentMembers(GraphQLFragmentDefinition fragment)
    {
        var info = new FragmentInfo(fragment.FragmentName.Name.StringValue, fragment.TypeCondition.Type.Name.StringValue);
        var type = schema.Types[info.SchemaType];
        foreach (var field in fragment.SelectionSet.Selections.OfType<GraphQLField>())
        {
            if (field.SelectionSet is null && type.Fields.TryGetValue(field.Name.StringValue, out var definition))
                info.Members.Add(new Member(field.Alias?.Name.StringValue ?? field.Name.StringValue, field.Name.StringValue, definition.Type, definition.Description));
        }
        return info;
    }

    private void Report(DiagnosticDescriptor descriptor, Microsoft.CodeAnalysis.Location location, params object[] arguments) =>
        diagnostics.Add(Diagnostic.Create(descriptor, location, arguments));
}
