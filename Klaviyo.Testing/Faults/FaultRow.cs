namespace Klaviyo.Testing.Faults;

/// <summary>One fault: what the dashboard showed during it, what it cost the data, how long until all was normal again.</summary>
/// <param name="Recovery">From the fault's end until every entity (reports included) is clean and an events sync succeeded; null when it did not recover (see <paramref name="Note"/>).</param>
/// <param name="SectionsRecovery">From the fault's end until the overview and the campaign table are no longer FALLBACK.</param>
public sealed record FaultRow(string Scenario, IReadOnlyList<string> Shown, Integrity Integrity, TimeSpan? Recovery, int ServerErrors, string? Note = null, TimeSpan? SectionsRecovery = null)
{
    public bool Clean => Integrity is { Lost: 0, Duplicated: 0, RollupsEqual: true } && ServerErrors == 0;

    public static void PrintHeader(TextWriter output) =>
        output.WriteLine($"{"fault",-26} {"dashboard showed",-58} {"events",7} {"lost",5} {"dup",4} {"rollups",8} {"sections in",12} {"all clean in",13}  5xx");

    public void Print(TextWriter output) =>
        output.WriteLine($"{Scenario,-26} {string.Join(" → ", Shown),-58} {Integrity.Events,7} {Integrity.Lost,5} {Integrity.Duplicated,4} {(Integrity.RollupsEqual ? "equal" : "DIFFER"),8} {(SectionsRecovery is { } s ? $"{s.TotalSeconds:F1} s" : "—"),12} {(Recovery is { } r ? $"{r.TotalSeconds:F1} s" : Note ?? "no"),13}  {ServerErrors}");
}
