using System.Text.Json.Nodes;

namespace Klaviyo.Testing.Processes;

/// <summary>
/// Several instances of the app as separate processes on one SQLite file and one redis-server,
/// sharing one standalone sandbox (Klaviyo.Sandbox) through Klaviyo:BaseUrl, optionally behind the
/// YARP load balancer (Klaviyo.LoadBalancer): what <c>./cluster</c> runs, on a laptop's scale, for
/// tests and benchmarks that kill instances for real.
/// </summary>
public sealed class ProcessCluster : IDisposable
{
    private readonly string _folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"klaviyo-cluster-{Guid.NewGuid():N}")).FullName;
    private readonly ProcessClusterOptions _options;
    private readonly ServiceProcess?[] _instances;
    private readonly int[] _ports;

    public RedisServer Redis { get; } = new();
    public ServiceProcess Sandbox { get; }
    public ServiceProcess? Balancer { get; private set; }
    public string DatabasePath => Path.Combine(_folder, "klaviyo.db");
    public string SandboxAnchor => Path.Combine(_folder, "sandbox.json");
    public int Count => _instances.Length;

    private ProcessCluster(ProcessClusterOptions options)
    {
        _options = options;
        _instances = new ServiceProcess?[options.Instances];
        _ports = [.. Enumerable.Range(0, options.Instances).Select(_ => ServiceProcess.FreePort())];
        Sandbox = ServiceProcess.Start("Klaviyo.Sandbox", ServiceProcess.FreePort(), new Dictionary<string, string?>(options.Sandbox) { ["Sandbox:AnchorFile"] = SandboxAnchor },
            log: Log("sandbox"));
    }

    public static async Task<ProcessCluster> StartAsync(ProcessClusterOptions options)
    {
        var cluster = new ProcessCluster(options);
        try
        {
            await cluster.Sandbox.WaitUntilAnswersAsync("/health", TimeSpan.FromSeconds(60));
            // The first instance migrates the database before the others start on it.
            for (var i = 0; i < options.Instances; i++)
                await cluster.StartInstanceAsync(i);
            if (options.Balancer)
            {
                var port = ServiceProcess.FreePort();
                cluster.Balancer = ServiceProcess.Start("Klaviyo.LoadBalancer", port, new Dictionary<string, string?>(), log: cluster.Log("balancer"),
                    arguments: cluster._ports.Select((p, i) => $"--Destinations:{i}=http://127.0.0.1:{p}"));
                await cluster.Balancer.WaitUntilAnswersAsync("/health/live", TimeSpan.FromSeconds(60));
            }
            return cluster;
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    public string InstanceId(int i) => $"instance-{i + 1}";

    public Uri Address(int i) => new($"http://127.0.0.1:{_ports[i]}/");

    public bool IsRunning(int i) => _instances[i] is { HasExited: false };

    /// <summary>Instance <paramref name="i"/>'s resident memory; 0 when it is not running.</summary>
    public long WorkingSetOf(int i) => IsRunning(i) ? _instances[i]!.WorkingSet : 0;

    /// <summary>Starts (or restarts, after a kill) instance <paramref name="i"/> on its port and waits until it answers.</summary>
    public async Task StartInstanceAsync(int i)
    {
        _instances[i]?.Dispose();
        var settings = new Dictionary<string, string?>(_options.Settings)
        {
            ["ConnectionStrings:Klaviyo"] = $"Data Source={DatabasePath}",
            ["Coordination:Enabled"] = "true",
            ["Coordination:Redis"] = Redis.Configuration,
            ["Coordination:InstanceId"] = InstanceId(i),
            ["Coordination:Address"] = Address(i).ToString(),
            ["Sandbox:Enabled"] = "false",
            ["Klaviyo:BaseUrl"] = new Uri(Sandbox.Address, "sandbox/klaviyo").ToString(),
        };
        if (_options.Admin is { } admin)
            (settings["Security:BootstrapAdmin:Email"], settings["Security:BootstrapAdmin:Password"]) = (admin.Email, admin.Password);
        // A restarted instance gets a new session.
        if (_signedIn.Remove(i, out var old))
            old.Dispose();
        _instances[i] = ServiceProcess.Start(_options.Project, _ports[i], settings, _options.Environment, Log(InstanceId(i)));
        await _instances[i]!.WaitUntilAnswersAsync("/health/live", TimeSpan.FromSeconds(90));
    }

    /// <summary>SIGKILL: the instance stops renewing its lease and releases nothing.</summary>
    public void Kill(int i) => _instances[i]?.Kill();

    /// <summary>A GraphQL query sent straight to instance <paramref name="i"/> (signed in as the admin when the cluster has one).</summary>
    public async Task<JsonNode> QueryAsync(int i, string query)
    {
        var http = await ClientAsync(i);
        using var response = await http.PostAsJsonAsync("graphql", new { query });
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        if (json["errors"] is JsonArray errors)
            throw new InvalidOperationException($"{InstanceId(i)} answered errors: {errors.ToJsonString()}");
        return json["data"]!;
    }

    /// <summary>Whether instance <paramref name="i"/> says it leads; false when it does not answer.</summary>
    public async Task<bool> LeadsAsync(int i)
    {
        if (!IsRunning(i))
            return false;
        try
        {
            return (await QueryAsync(i, "{ diagnostics { instance { isLeader } } }"))["diagnostics"]!["instance"]!["isLeader"]!.GetValue<bool>();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>The instance that says it leads, waiting up to <paramref name="timeout"/>; null when none does by then.</summary>
    public async Task<int?> LeaderAsync(TimeSpan timeout)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        do
        {
            for (var i = 0; i < Count; i++)
            {
                if (await LeadsAsync(i))
                    return i;
            }
            if (waited.Elapsed < timeout)
                await Task.Delay(100);
        }
        while (waited.Elapsed < timeout);
        return null;
    }

    private readonly Dictionary<int, HttpClient> _signedIn = [];

    /// <summary>One client per instance; with an admin, signed in through the sign-in form once (antiforgery token and session cookie).</summary>
    private async Task<HttpClient> ClientAsync(int i)
    {
        if (_signedIn.GetValueOrDefault(i) is { } known)
            return known;
        var http = new HttpClient(new HttpClientHandler { CookieContainer = new System.Net.CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = Address(i),
            Timeout = TimeSpan.FromSeconds(10),
        };
        if (_options.Admin is { } admin)
        {
            var (email, password) = admin;
            var token = SignInForm.Token(await http.GetStringAsync("account/login"));
            using var signIn = await http.PostAsync("account/login", SignInForm.Fields(token, email, password));
            if (signIn.Headers.Location?.OriginalString != "/")
                throw new InvalidOperationException($"{InstanceId(i)} refused the admin's sign-in ({signIn.Headers.Location}).");
        }
        return _signedIn[i] = http;
    }

    private string Log(string name) => Path.Combine(_options.LogFolder ?? _folder, $"{name}.log");

    public void Dispose()
    {
        foreach (var client in _signedIn.Values)
            client.Dispose();
        Balancer?.Dispose();
        foreach (var instance in _instances)
            instance?.Dispose();
        Sandbox.Dispose();
        Redis.Dispose();
        if (_options.LogFolder is null)
            Directory.Delete(_folder, recursive: true);
        else
        {
            foreach (var file in Directory.GetFiles(_folder, "klaviyo.db*"))
                File.Delete(file);
        }
    }
}

/// <param name="Project">Klaviyo.Web (the dashboard) or Klaviyo.GraphQL (the API alone).</param>
/// <param name="Environment">Development serves the dashboard's static assets from the build output; a published app runs in Production.</param>
/// <param name="LogFolder">Where each process's output is kept; none, and it goes with the cluster.</param>
/// <param name="Admin">
/// Run with sign-in on, as a team deploys behind a balancer (a relayed request is never the local
/// Admin): a bootstrap admin with this e-mail and password, which <see cref="ProcessCluster.QueryAsync"/>
/// signs in as (the dashboard's form). Null: open on loopback, queries sent straight to an instance.
/// </param>
public sealed record ProcessClusterOptions(
    string Project, int Instances, IReadOnlyDictionary<string, string?> Settings, IReadOnlyDictionary<string, string?> Sandbox,
    bool Balancer = false, string Environment = "Production", string? LogFolder = null, (string Email, string Password)? Admin = null);
