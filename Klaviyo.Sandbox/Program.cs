namespace Klaviyo.Sandbox;

/// <summary>
/// The Klaviyo API emulator as a service of its own: several instances of the app share one living
/// account by pointing Klaviyo:BaseUrl at http://&lt;this&gt;/sandbox/klaviyo. Its account's start is
/// kept in Sandbox:AnchorFile (data/sandbox.json by default), so a restart continues the same account.
/// It listens on loopback only unless Sandbox:AllowNetwork is set, and delivers webhooks only to
/// Sandbox:WebhookTargets.
/// </summary>
public sealed class Program
{
    public static int Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{SandboxOptions.Section}:Enabled"] = builder.Configuration[$"{SandboxOptions.Section}:Enabled"] ?? "true",
            [$"{SandboxOptions.Section}:AnchorFile"] = builder.Configuration[$"{SandboxOptions.Section}:AnchorFile"] ?? Path.Combine("data", "sandbox.json"),
        });
        if (!builder.Configuration.GetSection($"{SandboxOptions.Section}:{nameof(SandboxOptions.Accounts)}").Exists())
            builder.Configuration.AddInMemoryCollection(MoreAccounts);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddKlaviyoSandbox();

        // Anyone who reaches the sandbox can spend its quotas and read its account: loopback unless told.
        if (ListenAddresses.NonLoopback(builder.Configuration) is { Count: > 0 } network && !builder.Configuration.GetValue<bool>($"{SandboxOptions.Section}:AllowNetwork"))
        {
            Console.Error.WriteLine($"Not started: refusing to serve the sandbox on {string.Join(", ", network)}. Listen on loopback (--urls http://127.0.0.1:5190), " +
                "or set Sandbox:AllowNetwork=true and Sandbox:ApiKey to a key of your own.");
            return 1;
        }

        var app = builder.Build();
        // Fault control needs the app's Admin role: it is mounted only where the app hosts the sandbox.
        app.MapKlaviyoSandbox();
        app.MapGet("/health", () => Results.Text("Healthy"));
        app.Run();
        return 0;
    }

    /// <summary>
    /// Unless Sandbox:Accounts says otherwise, three accounts beside the main one (USD, New York), as an
    /// agency sees them: a British store, a large Japanese one (about a million events, prices in whole yen)
    /// and an Australian one whose owner revokes the key half an hour after start-up.
    /// </summary>
    private static readonly Dictionary<string, string?> MoreAccounts = new()
    {
        ["Sandbox:Accounts:London:ApiKey"] = "pk_sandbox_london",
        ["Sandbox:Accounts:London:AccountName"] = "Sandbox London",
        ["Sandbox:Accounts:London:Timezone"] = "Europe/London",
        ["Sandbox:Accounts:London:Currency"] = "GBP",
        ["Sandbox:Accounts:London:ValueScale"] = "0.8",
        ["Sandbox:Accounts:Tokyo:ApiKey"] = "pk_sandbox_tokyo",
        ["Sandbox:Accounts:Tokyo:AccountName"] = "Sandbox Tokyo",
        ["Sandbox:Accounts:Tokyo:Timezone"] = "Asia/Tokyo",
        ["Sandbox:Accounts:Tokyo:Currency"] = "JPY",
        ["Sandbox:Accounts:Tokyo:ValueScale"] = "150",
        ["Sandbox:Accounts:Tokyo:EventsPerDay"] = "11200",
        ["Sandbox:Accounts:Tokyo:Profiles"] = "20000",
        ["Sandbox:Accounts:Sydney:ApiKey"] = "pk_sandbox_sydney",
        ["Sandbox:Accounts:Sydney:AccountName"] = "Sandbox Sydney",
        ["Sandbox:Accounts:Sydney:Timezone"] = "Australia/Sydney",
        ["Sandbox:Accounts:Sydney:Currency"] = "AUD",
        ["Sandbox:Accounts:Sydney:ValueScale"] = "1.5",
        ["Sandbox:Accounts:Sydney:RevokeAfter"] = "00:30:00",
    };
}
