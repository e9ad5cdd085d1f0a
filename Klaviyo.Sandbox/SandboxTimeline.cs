using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Klaviyo.Sandbox;

/// <summary>
/// When the sandbox account began to live, fixed when it is first created and kept in
/// <c>Sandbox:AnchorFile</c> (the app keeps it beside its database), so a restart continues the same account: the same ids
/// carry the same timestamps, and what "happened" while the app was down arrives as a backlog.
/// A different seed starts a different account (and a new anchor).
/// </summary>
public sealed class SandboxTimeline
{
    private sealed record Anchor(int Seed, DateTime LiveFrom);

    public SandboxTimeline(IHostEnvironment environment, IOptions<SandboxOptions> sandbox, TimeProvider time, ILogger<SandboxTimeline> logger)
    {
        FilePath = sandbox.Value.AnchorFile is { Length: > 0 } file ? Path.GetFullPath(file, environment.ContentRootPath) : null;
        var seed = sandbox.Value.Seed;
        var now = time.GetUtcNow().UtcDateTime;
        StartedAt = now;
        LiveFrom = new DateTime(now.Year, now.Month, now.Day, now.Hour, now.Minute, now.Second, DateTimeKind.Utc);
        if (FilePath is null)
            return;
        try
        {
            if (File.Exists(FilePath) && JsonSerializer.Deserialize<Anchor>(File.ReadAllText(FilePath)) is { } anchor && anchor.Seed == seed && anchor.LiveFrom <= now)
            {
                LiveFrom = DateTime.SpecifyKind(anchor.LiveFrom, DateTimeKind.Utc);
                return;
            }
            Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
            File.WriteAllText(FilePath, JsonSerializer.Serialize(new Anchor(seed, LiveFrom)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            logger.LogWarning("The sandbox account's start could not be kept in {Path} ({Reason}); it starts now and a restart will start another", FilePath, e.Message);
        }
    }

    /// <summary>This process's start (the anchor's <see cref="LiveFrom"/> may be older): <see cref="SandboxOptions.RevokeAfter"/> counts from here.</summary>
    public DateTime StartedAt { get; }

    /// <summary>From here on events, profiles and campaigns arrive live.</summary>
    public DateTime LiveFrom { get; }

    /// <summary>Where the anchor is kept; null when nothing is kept (each start is a new account).</summary>
    public string? FilePath { get; }
}
