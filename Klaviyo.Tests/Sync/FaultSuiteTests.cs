using Klaviyo.Testing.Faults;
using Xunit.Abstractions;

namespace Klaviyo.Tests.Sync;

/// <summary>
/// The fault suite of <c>./bench faults</c>, shortened (seconds-long faults, 1 s retries): every fault
/// ends with nothing lost or duplicated, rollups equal to the events, no 5xx, and normal answers again.
/// </summary>
public sealed class FaultSuiteTests(ITestOutputHelper output)
{
    public static TheoryData<string> Scenarios => [.. FaultSuite.Scenarios];

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task A_fault_loses_and_duplicates_nothing_and_the_app_recovers(string scenario)
    {
        var row = await new FaultSuite(FaultSuiteOptions.Short).RunAsync(scenario);
        var text = new StringWriter();
        FaultRow.PrintHeader(text);
        row.Print(text);
        output.WriteLine(text.ToString());

        Assert.True(row.Integrity.Events > 0);
        Assert.Equal((0L, 0L, true), (row.Integrity.Lost, row.Integrity.Duplicated, row.Integrity.RollupsEqual));
        Assert.Equal(0, row.ServerErrors);
        if (scenario == "report budget spent")
            Assert.Contains(row.Shown, s => s.Contains("KLAVIYO_REPORT_LIMIT", StringComparison.Ordinal) && s.Contains("FALLBACK", StringComparison.Ordinal));
        else
            Assert.NotNull(row.Recovery);
        if (scenario is "long outage" or "key revoked mid-run" or "database unreachable")
            Assert.Contains(row.Shown, s => !ApiProbe.IsNormal(s)); // the fault was visible, not hidden behind a stale LIVE
    }
}
