using Klaviyo.Tests.Infrastructure;

namespace Klaviyo.Tests.Bench;

/// <summary>
/// Every <c>./bench</c> mode runs for a few seconds on a tiny account, so a bench that cannot start
/// (a service its composition misses, a changed setting) fails the suite instead of the next person
/// who measures. The figures are not judged here: only that each mode runs to its end and prints them.
/// </summary>
public sealed class BenchSmokeTests
{
    public static TheoryData<string, string[], string> Modes => new()
    {
        { "default", ["1", "2", "20000"], "Uncached overview" },
        { "push", ["push", "20", "1"], "computations" },
        { "soak", ["soak", "0.1", "5", "5"], "soak" },
        { "sync", ["sync", "2000", "5"], "ingest" },
        { "faults", ["faults", "malformed JSON"], "malformed JSON" },
        { "cluster", ["cluster", "50", "0.1"], "takeover" },
        { "alerts", ["alerts", "6", "1"], "recall" },
        { "accounts", ["accounts", "3", "3000", "30000", "5"], "freshness" },
        { "accounts-cluster", ["accounts-cluster", "4", "2"], "takeover" },
        { "portfolio-page", ["portfolio-page", "2", "3000", "2"], "every row" },
    };

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task The_bench_mode_runs_to_its_end_on_a_tiny_account(string mode, string[] arguments, string printed)
    {
        var (exitCode, output) = await DashboardProcess.RunBuiltAsync("Klaviyo.Bench", arguments, TimeSpan.FromMinutes(6), new Dictionary<string, string>());
        Assert.True(exitCode == 0, $"./bench {mode} exited with {exitCode}:\n{output[^Math.Min(output.Length, 4000)..]}");
        Assert.Contains(printed, output, StringComparison.OrdinalIgnoreCase);
    }
}
