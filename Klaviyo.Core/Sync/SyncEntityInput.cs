using Klaviyo.Core.Data;

namespace Klaviyo.Core.Sync;

public static class SyncEntityInput
{
    /// <summary>The distinct entities an input names under <paramref name="field"/>; every entity when null or empty.</summary>
    /// <summary>Whether the input names any entity in this field (null and empty name none).</summary>
    public static bool HasEntities(this IDictionary<string, object?> input, string field) =>
        input.TryGetValue(field, out var value) && value is IEnumerable<object> list && list.Any();

    public static IReadOnlyList<SyncEntity> EntitiesOrAll(this IDictionary<string, object?> input, string field) =>
        (input.TryGetValue(field, out var value) ? value as IEnumerable<object> : null)?.Cast<SyncEntity>().Distinct().ToList() is { Count: > 0 } list
            ? list
            : Enum.GetValues<SyncEntity>();
}
