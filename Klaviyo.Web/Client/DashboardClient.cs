using System.Text.Json;
using Klaviyo.Web.Client.Models;
using ZiggyCreatures.Caching.Fusion;

namespace Klaviyo.Web.Client;

/// <summary>
/// What the dashboard's components call: the generated client (<see cref="KlaviyoGraphQLClient"/>,
/// one method per operation file) with results cached briefly by operation and variables
/// (FusionCache); <see cref="Fetch"/> says whether this cache may answer and whether the server must
/// recompute (<c>forceFresh</c>); every request and error recorded in the session's
/// <see cref="ApiState"/>. Every operation on an account's data names the session's
/// <see cref="DashboardAccount"/> (its id is in the cache key with the other variables). Failures are re-thrown after being recorded: a section shows its error,
/// never a made-up number.
/// </summary>
public sealed class DashboardClient(KlaviyoGraphQLClient api, IFusionCacheProvider caches, ApiState state, DashboardAccount account)
{
    public const string CacheName = "dashboard";
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(10);

    private readonly IFusionCache _cache = caches.GetCache(CacheName);

    /// <param name="range">A preset or calendar days, resolved by the server in the account's time zone.</param>
    /// <param name="conversionMetricId">The metric conversions and revenue are counted from; null for Placed Order.</param>
    /// <param name="channel">Only this channel's messages; null for every channel.</param>
    public Task<Loaded<OverviewPayload>> OverviewAsync(DateRangeInput range, CompareTo compareTo, string? conversionMetricId, Channel? channel, Fetch fetch, CancellationToken cancellationToken = default) =>
        QueryAsync("overview", new OverviewVariables(range, compareTo, conversionMetricId, channel, AccountId: account.Id), fetch,
            (v, fresh, token) => api.OverviewAsync(v with { ForceFresh = fresh }, token), d => d.Overview, cancellationToken);

    public Task<Loaded<IConnection<Campaign>>> CampaignsAsync(PageQuery page, Fetch fetch, string? conversionMetricId = null, Channel? channel = null, CancellationToken cancellationToken = default) =>
        QueryAsync("campaigns", new CampaignsVariables(page.First, page.After, page.Last, page.Before, page.Order<CampaignSortInput>(), null, conversionMetricId, channel, AccountId: account.Id), fetch,
            (v, fresh, token) => api.CampaignsAsync(v with { ForceFresh = fresh }, token), d => (IConnection<Campaign>)d.Campaigns, cancellationToken);

    public Task<Loaded<IConnection<Flow>>> FlowsAsync(PageQuery page, Fetch fetch, string? conversionMetricId = null, Channel? channel = null, CancellationToken cancellationToken = default) =>
        QueryAsync("flows", new FlowsVariables(page.First, page.After, page.Last, page.Before, page.Order<FlowSortInput>(), null, conversionMetricId, channel, AccountId: account.Id), fetch,
            (v, fresh, token) => api.FlowsAsync(v with { ForceFresh = fresh }, token), d => (IConnection<Flow>)d.Flows, cancellationToken);

    public Task<Loaded<IConnection<Form>>> FormsAsync(PageQuery page, Fetch fetch, CancellationToken cancellationToken = default) =>
        QueryAsync("forms", new FormsVariables(page.First, page.After, page.Last, page.Before, page.Order<FormSortInput>(), AccountId: account.Id), fetch,
            (v, fresh, token) => api.FormsAsync(v with { ForceFresh = fresh }, token), d => (IConnection<Form>)d.Forms, cancellationToken);

    public Task<Loaded<IConnection<Segment>>> SegmentsAsync(PageQuery page, Fetch fetch, CancellationToken cancellationToken = default) =>
        QueryAsync("segments", new SegmentsVariables(page.First, page.After, page.Last, page.Before, page.Order<SegmentSortInput>(), AccountId: account.Id), fetch,
            (v, fresh, token) => api.SegmentsAsync(v with { ForceFresh = fresh }, token), d => (IConnection<Segment>)d.Segments, cancellationToken);

    public Task<Loaded<IConnection<List>>> ListsAsync(PageQuery page, Fetch fetch, CancellationToken cancellationToken = default) =>
        QueryAsync("lists", new ListsVariables(page.First, page.After, page.Last, page.Before, page.Order<ListSortInput>(), AccountId: account.Id), fetch,
            (v, fresh, token) => api.ListsAsync(v with { ForceFresh = fresh }, token), d => (IConnection<List>)d.Lists, cancellationToken);

    public Task<Loaded<SyncStatusPayload>> SyncStatusAsync(Fetch fetch, CancellationToken cancellationToken = default) =>
        QueryAsync("sync", new SyncStatusVariables(AccountId: account.Id), fetch, (v, fresh, token) => api.SyncStatusAsync(v with { ForceFresh = fresh }, token), d => d.SyncStatus, cancellationToken);

    /// <summary>Never cached: diagnostics are about now.</summary>
    /// <param name="admin">Also the database's size and row counts (Admins only: they count every table).</param>
    public async Task<DiagnosticsDiagnostics> DiagnosticsAsync(bool admin, CancellationToken cancellationToken = default) =>
        (await SendAsync("diagnostics", token => api.DiagnosticsAsync(new DiagnosticsVariables(admin, AccountId: account.Id), token), cancellationToken)).Diagnostics;

    /// <summary>The account's calendar, its mode and the server's current errors (cheap; never cached).</summary>
    public Task<ServerStateData> ServerStateAsync(CancellationToken cancellationToken = default) =>
        SendAsync("diagnostics", token => api.ServerStateAsync(new ServerStateVariables(AccountId: account.Id), token), cancellationToken);

    /// <summary>Asks the server to sync these entities now and drop its cached results for them.</summary>
    public async Task<RefreshDataPayload> RefreshDataAsync(IReadOnlyList<SyncEntity>? scopes, CancellationToken cancellationToken = default) =>
        (await SendAsync("refresh", token => api.RefreshDataAsync(new RefreshDataVariables(scopes, AccountId: account.Id), token), cancellationToken)).RefreshData;

    /// <summary>The latest runs' outcomes (RUNNING until they end); never cached.</summary>
    public async Task<IReadOnlyList<SyncRunsSyncRun>> RecentRunsAsync(int first, CancellationToken cancellationToken = default) =>
        (await SendAsync("sync", token => api.SyncRunsAsync(new SyncRunsVariables(first, AccountId: account.Id), token), cancellationToken)).SyncRuns;

    public async Task<IReadOnlyList<Metric>> ConversionMetricsAsync(CancellationToken cancellationToken = default) =>
        (await SendAsync("overview", token => api.ConversionMetricsAsync(new ConversionMetricsVariables(AccountId: account.Id), token), cancellationToken)).ConversionMetrics.Nodes;

    /// <summary>The alerts page: alerts not NORMAL, rules, the latest log entries, silences (never cached: the bell must not lag).</summary>
    public Task<AlertsOverviewData> AlertsAsync(int logSize = 100, CancellationToken cancellationToken = default) =>
        SendAsync("alerts", token => api.AlertsOverviewAsync(new AlertsOverviewVariables(logSize, AccountId: account.Id), token), cancellationToken);

    public async Task<IReadOnlyList<ContactPoint>> ContactPointsAsync(CancellationToken cancellationToken = default) =>
        (await SendAsync("alerts", token => api.ContactPointsAsync(new ContactPointsVariables(AccountId: account.Id), token), cancellationToken)).ContactPoints;

    public async Task<ContactPointPayload> CreateContactPointAsync(ContactPointInput input, CancellationToken cancellationToken = default) =>
        (await SendAsync("alerts", token => api.CreateContactPointAsync(new CreateContactPointVariables(input, AccountId: account.Id), token), cancellationToken)).CreateContactPoint;

    public async Task<ContactPointTest> TestContactPointAsync(string id, CancellationToken cancellationToken = default) =>
        (await SendAsync("alerts", token => api.TestContactPointAsync(new TestContactPointVariables(id, AccountId: account.Id), token), cancellationToken)).TestContactPoint;

    public Task DeleteContactPointAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync("alerts", token => api.DeleteContactPointAsync(new DeleteContactPointVariables(id, AccountId: account.Id), token), cancellationToken);

    public async Task<IReadOnlyList<DigestsDigest>> DigestsAsync(CancellationToken cancellationToken = default) =>
        (await SendAsync("alerts", token => api.DigestsAsync(new DigestsVariables(AccountId: account.Id), token), cancellationToken)).Digests;

    public Task CreateDigestAsync(DigestInput input, CancellationToken cancellationToken = default) =>
        SendAsync("alerts", token => api.CreateDigestAsync(new CreateDigestVariables(input, AccountId: account.Id), token), cancellationToken);

    public Task DeleteDigestAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync("alerts", token => api.DeleteDigestAsync(new DeleteDigestVariables(id, AccountId: account.Id), token), cancellationToken);

    /// <summary>Queues the digest for its contact points now; answers how many messages.</summary>
    public async Task<int> SendDigestNowAsync(string id, CancellationToken cancellationToken = default) =>
        (await SendAsync("alerts", token => api.SendDigestNowAsync(new SendDigestNowVariables(id, AccountId: account.Id), token), cancellationToken)).SendDigestNow;

    public Task CreateAlertRuleAsync(AlertRuleInput input, CancellationToken cancellationToken = default) =>
        SendAsync("alerts", token => api.CreateAlertRuleAsync(new CreateAlertRuleVariables(input, AccountId: account.Id), token), cancellationToken);

    public Task DeleteAlertRuleAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync("alerts", token => api.DeleteAlertRuleAsync(new DeleteAlertRuleVariables(id, AccountId: account.Id), token), cancellationToken);

    public Task DismissAlertAsync(string ruleId, string key, CancellationToken cancellationToken = default) =>
        SendAsync("alerts", token => api.DismissAlertAsync(new DismissAlertVariables(ruleId, key, AccountId: account.Id), token), cancellationToken);

    public Task SuppressAlertAsync(string ruleId, string key, int days, CancellationToken cancellationToken = default) =>
        SendAsync("alerts", token => api.SuppressAlertAsync(new SuppressAlertVariables(RuleId: ruleId, Key: key, Days: days, AccountId: account.Id), token), cancellationToken);

    public Task SetAlertRuleEnabledAsync(string id, bool enabled, CancellationToken cancellationToken = default) =>
        SendAsync("alerts", token => api.SetAlertRuleEnabledAsync(new SetAlertRuleEnabledVariables(id, enabled, AccountId: account.Id), token), cancellationToken);

    public Task EndSilenceAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync("alerts", token => api.EndSilenceAsync(new EndSilenceVariables(id, AccountId: account.Id), token), cancellationToken);

    public async Task<IReadOnlyList<ApiKey>> ApiKeysAsync(CancellationToken cancellationToken = default) =>
        (await SendAsync("admin", api.ApiKeysAsync, cancellationToken)).ApiKeys;

    /// <param name="accountIds">The accounts the key may use; null for every account.</param>
    public async Task<CreateApiKeyPayload> CreateApiKeyAsync(string name, Role role, DateTime? expiresAt, IReadOnlyList<string>? accountIds = null, CancellationToken cancellationToken = default) =>
        (await SendAsync("admin", token => api.CreateApiKeyAsync(new CreateApiKeyVariables(name, role, expiresAt, accountIds), token), cancellationToken)).CreateApiKey;

    public async Task<ApiKey> RevokeApiKeyAsync(string id, CancellationToken cancellationToken = default) =>
        (await SendAsync("admin", token => api.RevokeApiKeyAsync(new RevokeApiKeyVariables(id), token), cancellationToken)).RevokeApiKey;

    /// <summary>Every account side by side, each in its own currency and calendar (never cached: the table is about now).</summary>
    public async Task<PortfolioPayload> PortfolioAsync(DateRangeInput range, CompareTo compareTo, CancellationToken cancellationToken = default) =>
        (await SendAsync("portfolio", token => api.PortfolioAsync(new PortfolioVariables(range, compareTo), token), cancellationToken)).Portfolio;

    public async Task<IReadOnlyList<ConnectedAccount>> ConnectedAccountsAsync(CancellationToken cancellationToken = default) =>
        (await SendAsync("admin", api.ConnectedAccountsAsync, cancellationToken)).Accounts;

    public async Task<ConnectedAccount> AddAccountAsync(string apiKey, CancellationToken cancellationToken = default) =>
        (await SendAsync("admin", token => api.AddAccountAsync(new AddAccountVariables(apiKey), token), cancellationToken)).AddAccount;

    public async Task<ConnectedAccount> SetAccountPausedAsync(string id, bool paused, CancellationToken cancellationToken = default) =>
        (await SendAsync("admin", token => api.SetAccountPausedAsync(new SetAccountPausedVariables(id, paused), token), cancellationToken)).SetAccountPaused;

    public Task RemoveAccountAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync("admin", token => api.RemoveAccountAsync(new RemoveAccountVariables(id), token), cancellationToken);

    public async Task<IReadOnlyList<User>> UsersAsync(CancellationToken cancellationToken = default) =>
        (await SendAsync("admin", api.UsersAsync, cancellationToken)).Users;

    public async Task<User> CreateUserAsync(string email, string password, Role role, CancellationToken cancellationToken = default) =>
        (await SendAsync("admin", token => api.CreateUserAsync(new CreateUserVariables(email, password, role), token), cancellationToken)).CreateUser;

    public async Task<User> UpdateUserAsync(string id, Role? role, bool? locked, CancellationToken cancellationToken = default) =>
        (await SendAsync("admin", token => api.UpdateUserAsync(new UpdateUserVariables(id, role, locked), token), cancellationToken)).UpdateUser;

    /// <summary>Limits the user to these accounts with a role in each, or (null) gives it its role in every account.</summary>
    public async Task<User> SetUserAccountRolesAsync(string id, IReadOnlyList<AccountRoleInput>? accountRoles, CancellationToken cancellationToken = default) =>
        (await SendAsync("admin", token => api.SetUserAccountRolesAsync(new SetUserAccountRolesVariables(id, accountRoles), token), cancellationToken)).SetUserAccountRoles;

    /// <summary>Drops every result this dashboard cached; the next reads go to the server.</summary>
    public ValueTask ClearCacheAsync() => _cache.ClearAsync(allowFailSafe: false);

    /// <param name="send">Sends with forceFresh (true) or without (null: the server's default).</param>
    private async Task<Loaded<TPayload>> QueryAsync<TVariables, TData, TPayload>(
        string section, TVariables variables, Fetch fetch, Func<TVariables, bool?, CancellationToken, Task<TData>> send, Func<TData, TPayload> payload, CancellationToken cancellationToken)
        where TPayload : IFreshPayload
    {
        var key = $"{typeof(TVariables).Name}:{JsonSerializer.Serialize(variables, ClientJson.Strict)}";
        if (fetch == Fetch.Cached && _cache.TryGet<TPayload>(key) is { HasValue: true } cached)
        {
            state.CacheHit();
            return Loaded<TPayload>.From(cached.Value, fromClientCache: true);
        }
        var fresh = payload(await SendAsync(section, token => send(variables, fetch == Fetch.ForceFresh ? true : null, token), cancellationToken));
        // Data not yet confirmed (a first sync still running) is not kept: the next page to open asks the server again.
        if (fresh.LastUpdated is not null)
            await _cache.SetAsync(key, fresh, Duration, token: cancellationToken);
        return Loaded<TPayload>.From(fresh, fromClientCache: false);
    }

    private async Task<TData> SendAsync<TData>(string section, Func<CancellationToken, Task<TData>> send, CancellationToken cancellationToken)
    {
        using var timer = state.Begin();
        try
        {
            var data = await send(cancellationToken);
            state.Succeeded(section);
            return data;
        }
        catch (GraphQLClientException e)
        {
            timer.Failed();
            state.Raise(section, e);
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // A newer request replaced this one: not a failure to show.
            throw;
        }
    }
}
