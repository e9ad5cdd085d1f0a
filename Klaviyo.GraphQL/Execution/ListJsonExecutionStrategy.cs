using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;
using GraphQL;
using GraphQL.Execution;
using ExecutionContext = GraphQL.Execution.ExecutionContext;

namespace Klaviyo.GraphQL.Execution;

/// <summary>
/// GraphQL.NET's parallel strategy, except that a list marked <see cref="ImmutableItems"/> is executed once
/// per list and selection: afterwards its items' JSON is written from <see cref="ListJsonCache"/> without
/// building, resolving or serializing their fields (for <c>campaigns(first: 50)</c>, 500 of 510 fields).
/// An object marked with immutable fields likewise: its fields are written from their kept JSON (an overview's
/// eight KPI cards). A list or object whose execution raised any error is not kept.
/// </summary>
public sealed class ListJsonExecutionStrategy(ListJsonCache cache, IGraphQLTextSerializer serializer) : ParallelExecutionStrategy
{
    private readonly ConditionalWeakTable<ExecutionContext, ConcurrentQueue<ExecutionNode>> executed = new();

    protected override async Task SetArrayItemNodesAsync(ExecutionContext context, ArrayExecutionNode parent)
    {
        var keep = parent.Result is not null && parent.FieldDefinition.HasImmutableItems() && ConstantSelections.IsConstant(parent.Field, context.Document);
        if (keep && cache.Find<RawJson>(parent.Result!, parent.Field) is { } items)
        {
            parent.SerializedResult = items;
            return;
        }
        await base.SetArrayItemNodesAsync(context, parent);
        if (keep)
            executed.GetOrCreateValue(context).Enqueue(parent);
    }

    protected override void SetSubFieldNodes(ExecutionContext context, ObjectExecutionNode parent)
    {
        var keep = parent is not RootExecutionNode && parent.Result is not null && parent.FieldDefinition.HasImmutableFields()
            && ConstantSelections.IsConstant(parent.Field, context.Document);
        if (keep && cache.Find<ListJsonCache.KeptField>(parent.Result!, parent.Field) is { } fields)
        {
            var nodes = new ExecutionNode[fields.Length];
            for (var i = 0; i < fields.Length; i++)
                nodes[i] = new KeptNode(parent, fields[i]);
            parent.SubFields = nodes;
            return;
        }
        base.SetSubFieldNodes(context, parent);
        if (keep)
            executed.GetOrCreateValue(context).Enqueue(parent);
    }

    // A kept field was resolved when its JSON was kept: nothing runs.
    protected override Task ExecuteNodeAsync(ExecutionContext context, ExecutionNode node) =>
        node is KeptNode ? Task.CompletedTask : base.ExecuteNodeAsync(context, node);

    public override async Task<ExecutionResult> ExecuteAsync(ExecutionContext context)
    {
        // Only an execution that built a marked list or object has an entry here (once per value and selection):
        // the table is not touched otherwise, since its locks cost more than the rest of a served list.
        try
        {
            var result = await base.ExecuteAsync(context);
            if (executed.TryGetValue(context, out var nodes) && context.Errors.Count == 0)
                foreach (var node in nodes)
                    Keep(node);
            return result;
        }
        finally
        {
            if (executed.TryGetValue(context, out _))
                executed.Remove(context);
        }
    }

    private void Keep(ExecutionNode node)
    {
        if (node is ArrayExecutionNode { Items: { } items })
            cache.Store(node.Result!, node.Field, [.. items.Select(item => Json(item.ToValue()))]);
        else if (node is ObjectExecutionNode { SubFields: { } fields })
            cache.Store(node.Result!, node.Field, [.. fields.Select(f => new ListJsonCache.KeptField(f.Field, f.FieldDefinition, f.GraphType, Json(f.ToValue())))]);
    }

    private RawJson Json(object? value) => new(Encoding.UTF8.GetBytes(serializer.Serialize(value)));

    /// <summary>A field written from its kept JSON.</summary>
    private sealed class KeptNode(ExecutionNode parent, ListJsonCache.KeptField field)
        : ExecutionNode(parent, field.GraphType, field.Field, field.Definition, indexInParentNode: null)
    {
        public override object? ToValue() => field.Json;

        public override bool PropagateNull() => false;
    }
}
