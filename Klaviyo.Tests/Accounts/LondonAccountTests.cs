using Klaviyo.Core.Accounts;
using Klaviyo.Core.Data;
using Klaviyo.Core.Sync;
using Klaviyo.Sandbox;
using Klaviyo.Testing;
using Klaviyo.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Klaviyo.Tests.Accounts;

/// <summary>
/// A deployment on the hosted sandbox (USD, New York) whose sandbox also plays London (GBP, Europe/London,
/// its own data): what the tests of several accounts start from.
/// </summary>
public abstract class LondonAccountTests : IAsyncLifetime
{
    protected const string LondonKey = "pk_sandbox_local_london";
    protected readonly SandboxApiFactory App = new();

    protected LondonAccountTests()
    {
        App.With("Sandbox:Accounts:London:Currency", "GBP").With("Sandbox:Accounts:London:Timezone", "Europe/London")
            .With("Sandbox:Accounts:London:ValueScale", "0.8");
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(App.DatabasePath)!, Path.GetFileNameWithoutExtension(App.DatabasePath) + ".*"))
            File.Delete(file);
    }

    /// <summary>Adds London as an Admin would; answers its id.</summary>
    protected async Task<string> AddLondonAsync()
    {
        var added = await App.GraphQL().QueryAsync($"mutation {{ addAccount(input: {{ apiKey: \"{LondonKey}\" }}) {{ id name klaviyoId sandbox isDefault }} }}");
        Assert.Equal(("London", "LONDON", true, false), (added["addAccount"]!["name"]!.GetValue<string>(), added["addAccount"]!["klaviyoId"]!.GetValue<string>(),
            added["addAccount"]!["sandbox"]!.GetValue<bool>(), added["addAccount"]!["isDefault"]!.GetValue<bool>()));
        return added["addAccount"]!["id"]!.GetValue<string>();
    }

    protected IServiceProvider ServicesOf(string accountId) =>
        App.Service<AccountShells>().ServicesOf(accountId) ?? throw new InvalidOperationException($"{accountId} has no shell");

    /// <summary>Syncs these entities of an added account and answers how its run ended.</summary>
    protected async Task<SyncRunOutcome> TrySyncAsync(string accountId, params SyncEntity[] entities)
    {
        var services = ServicesOf(accountId);
        var started = await services.GetRequiredService<SyncCoordinator>().StartAndWaitAsync(entities);
        await using var db = await services.GetRequiredService<IDbContextFactory<KlaviyoDbContext>>().CreateDbContextAsync();
        return (await db.SyncRuns.SingleAsync(r => r.Id == started.Run!.Id)).Outcome;
    }

    protected async Task SyncAsync(string accountId, params SyncEntity[] entities) =>
        Assert.Equal(SyncRunOutcome.Succeeded, await TrySyncAsync(accountId, entities));

    /// <summary>The faults London's Klaviyo injects (the sandbox's account, not the deployment's).</summary>
    protected void SetLondonFaults(SandboxFaults faults) =>
        App.Service<SandboxTenants>().ForName("London", App.Services)!.GetRequiredService<SandboxFaultSwitch>().Set(faults);
}
