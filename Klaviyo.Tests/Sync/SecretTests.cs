using System.Collections.Concurrent;
using Klaviyo.Core.Data;
using Klaviyo.Core.Errors;
using Klaviyo.Core.Sync;
using Klaviyo.Sandbox;
using Klaviyo.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Klaviyo.Tests.Sync;

/// <summary>The Klaviyo key appears in no log line (at any level), run, sync state, API answer, diagnostic, health report or apiErrors event.</summary>
public sealed class SecretTests(SecretTests.Factory factory) : IClassFixture<SecretTests.Factory>
{
    public const string Key = "pk_live_5ecret0123456789abcdef";

    /// <summary>A real key configured (live mode), pointed at the sandbox, every log line captured.</summary>
    public sealed class Factory : SandboxApiFactory
    {
        public ConcurrentQueue<string> Logs { get; } = new();

        public Factory() => With("Klaviyo:ApiKey", Key).With("Sandbox:Enabled", "true").With("Sandbox:ApiKey", Key)
            .With("Logging:LogLevel:Default", "Trace")
            .WithServices(s => s.AddSingleton<ILoggerProvider>(new CapturingLoggerProvider(Logs)));
    }

    [Fact]
    public async Task The_key_never_leaves_the_client()
    {
        await factory.SyncAsync(SyncEntity.Metrics, SyncEntity.Campaigns);
        var errors = new List<ApiErrorEvent>();
        using (factory.Service<EventBus>().Observe<ApiErrorEvent>().Subscribe(errors.Add))
        {
            factory.SetFaults(new SandboxFaults { InvalidKey = true });
            await factory.SyncAsync(SyncEntity.Flows);
            factory.SetFaults(new SandboxFaults { Outage = true });
            await factory.SyncAsync(SyncEntity.Forms);
            factory.SetFaults(new SandboxFaults());
        }

        var api = await factory.GraphQL().PostAsync(
            "{ syncStatus { entities { lastError } } syncRuns(first: 10) { error } " +
            "diagnostics { klaviyo { mode baseUrl revision } errors { message detail } sync { recentRuns { error } } } }");
        var health = await (await factory.CreateClient().GetAsync("/health/ready")).Content.ReadAsStringAsync();
        var events = System.Text.Json.JsonSerializer.Serialize(errors);
        await using var db = await factory.Db();
        var stored = string.Join('\n', db.SyncRuns.Select(r => r.Error ?? "").ToList().Concat(db.SyncStates.Select(s => (s.LastError ?? "") + s.Cursor).ToList()));

        Assert.True(factory.Logs.Count > 50, "logs were captured");
        Assert.Contains(factory.Logs, l => l.Contains("Klaviyo refused the API key") || l.Contains("API key"));
        Assert.DoesNotContain(factory.Logs, l => l.Contains(Key));
        Assert.Null(api.Errors);
        Assert.DoesNotContain(Key, api.Body);
        Assert.DoesNotContain(Key, health);
        Assert.Contains(errors, e => e.Code == "KLAVIYO_AUTH");
        Assert.DoesNotContain(Key, events);
        Assert.DoesNotContain(Key, stored);
    }
}
