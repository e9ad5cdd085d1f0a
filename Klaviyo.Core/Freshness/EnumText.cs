using System.Collections.Frozen;

namespace Klaviyo.Core.Freshness;

/// <summary>
/// An enum value's name, looked up rather than formatted: cache keys are built on every read, and the runtime's
/// own enum formatting re-initialized its per-type information on nearly every call in a profile of the overview.
/// </summary>
public static class EnumText<T> where T : struct, Enum
{
    private static readonly FrozenDictionary<T, string> Names = Enum.GetValues<T>().Distinct().ToFrozenDictionary(v => v, v => v.ToString());

    public static string Of(T value) => Names.TryGetValue(value, out var name) ? name : value.ToString();

    public static string Of(T? value) => value is { } known ? Of(known) : "";
}
