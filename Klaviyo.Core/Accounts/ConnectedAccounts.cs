using System.Text;
using Klaviyo.Core.Coordination;
using Klaviyo.Core.Data;
using Klaviyo.Core.Errors;
using Klaviyo.Core.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.Core.Accounts;

/// <summary>
/// The Klaviyo accounts this deployment syncs: listed, added (the key checked against Klaviyo first,
/// then kept protected and never shown again), paused, resumed, given a new key, removed with all
/// their data. The deployment's own account (its configured key) is the first and cannot be removed.
/// </summary>
public sealed class ConnectedAccounts(
    IDbContextFactory<KlaviyoDbContext> contexts,
    AccountShells shells,
    AccountKeyCheck check,
    IEnumerable<ISandboxKeys> sandboxKeys,
    TimeProvider time,
    ILogger<ConnectedAccounts> logger,
    InstanceRegistry? registry = null)
{
    private const int MaxKeyLength = 200;
    // Two Admins adding the same account at once must not both pass the duplicate check.
    private readonly SemaphoreSlim _adding = new(1, 1);

    public async Task<IReadOnlyList<ConnectedAccount>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.ConnectedAccounts.AsNoTracking().OrderBy(a => a.AddedAt).ThenBy(a => a.Id).ToListAsync(cancellationToken);
    }

    public async Task<ConnectedAccount?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.ConnectedAccounts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
    }

    /// <summary>Checks the key with Klaviyo, keeps it protected and starts syncing the account into a store of its own.</summary>
    public async Task<ConnectedAccount> AddAsync(string apiKey, string caller, CancellationToken cancellationToken)
    {
        apiKey = ValidKey(apiKey);
        var (facts, sandbox) = await CheckAsync(apiKey, cancellationToken);
        await _adding.WaitAsync(cancellationToken);
        try
        {
            return await SaveAndStartAsync(apiKey, sandbox, facts, caller, cancellationToken);
        }
        finally
        {
            _adding.Release();
        }
    }

    private async Task<ConnectedAccount> SaveAndStartAsync(string apiKey, bool sandbox, KlaviyoAccountFacts facts, string caller, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var existing = await db.ConnectedAccounts.AsNoTracking().ToListAsync(cancellationToken);
        if (existing.FirstOrDefault(a => a.KlaviyoId == facts.KlaviyoId) is { } twin)
            throw new InvalidInputError($"Klaviyo account {facts.KlaviyoId} is connected already, as '{twin.Id}'.", ErrorCodes.Conflict);
        var account = new ConnectedAccount
        {
            Id = UniqueId(facts.Name, [.. existing.Select(a => a.Id), .. await GrantedAsync(db, cancellationToken)]),
            Name = facts.Name,
            KlaviyoId = facts.KlaviyoId,
            ProtectedKey = shells.Keys.Protect(apiKey),
            Sandbox = sandbox,
            AddedAt = time.GetUtcNow().UtcDateTime,
            AddedBy = caller,
        };
        db.ConnectedAccounts.Add(account);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("{Caller} connected Klaviyo account {KlaviyoId} ({Name}) as {Account}", caller, facts.KlaviyoId, facts.Name, account.Id);
        // Coordinated: its owner is known before its shell starts, so the owner takes its lease at once.
        if (registry is not null)
            await registry.RenewAsync(cancellationToken);
        await shells.StartAsync(account, cancellationToken);
        return account;
    }

    /// <summary>Pauses (stops syncing; the data stays and is served) or resumes an account.</summary>
    public async Task<ConnectedAccount> SetPausedAsync(string id, bool paused, string caller, CancellationToken cancellationToken)
    {
        var account = await Added(id, cancellationToken);
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
            await db.ConnectedAccounts.Where(a => a.Id == id).ExecuteUpdateAsync(u => u.SetProperty(a => a.Paused, paused), cancellationToken);
        account.Paused = paused;
        // The shell starts again with its sync on or off; its data is served either way.
        await shells.StopAsync(account, deleteStore: false, cancellationToken);
        await shells.StartAsync(account, cancellationToken);
        logger.LogInformation("{Caller} {Action} account {Account}", caller, paused ? "paused" : "resumed", id);
        return account;
    }

    /// <summary>Gives an account a new key, checked first; it must open the same Klaviyo account.</summary>
    public async Task<ConnectedAccount> ReplaceKeyAsync(string id, string apiKey, string caller, CancellationToken cancellationToken)
    {
        apiKey = ValidKey(apiKey);
        var account = await Added(id, cancellationToken);
        var (facts, sandbox) = await CheckAsync(apiKey, cancellationToken);
        if (facts.KlaviyoId != account.KlaviyoId)
            throw new InvalidInputError($"This key opens Klaviyo account {facts.KlaviyoId}, not {account.KlaviyoId}: add it as an account of its own.");
        account.ProtectedKey = shells.Keys.Protect(apiKey);
        account.Sandbox = sandbox;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
            await db.ConnectedAccounts.Where(a => a.Id == id)
                .ExecuteUpdateAsync(u => u.SetProperty(a => a.ProtectedKey, account.ProtectedKey).SetProperty(a => a.Sandbox, sandbox), cancellationToken);
        await shells.StopAsync(account, deleteStore: false, cancellationToken);
        await shells.StartAsync(account, cancellationToken);
        logger.LogInformation("{Caller} replaced the key of account {Account}", caller, id);
        return account;
    }

    /// <summary>Stops the account, drops its store (every record, rollup, sync state, alert of it) and forgets its key.</summary>
    public async Task RemoveAsync(string id, string caller, CancellationToken cancellationToken)
    {
        var account = await Added(id, cancellationToken);
        await shells.StopAsync(account, deleteStore: true, cancellationToken);
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
            await db.ConnectedAccounts.Where(a => a.Id == id).ExecuteDeleteAsync(cancellationToken);
        shells.Removed(id);
        logger.LogWarning("{Caller} removed account {Account} ({Name}) and deleted its data", caller, id, account.Name);
    }

    /// <summary>An account added to the deployment (not its own, whose key is configuration): anything else is NOT_FOUND or refused.</summary>
    private async Task<ConnectedAccount> Added(string id, CancellationToken cancellationToken)
    {
        var account = await FindAsync(id, cancellationToken) ?? throw Unknown(id);
        if (account.Id == ConnectedAccount.DefaultId)
            throw new InvalidInputError("The deployment's own account is configured (Klaviyo:ApiKey), not added: it cannot be paused, re-keyed or removed here.");
        return account;
    }

    /// <summary>Asks Klaviyo about the key where it is used: the hosted sandbox for one of its accounts' keys, else Klaviyo.</summary>
    private async Task<(KlaviyoAccountFacts Facts, bool Sandbox)> CheckAsync(string apiKey, CancellationToken cancellationToken)
    {
        var sandbox = sandboxKeys.Any(s => s.Knows(apiKey));
        return (await check.CheckAsync(apiKey, await shells.BaseUrlAsync(sandbox, cancellationToken), cancellationToken), sandbox);
    }

    private static string ValidKey(string apiKey)
    {
        apiKey = apiKey.Trim();
        if (apiKey.Length is 0 or > MaxKeyLength || apiKey.Any(char.IsWhiteSpace))
            throw new InvalidInputError("A Klaviyo private key is one word of at most 200 characters (pk_…).");
        return apiKey;
    }

    /// <summary>The account's name as lower-case letters, digits and dashes (at most 24), made unique with a number.</summary>
    /// <summary>The one answer for an account that does not exist — or that the caller may not see: the same words.</summary>
    public static NotFoundError Unknown(string id) => new($"No account '{id}'.");

    /// <summary>
    /// Account ids users and API keys hold a role in. A removed account's grants stay with them (an account
    /// limited to nothing else would otherwise be limited to nothing, which reads as every account), so its id
    /// is never given again: an account added later, under the same name, is not theirs.
    /// </summary>
    private static async Task<IEnumerable<string>> GrantedAsync(KlaviyoDbContext db, CancellationToken cancellationToken)
    {
        var claims = await db.UserClaims.Where(c => c.ClaimType == KlaviyoClaims.Account).Select(c => c.ClaimValue ?? "").ToListAsync(cancellationToken);
        var keys = await db.ApiKeys.Where(k => k.AccountIds != null).Select(k => k.AccountIds!).ToListAsync(cancellationToken);
        return [.. AccountAccess.RolesOf(claims)?.Keys ?? [], .. keys.SelectMany(ApiKey.AccountsOf)];
    }

    private static string UniqueId(string name, HashSet<string> taken)
    {
        var slug = new StringBuilder();
        foreach (var c in name.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c))
                slug.Append(c);
            else if (slug.Length > 0 && slug[^1] != '-')
                slug.Append('-');
        }
        var stem = slug.ToString().Trim('-') is { Length: > 0 } s ? s[..Math.Min(24, s.Length)].TrimEnd('-') : "account";
        var id = stem;
        for (var n = 2; taken.Contains(id) || id == ConnectedAccount.DefaultId; n++)
            id = $"{stem}-{n}";
        return id;
    }
}
