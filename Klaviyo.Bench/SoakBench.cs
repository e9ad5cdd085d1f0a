using System.Globalization;
using Klaviyo.Testing.Faults;

namespace Klaviyo.Bench;

/// <summary><c>./bench soak [minutes] [subscribers] [requests/s]</c>: the soak at full length with the product's own settings.</summary>
public static class SoakBench
{
    public static async Task RunAsync(string[] args)
    {
        var defaults = SoakOptions.Bench;
        var options = defaults with
        {
            Duration = args.Length > 0 ? TimeSpan.FromMinutes(double.Parse(args[0], CultureInfo.InvariantCulture)) : defaults.Duration,
            Subscribers = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : defaults.Subscribers,
            RequestsPerSecond = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : defaults.RequestsPerSecond,
        };
        Console.WriteLine($"Soak: {options.Duration.TotalMinutes:F0} min, {options.Subscribers} WebSocket subscribers, {options.RequestsPerSecond} mixed requests/s with a Refresh every {options.RefreshEvery.TotalSeconds:F0} s, " +
            $"the schedule syncing a living sandbox account; {Environment.ProcessorCount} cores (app and clients in one process)");
        var result = await Soak.RunAsync(options, FaultSuiteOptions.Bench with { Fast = false }, Console.WriteLine);
        result.Print(Console.Out);
    }
}
