using System.Collections.Concurrent;
using Klaviyo.Core.Coordination;
using Klaviyo.Core.Data;
using Klaviyo.Core.RestClient;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Klaviyo.Core.Accounts;

/// <summary>
/// Runs a shell (<see cref="AccountShell"/>) for every connected account but the deployment's own
/// (a paused one's serves its data and does not sync): from start-up once the server listens (a sandbox account is reached at the
/// server's own address), and as accounts are added, paused, resumed and removed — here, or, on a
/// coordinated deployment, on another instance (every instance runs every account's shell, serving its
/// data; the account's lease decides which one syncs it).
/// </summary>
public sealed class AccountShells(
    IServiceProvider deployment,
    IDbContextFactory<KlaviyoDbContext> contexts,
    IDataProtectionProvider protection,
    IHostApplicationLifetime lifetime,
    IEnumerable<ISandboxAccount> sandboxes,
    IOptions<KlaviyoOptions> klaviyo,
    IOptions<CoordinationOptions> coordination,
    ILogger<AccountShells> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, AccountShell> _running = new(StringComparer.Ordinal);
    /// <summary>What each running shell was started with: another instance's pause, resume or new key restarts it here.</summary>
    private readonly ConcurrentDictionary<string, (bool Paused, bool Sandbox, string? ProtectedKey)> _startedWith = new(StringComparer.Ordinal);
    /// <summary>Accounts whose store is deleted and whose row is not yet: a pass over the accounts must not start them again.</summary>
    private readonly ConcurrentDictionary<string, bool> _removing = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _changes = new(1, 1);
    /// <summary>Counts the changes callers made here (under <see cref="_changes"/>); each account keeps the count of its last. A pass's own changes follow its list and are not counted.</summary>
    private long _version;
    private readonly ConcurrentDictionary<string, long> _changedAt = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Protects and reads the keys of connected accounts (purpose string: the keys are readable by nothing else).</summary>
    internal IDataProtector Keys { get; } = protection.CreateProtector("Klaviyo.ConnectedAccounts.Keys");

    /// <summary>The services of an account's shell; null when it has none (removed, unknown, not started yet, or the deployment's own).</summary>
    public IServiceProvider? ServicesOf(string accountId) => _running.TryGetValue(accountId, out var shell) ? shell.Services : null;

    /// <summary>The services an account's data is read with: the deployment's own for its account, else the account's shell (null without one).</summary>
    public IServiceProvider? ServicesOf(string accountId, IServiceProvider deploymentServices) =>
        accountId == ConnectedAccount.DefaultId ? deploymentServices : ServicesOf(accountId);

    public bool IsRunning(string accountId) => _running.ContainsKey(accountId);

    /// <summary>Who syncs each account <paramref name="visible"/> lets through: the deployment's own first, then the running shells by id.</summary>
    public IReadOnlyList<AccountLease> Leases(Func<string, bool> visible)
    {
        var registry = deployment.GetService<InstanceRegistry>();
        var own = deployment.GetRequiredService<LeaderLease>();
        var leases = new List<AccountLease>();
        if (visible(ConnectedAccount.DefaultId))
            leases.Add(new AccountLease(ConnectedAccount.DefaultId, own.Enabled ? own.LeaderId : own.InstanceId, own.IsLeader, own.SeenEpoch, null));
        foreach (var (id, shell) in _running.Where(r => visible(r.Key)).OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            var lease = shell.Services.GetRequiredService<LeaderLease>();
            leases.Add(new AccountLease(id, lease.Enabled ? lease.LeaderId : lease.InstanceId, lease.IsLeader, lease.SeenEpoch, registry?.OwnerOf(id)));
        }
        return leases;
    }

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
        while (!await ReconcileAsync(stoppingToken))
        {
            // The deployment's own account keeps being served while the list cannot be read (a database outage at start-up).
            await Task.Delay(TimeSpan.FromSeconds(10), stoppingToken);
        }
        if (!coordination.Value.Enabled)
            return;
        // Accounts added, paused, given a new key or removed on another instance.
        using var timer = new PeriodicTimer(coordination.Value.RenewEvery);
        while (await timer.WaitForNextTickAsync(stoppingToken))
            await ReconcileAsync(stoppingToken);
    }

    /// <summary>
    /// Runs a shell for each connected account as it is stored now; one that cannot start is logged and tried again at the next pass. False when the list could not be read.
    /// An account added, paused or removed here after the list was read is left as this instance made it: the list is older than
    /// that change (a pass that read the accounts just before one was added here stopped its new shell as "removed elsewhere").
    /// </summary>
    private async Task<bool> ReconcileAsync(CancellationToken stoppingToken)
    {
        var readAt = Interlocked.Read(ref _version);
        List<ConnectedAccount> accounts;
        try
        {
            await using var db = await contexts.CreateDbContextAsync(stoppingToken);
            accounts = await db.ConnectedAccounts.AsNoTracking().Where(a => a.Id != ConnectedAccount.DefaultId).ToListAsync(stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "The connected accounts could not be read; trying again shortly");
            return false;
        }
        foreach (var account in accounts.Where(a => !_removing.ContainsKey(a.Id)))
        {
            try
            {
                await ChangeAsync(account.Id, readAt, async () =>
                {
                    if (_startedWith.TryGetValue(account.Id, out var started) && started != SettingsOf(account))
                        await StopShellAsync(account, deleteStore: false, stoppingToken);
                    await StartShellAsync(account, stoppingToken);
                }, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One account that cannot start (its store unreachable, its key unreadable) must not keep the others from theirs.
                logger.LogError(e, "Account {Account} could not start", account.Id);
            }
        }
        foreach (var gone in _running.Keys.Except(accounts.Select(a => a.Id)))
        {
            await ChangeAsync(gone, readAt, () =>
            {
                logger.LogInformation("Account {Account} was removed on another instance: its shell stops here", gone);
                return StopShellAsync(new ConnectedAccount { Id = gone, Name = gone }, deleteStore: false, stoppingToken);
            }, stoppingToken);
        }
        return true;
    }

    /// <summary>One change to an account's shell at a time; with <paramref name="readAt"/> (a pass over a list read then), none when the account changed here since.</summary>
    private async Task ChangeAsync(string accountId, long? readAt, Func<Task> change, CancellationToken cancellationToken)
    {
        await _changes.WaitAsync(cancellationToken);
        try
        {
            if (readAt is { } read && _changedAt.TryGetValue(accountId, out var changed) && changed > read)
                return;
            if (readAt is null)
                _changedAt[accountId] = Interlocked.Increment(ref _version);
            await change();
        }
        finally
        {
            _changes.Release();
        }
    }

    private static (bool, bool, string?) SettingsOf(ConnectedAccount account) => (account.Paused, account.Sandbox, account.ProtectedKey);

    /// <summary>Starts the account's shell (no-op when running).</summary>
    public Task StartAsync(ConnectedAccount account, CancellationToken cancellationToken) =>
        ChangeAsync(account.Id, null, () => StartShellAsync(account, cancellationToken), cancellationToken);

    /// <summary>
    /// Stops the account's shell; with <paramref name="deleteStore"/>, its store is dropped too (the account
    /// is being removed: it is not started again until <see cref="Removed"/> says its row is gone).
    /// </summary>
    public Task StopAsync(ConnectedAccount account, bool deleteStore, CancellationToken cancellationToken) =>
        ChangeAsync(account.Id, null, () => StopShellAsync(account, deleteStore, cancellationToken), cancellationToken);

    private async Task StartShellAsync(ConnectedAccount account, CancellationToken cancellationToken)
    {
        if (_running.ContainsKey(account.Id))
            return;
        var key = Keys.Unprotect(account.ProtectedKey ?? throw new InvalidOperationException($"Account {account.Id} has no key."));
        var shell = AccountShell.Build(account, key, await BaseUrlAsync(account.Sandbox, cancellationToken), deployment);
        try
        {
            await shell.StartAsync(cancellationToken);
        }
        catch
        {
            // Its services (connections, timers, subscriptions) go with it; the next pass builds a new one.
            await shell.DisposeAsync();
            throw;
        }
        _running[account.Id] = shell;
        _startedWith[account.Id] = SettingsOf(account);
        logger.LogInformation("Account {Account} ({Name}) is syncing into its own store", account.Id, account.Name);
    }

    private async Task StopShellAsync(ConnectedAccount account, bool deleteStore, CancellationToken cancellationToken)
    {
        if (deleteStore)
            _removing[account.Id] = true;
        _startedWith.TryRemove(account.Id, out _);
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

    /// <summary>The account's row is deleted: an account of that id may be added again.</summary>
    public void Removed(string accountId) => _removing.TryRemove(accountId, out _);

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
