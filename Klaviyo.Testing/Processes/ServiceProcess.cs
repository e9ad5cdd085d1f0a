using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Klaviyo.Testing.Processes;

/// <summary>
/// One of the solution's services (Klaviyo.GraphQL, Klaviyo.Web, Klaviyo.Sandbox, Klaviyo.LoadBalancer)
/// as its own process, from its build output in this assembly's configuration, on a loopback port;
/// settings go in as environment variables. <see cref="Kill"/> is SIGKILL: no shutdown, no lease release.
/// </summary>
public sealed class ServiceProcess : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter? _log;

    private ServiceProcess(Process process, Uri address, StreamWriter? log)
    {
        _process = process;
        Address = address;
        _log = log;
    }

    public Uri Address { get; }
    public bool HasExited => _process.HasExited;

    /// <summary>The process's resident memory now (the app itself: it runs as <c>dotnet App.dll</c>).</summary>
    public long WorkingSet
    {
        get
        {
            _process.Refresh();
            return _process.WorkingSet64;
        }
    }

    /// <param name="log">A file that receives the process's output (for a failing test to show); none, and it is drained.</param>
    public static ServiceProcess Start(string project, int port, IReadOnlyDictionary<string, string?> settings, string environment = "Production", string? log = null, IEnumerable<string>? arguments = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(Assembly(project))! };
        start.ArgumentList.Add(Assembly(project));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        foreach (var argument in arguments ?? [])
            start.ArgumentList.Add(argument);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        foreach (var (key, value) in settings)
        {
            if (value is not null)
                start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{project} did not start.");
        var writer = log is null ? null : new StreamWriter(log, append: true) { AutoFlush = true };
        // Drained (or logged) so that a full pipe never blocks the process.
        process.OutputDataReceived += (_, e) => Write(writer, e.Data);
        process.ErrorDataReceived += (_, e) => Write(writer, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ServiceProcess(process, new Uri($"http://127.0.0.1:{port}/"), writer);
    }

    private static void Write(StreamWriter? writer, string? line)
    {
        if (writer is null || line is null)
            return;
        lock (writer)
            writer.WriteLine(line);
    }

    /// <summary>Waits until <paramref name="path"/> answers 200 (the process is up), or fails if it exits first.</summary>
    public async Task WaitUntilAnswersAsync(string path, TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(2) };
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < timeout)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"The process at {Address} exited with {_process.ExitCode}.");
            try
            {
                using var response = await http.GetAsync(path);
                if (response.IsSuccessStatusCode)
                    return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"{Address}{path.TrimStart('/')} did not answer within {timeout}.");
    }

    /// <summary>SIGKILL, and waits for the process to be gone.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
        _log?.Dispose();
    }

    /// <summary>The project's built assembly, beside this one's project, in the same configuration.</summary>
    public static string Assembly(string project)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Klaviyo.sln")))
                return Path.Combine(folder.FullName, project, "bin", configuration, "net10.0", project + ".dll");
        }
        throw new FileNotFoundException("Klaviyo.sln was not found above " + AppContext.BaseDirectory);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
