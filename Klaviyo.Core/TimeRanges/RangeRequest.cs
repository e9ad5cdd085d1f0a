using Klaviyo.Core.Errors;

namespace Klaviyo.Core.TimeRanges;

/// <summary>
/// A range as the client asked for it — instants, calendar days or a preset — resolved only once
/// the account's time zone and the current instant are known (<see cref="CalendarRanges"/>).
/// </summary>
public sealed record RangeRequest(DateTime? Start, DateTime? End, DateOnly? From, DateOnly? To, RangePreset? Preset)
{
    public static RangeRequest Parse(IDictionary<string, object?> value)
    {
        object? Get(string name) => value.TryGetValue(name, out var v) ? v : null;
        var start = Get("start") as DateTime?;
        var end = Get("end") as DateTime?;
        var from = Get("from") as DateOnly?;
        var to = Get("to") as DateOnly?;
        var preset = Get("preset") as RangePreset?;
        var forms = (start is not null || end is not null ? 1 : 0) + (from is not null || to is not null ? 1 : 0) + (preset is not null ? 1 : 0);
        if (forms != 1)
            throw new InvalidInputError("Give the range one way: { start, end } instants, { from, to } calendar days, or { preset }.");
        if ((start is null) != (end is null))
            throw new InvalidInputError("Instants need both start and end.");
        if ((from is null) != (to is null))
            throw new InvalidInputError("Calendar days need both from and to.");
        if (start is not null)
            _ = new DateRange(start.Value, end!.Value); // validates order and length now, with the instants' own message
        if (from > to)
            throw new InvalidInputError($"'from' ({from:yyyy-MM-dd}) is after 'to' ({to:yyyy-MM-dd}).");
        return new RangeRequest(start, end, from, to, preset);
    }
}
