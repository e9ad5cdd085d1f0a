using Klaviyo.Core.Errors;

namespace Klaviyo.GraphQL.Paging;

/// <summary>Relay paging arguments, validated: page size 1–100, cursors this server issued.</summary>
public sealed record PageRequest(int? First, string? After, int? Last, string? Before)
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    /// <summary>The zero-based offset and row count to read, given the total number of rows.</summary>
    public (int Offset, int Count) Resolve(int totalCount)
    {
        if (First is not null && Last is not null)
            throw new InvalidInputError("Pass either 'first' or 'last', not both.");
        CheckSize(First, "first");
        CheckSize(Last, "last");

        var start = After is null ? 0 : OffsetCursor.Decode(After) + 1;
        var end = Before is null ? totalCount : Math.Min(OffsetCursor.Decode(Before), totalCount);
        start = Math.Min(start, end);

        if (Last is int last)
            return (Math.Max(start, end - last), Math.Min(last, end - start));
        var first = First ?? DefaultPageSize;
        return (start, Math.Min(first, end - start));
    }

    private static void CheckSize(int? size, string name)
    {
        if (size is < 1 or > MaxPageSize)
            throw new InvalidInputError($"'{name}' must be between 1 and {MaxPageSize}; got {size}.");
    }
}
