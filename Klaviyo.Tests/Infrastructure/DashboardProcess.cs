using System.Diagnostics;

namespace Klaviyo.Tests.Infrastructure;

/// <summary>Runs the built dashboard (Klaviyo.Web), or another of the solution's services, as its own process in Production, as an operator would, over a throw-away database.</summary>
public static class DashboardProcess
{
    public static Task<(int ExitCode, string Output)> RunAsync(string[] arguments, params (string Name, string Value)[] environment) =>
        RunProjectAsync("Klaviyo.Web", arguments, environment);

    /// <summary>Runs <paramref name="project"/>'s built program until it exits by itself (a refusal to start); 60 s at most.</summary>
    public static async Task<(int ExitCode, string Output)> RunProjectAsync(string project, string[] arguments, params (string Name, string Value)[] environment)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{System.IO.Path.DirectorySeparatorChar}Release{System.IO.Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var web = System.IO.Path.Combine(RepositoryRoot.Path, project);
        var dll = System.IO.Path.Combine(web, "bin", configuration, "net10.0", project + ".dll");
        var database = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"klaviyo-process-{Guid.NewGuid():N}.db");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = web };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ConnectionStrings__Klaviyo"] = $"Data Source={database}";
        start.Environment["Sync__Enabled"] = "false";
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{project} kept running: it did not refuse to start.");
            }
            return (process.ExitCode, await output + await error);
        }
        finally
        {
            foreach (var file in new[] { database, database + "-wal", database + "-shm", database + ".sandbox.json" })
                File.Delete(file);
        }
    }
}
