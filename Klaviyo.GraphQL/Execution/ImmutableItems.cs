using GraphQL.Builders;
using GraphQL.Types;

namespace Klaviyo.GraphQL.Execution;

/// <summary>
/// Marks a list field whose items are immutable and whose every field is computed from the item alone
/// (no caller, clock, service or variable): for one list instance and one selection its JSON never changes,
/// so <see cref="ListJsonExecutionStrategy"/> serializes it once and writes those bytes again.
/// A cached payload's rows and buckets are such lists; a field that reads anything else must not be marked.
/// <see cref="WithImmutableFields{TSource, TReturn}"/> marks an object field the same way: its value is
/// immutable and every field under it is computed from that value alone.
/// </summary>
public static class ImmutableItems
{
    private const string Key = "Klaviyo.ImmutableItems";
    private const string FieldsKey = "Klaviyo.ImmutableFields";

    public static FieldBuilder<TSource, TReturn> WithImmutableItems<TSource, TReturn>(this FieldBuilder<TSource, TReturn> field)
    {
        field.FieldType.Metadata[Key] = true;
        return field;
    }

    public static FieldBuilder<TSource, TReturn> WithImmutableFields<TSource, TReturn>(this FieldBuilder<TSource, TReturn> field)
    {
        field.FieldType.Metadata[FieldsKey] = true;
        return field;
    }

    public static bool HasImmutableItems(this FieldType field) => field.GetMetadata(Key, false);

    public static bool HasImmutableFields(this FieldType field) => field.GetMetadata(FieldsKey, false);
}
