using System.Diagnostics;

namespace Klaviyo.Tests.Infrastructure;

/// <summary>Runs the built dashboard (Klaviyo.Web) as its own process in Production, as an operator would, over a throw-away database.</summary>
public static class DashboardProcess
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string[] arguments, params (string Name, string Value)[] environment)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{System.IO.Path.DirectorySeparatorChar}Release{System.IO.Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var web = System.IO.Path.Combine(RepositoryRoot.Path, "Klaviyo.Web");
        var dll = System.IO.Path.Combine(web, "bin", configuration, "net10.0", "Klaviyo.Web.dll");
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
                throw new TimeoutException("The dashboard kept running: it did not refuse to start.");
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
