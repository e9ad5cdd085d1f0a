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
/// A list whose execution raised any error is not kept.
/// </summary>
public sealed class ListJsonExecutionStrategy(ListJsonCache cache, IGraphQLTextSerializer serializer) : ParallelExecutionStrategy
{
    private readonly ConditionalWeakTable<ExecutionContext, ConcurrentQueue<ArrayExecutionNode>> executed = new();

    protected override async Task SetArrayItemNodesAsync(ExecutionContext context, ArrayExecutionNode parent)
    {
        var keep = parent.Result is not null && parent.FieldDefinition.HasImmutableItems() && ConstantSelections.IsConstant(parent.Field, context.Document);
        if (keep && cache.Find(parent.Result!, parent.Field) is { } items)
        {
            parent.SerializedResult = items;
            return;
        }
        await base.SetArrayItemNodesAsync(context, parent);
        if (keep)
            executed.GetOrCreateValue(context).Enqueue(parent);
    }

    public override async Task<ExecutionResult> ExecuteAsync(ExecutionContext context)
    {
        // Only an execution that built a marked list has an entry here (once per list and selection):
        // the table is not touched otherwise, since its locks cost more than the rest of a served list.
        try
        {
            var result = await base.ExecuteAsync(context);
            if (executed.TryGetValue(context, out var lists) && context.Errors.Count == 0)
                foreach (var list in lists)
                    if (list.Items is { } items)
                        cache.Store(list.Result!, list.Field, [.. items.Select(item => new RawJson(Encoding.UTF8.GetBytes(serializer.Serialize(item.ToValue()))))]);
            return result;
        }
        finally
        {
            if (executed.TryGetValue(context, out _))
                executed.Remove(context);
        }
    }
}
