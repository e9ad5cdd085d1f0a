using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Klaviyo.Testing.Processes;

/// <summary>A throwaway redis-server (Debian's redis-server package) on a free loopback port, nothing persisted; killed on dispose, and stopped and started again on the same port for outage tests.</summary>
public sealed class RedisServer : IDisposable
{
    private const string Binary = "/usr/bin/redis-server";
    private Process? _process;

    public int Port { get; }
    public string Configuration => $"127.0.0.1:{Port}";

    public RedisServer()
    {
        if (!File.Exists(Binary))
            throw new InvalidOperationException("redis-server is not installed: apt-get install -y redis-server (./test.sh does so as root).");
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        Start();
    }

    /// <summary>Starts the server (again, after <see cref="Stop"/>): empty, as after a crash without persistence.</summary>
    public void Start()
    {
        _process = Process.Start(new ProcessStartInfo(Binary, $"--port {Port} --bind 127.0.0.1 --save \"\" --appendonly no")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        _process.BeginOutputReadLine();
        var started = Stopwatch.StartNew();
        while (!Accepts())
        {
            if (started.Elapsed > TimeSpan.FromSeconds(10) || _process.HasExited)
                throw new InvalidOperationException($"redis-server did not start on port {Port}.");
            Thread.Sleep(20);
        }
    }

    private bool Accepts()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Kills the server: its clients see the connection drop.</summary>
    public void Stop()
    {
        if (_process is null)
            return;
        if (!_process.HasExited)
            _process.Kill();
        _process.WaitForExit();
        _process.Dispose();
        _process = null;
    }

    public void Dispose() => Stop();
}
