using System.Collections.Concurrent;
using Klaviyo.Core.Data;
using Klaviyo.Core.RestClient;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Klaviyo.Core.Accounts;

/// <summary>
/// Runs a shell (<see cref="AccountShell"/>) for every connected account but the deployment's own
/// (a paused one's serves its data and does not sync): from start-up once the server listens (a sandbox account is reached at the
/// server's own address), and as accounts are added, paused, resumed and removed.
/// </summary>
public sealed class AccountShells(
    IServiceProvider deployment,
    IDbContextFactory<KlaviyoDbContext> contexts,
    IDataProtectionProvider protection,
    IHostApplicationLifetime lifetime,
    IEnumerable<ISandboxAccount> sandboxes,
    IOptions<KlaviyoOptions> klaviyo,
    ILogger<AccountShells> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, AccountShell> _running = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _changes = new(1, 1);
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Protects and reads the keys of connected accounts (purpose string: the keys are readable by nothing else).</summary>
    internal IDataProtector Keys { get; } = protection.CreateProtector("Klaviyo.ConnectedAccounts.Keys");

    /// <summary>The services of an account's shell; null when it has none (removed, unknown, not started yet, or the deployment's own).</summary>
    public IServiceProvider? ServicesOf(string accountId) => _running.TryGetValue(accountId, out var shell) ? shell.Services : null;

    /// <summary>The services an account's data is read with: the deployment's own for its account, else the account's shell (null without one).</summary>
    public IServiceProvider? ServicesOf(string accountId, IServiceProvider deploymentServices) =>
        accountId == ConnectedAccount.DefaultId ? deploymentServices : ServicesOf(accountId);

    public bool IsRunning(string accountId) => _running.ContainsKey(accountId);

    /// <summary>Where an account's key is used: the hosted sandbox (its address is known once the server listens), the configured base URL, or Klaviyo.</summary>
    public async Task<Uri> BaseUrlAsync(bool sandbox, CancellationToken cancellationToken)
    {
        if (sandbox)
        {
            // Where the deployment reaches its own sandbox: the configured address, or the server's own once it listens.
            if (string.IsNullOrWhiteSpace(klaviyo.Value.ApiKey) && !string.IsNullOrWhiteSpace(klaviyo.Value.BaseUrl))
                return new Uri(klaviyo.Value.BaseUrl.TrimEnd('/') + "/");
            await _listening.Task.WaitAsync(cancellationToken);
            return sandboxes.LastOrDefault()?.BaseUrl ?? throw new InvalidOperationException("The account is the sandbox's but this deployment hosts none.");
        }
        return string.IsNullOrWhiteSpace(klaviyo.Value.BaseUrl) ? new Uri("https://a.klaviyo.com/") : new Uri(klaviyo.Value.BaseUrl.TrimEnd('/') + "/");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            await started.Task.WaitAsync(stoppingToken);
        _listening.TrySetResult();
        List<ConnectedAccount>? accounts = null;
        while (accounts is null)
        {
            try
            {
                await using var db = await contexts.CreateDbContextAsync(stoppingToken);
                accounts = await db.ConnectedAccounts.AsNoTracking().Where(a => a.Id != ConnectedAccount.DefaultId).ToListAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The deployment's own account keeps being served while the list cannot be read (a database outage at start-up).
                logger.LogError(e, "The connected accounts could not be read; trying again in 10 s");
                await Task.Delay(TimeSpan.FromSeconds(10), stoppingToken);
            }
        }
        foreach (var account in accounts)
        {
            try
            {
                await StartAsync(account, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One account that cannot start (its store unreachable, its key unreadable) must not keep the others from theirs.
                logger.LogError(e, "Account {Account} could not start", account.Id);
            }
        }
    }

    /// <summary>Starts the account's shell (no-op when running).</summary>
    public async Task StartAsync(ConnectedAccount account, CancellationToken cancellationToken)
    {
        await _changes.WaitAsync(cancellationToken);
        try
        {
            if (_running.ContainsKey(account.Id))
                return;
            var key = Keys.Unprotect(account.ProtectedKey ?? throw new InvalidOperationException($"Account {account.Id} has no key."));
            var shell = AccountShell.Build(account, key, await BaseUrlAsync(account.Sandbox, cancellationToken), deployment);
            await shell.StartAsync(cancellationToken);
            _running[account.Id] = shell;
            logger.LogInformation("Account {Account} ({Name}) is syncing into its own store", account.Id, account.Name);
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <summary>Stops the account's shell; with <paramref name="deleteStore"/>, its store is dropped too (the account is being removed).</summary>
    public async Task StopAsync(ConnectedAccount account, bool deleteStore, CancellationToken cancellationToken)
    {
        await _changes.WaitAsync(cancellationToken);
        try
        {
            if (_running.TryRemove(account.Id, out var shell))
            {
                await shell.StopAsync(cancellationToken);
                if (!deleteStore)
                {
                    await shell.DisposeAsync();
                    return;
                }
            }
            else if (deleteStore)
                shell = AccountShell.Build(account, "", null, deployment);
            else
                return;
            await using (shell)
            {
                await using var db = await shell!.Services.GetRequiredService<IDbContextFactory<KlaviyoDbContext>>().CreateDbContextAsync(cancellationToken);
                await AccountStores.DeleteAsync(db, cancellationToken);
            }
        }
        finally
        {
            _changes.Release();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        foreach (var id in _running.Keys)
        {
            if (_running.TryRemove(id, out var shell))
            {
                await shell.StopAsync(cancellationToken);
                await shell.DisposeAsync();
            }
        }
    }
}
