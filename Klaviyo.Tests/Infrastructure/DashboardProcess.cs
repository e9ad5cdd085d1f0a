using System.Diagnostics;

namespace Klaviyo.Tests.Infrastructure;

/// <summary>Runs the built dashboard (Klaviyo.Web), or another of the solution's programs, as its own process in Production, as an operator would.</summary>
public static class DashboardProcess
{
    public static Task<(int ExitCode, string Output)> RunAsync(string[] arguments, params (string Name, string Value)[] environment) =>
        RunProjectAsync("Klaviyo.Web", arguments, environment);

    /// <summary>Runs <paramref name="project"/>'s built program over a throw-away database until it exits by itself (a refusal to start); 60 s at most.</summary>
    public static async Task<(int ExitCode, string Output)> RunProjectAsync(string project, string[] arguments, params (string Name, string Value)[] environment)
    {
        var database = Path.Combine(Path.GetTempPath(), $"klaviyo-process-{Guid.NewGuid():N}.db");
        var settings = new Dictionary<string, string> { ["ConnectionStrings__Klaviyo"] = $"Data Source={database}", ["Sync__Enabled"] = "false" };
        foreach (var (name, value) in environment)
            settings[name] = value;
        try
        {
            return await RunBuiltAsync(project, arguments, TimeSpan.FromSeconds(60), settings);
        }
        finally
        {
            foreach (var file in new[] { database, database + "-wal", database + "-shm", database + ".sandbox.json" })
                File.Delete(file);
        }
    }

    /// <summary>Runs <paramref name="project"/>'s build output with these arguments until it exits; a run past <paramref name="timeout"/> is killed and fails.</summary>
    public static async Task<(int ExitCode, string Output)> RunBuiltAsync(string project, string[] arguments, TimeSpan timeout, IReadOnlyDictionary<string, string> environment)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var folder = Path.Combine(RepositoryRoot.Path, project);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder };
        start.ArgumentList.Add(Path.Combine(folder, "bin", configuration, "net10.0", project + ".dll"));
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var expiry = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(expiry.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{project} {string.Join(' ', arguments)} was still running after {timeout.TotalSeconds:0} s.");
        }
        return (process.ExitCode, await output + await error);
    }
}
