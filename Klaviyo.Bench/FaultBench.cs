using Klaviyo.Testing.Faults;

namespace Klaviyo.Bench;

/// <summary><c>./bench faults [scenario…]</c>: the fault suite at full length, with the product's own retry and sync settings.</summary>
public static class FaultBench
{
    public static async Task RunAsync(string[] only)
    {
        var options = FaultSuiteOptions.Bench;
        var scenarios = only.Length > 0 ? only : FaultSuite.Scenarios;
        Console.WriteLine($"Fault suite: Klaviyo faults {options.FaultFor.TotalSeconds:F0} s, long outage {options.OutageFor.TotalSeconds:F0} s, database down {options.DatabaseDownFor.TotalSeconds:F0} s; " +
            "a living sandbox account (5 events/s); goals: lost 0, duplicated 0, rollups equal, no 5xx. Sections: overview and campaigns no longer FALLBACK; all clean: every entity, reports included (bound by Klaviyo's reporting tier, 2 calls/min)");
        FaultRow.PrintHeader(Console.Out);
        var suite = new FaultSuite(options);
        foreach (var scenario in scenarios)
            (await suite.RunAsync(scenario)).Print(Console.Out);
    }
}
