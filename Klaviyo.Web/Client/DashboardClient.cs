using System.Text.Json;
using Klaviyo.Web.Client.Models;
using ZiggyCreatures.Caching.Fusion;

namespace Klaviyo.Web.Client;

/// <summary>
/// The typed client the dashboard's components use: one method per operation, results cached
/// briefly by operation and variables (FusionCache); <see cref="Fetch"/> says whether this cache may
/// answer and whether the server must recompute (<c>forceFresh</c>); every request and error recorded in the session's <see cref="ApiState"/>.
/// Failures are re-thrown after being recorded: a section shows its error, never a made-up number.
/// </summary>
public sealed class DashboardClient(GraphQLTransport transport, IFusionCacheProvider caches, ApiState state)
{
    public const string CacheName = "dashboard";
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(10);

    private readonly IFusionCache _cache = caches.GetCache(CacheName);

    /// <param name="range">A <c>DateRangeInput</c>: a preset or calendar days, resolved by the server in the account's time zone.</param>
    public Task<Loaded<OverviewPayload>> OverviewAsync(object range, CompareTo compareTo, string? conversionMetricId, string? channel, Fetch fetch, CancellationToken cancellationToken = default) =>
        QueryAsync<OverviewData, OverviewPayload>("Overview", "overview",
            new() { ["range"] = range, ["compareTo"] = compareTo, ["conversionMetricId"] = conversionMetricId, ["channel"] = channel }, fetch, d => d.Overview, cancellationToken);

    /// <param name="conversionMetricId">The metric conversions and revenue are counted from; null for Placed Order.</param>
    /// <param name="channel">EMAIL, SMS or PUSH; null for every channel.</param>
    public Task<Loaded<Connection<CampaignRow>>> CampaignsAsync(PageQuery page, Fetch fetch, string? conversionMetricId = null, string? channel = null, CancellationToken cancellationToken = default) =>
        QueryAsync<CampaignsData, Connection<CampaignRow>>("Campaigns", "campaigns", page.Variables(conversionMetricId, channel), fetch, d => d.Campaigns, cancellationToken);

    public Task<Loaded<Connection<FlowRow>>> FlowsAsync(PageQuery page, Fetch fetch, string? conversionMetricId = null, string? channel = null, CancellationToken cancellationToken = default) =>
        QueryAsync<FlowsData, Connection<FlowRow>>("Flows", "flows", page.Variables(conversionMetricId, channel), fetch, d => d.Flows, cancellationToken);

    public Task<Loaded<Connection<FormRow>>> FormsAsync(PageQuery page, Fetch fetch, CancellationToken cancellationToken = default) =>
        QueryAsync<FormsData, Connection<FormRow>>("Forms", "forms", page.Variables(), fetch, d => d.Forms, cancellationToken);

    public Task<Loaded<Connection<GroupRow>>> SegmentsAsync(PageQuery page, Fetch fetch, CancellationToken cancellationToken = default) =>
        QueryAsync<SegmentsData, Connection<GroupRow>>("Segments", "segments", page.Variables(), fetch, d => d.Segments, cancellationToken);

    public Task<Loaded<Connection<GroupRow>>> ListsAsync(PageQuery page, Fetch fetch, CancellationToken cancellationToken = default) =>
        QueryAsync<ListsData, Connection<GroupRow>>("Lists", "lists", page.Variables(), fetch, d => d.Lists, cancellationToken);

    public Task<Loaded<SyncStatusPayload>> SyncStatusAsync(Fetch fetch, CancellationToken cancellationToken = default) =>
        QueryAsync<SyncStatusData, SyncStatusPayload>("SyncStatus", "sync", [], fetch, d => d.SyncStatus, cancellationToken);

    /// <summary>Never cached: diagnostics are about now.</summary>
    /// <param name="admin">Also the database's size and row counts (Admins only: they count every table).</param>
    public async Task<ServerDiagnostics> DiagnosticsAsync(bool admin, CancellationToken cancellationToken = default) =>
        (await SendAsync<DiagnosticsData>("Diagnostics", "diagnostics", new { admin }, cancellationToken)).Diagnostics;

    /// <summary>The account mode and the server's current errors (cheap; never cached).</summary>
    public async Task<ServerState> ServerStateAsync(CancellationToken cancellationToken = default)
    {
        var data = await SendAsync<ServerStateData>("ServerState", "diagnostics", null, cancellationToken);
        return data.Diagnostics with { Account = data.Account };
    }

    /// <summary>Asks the server to sync these entities now and drop its cached results for them.</summary>
    public async Task<RefreshDataPayload> RefreshDataAsync(IReadOnlyCollection<SyncEntity>? scopes, CancellationToken cancellationToken = default) =>
        (await SendAsync<RefreshDataData>("RefreshData", "refresh", new { scopes }, cancellationToken)).RefreshData;

    /// <summary>The latest runs' outcomes (RUNNING until they end); never cached.</summary>
    public async Task<IReadOnlyList<RunOutcome>> RecentRunsAsync(int first, CancellationToken cancellationToken = default) =>
        (await SendAsync<SyncRunsData>("SyncRuns", "sync", new { first }, cancellationToken)).SyncRuns;

    /// <summary>Drops every result this dashboard cached; the next reads go to the server.</summary>
    public async Task<IReadOnlyList<ConversionMetric>> ConversionMetricsAsync(CancellationToken cancellationToken = default) =>
        (await SendAsync<ConversionMetricsData>("ConversionMetrics", "overview", null, cancellationToken)).ConversionMetrics.Nodes;

    public async Task<IReadOnlyList<ApiKeyRow>> ApiKeysAsync(CancellationToken cancellationToken = default) =>
        (await SendAsync<ApiKeysData>("ApiKeys", "admin", null, cancellationToken)).ApiKeys;

    public async Task<CreatedApiKey> CreateApiKeyAsync(string name, Role role, DateTime? expiresAt, CancellationToken cancellationToken = default) =>
        (await SendAsync<CreateApiKeyData>("CreateApiKey", "admin", new { name, role, expiresAt }, cancellationToken)).CreateApiKey;

    public async Task<ApiKeyRow> RevokeApiKeyAsync(string id, CancellationToken cancellationToken = default) =>
        (await SendAsync<RevokeApiKeyData>("RevokeApiKey", "admin", new { id }, cancellationToken)).RevokeApiKey;

    public async Task<IReadOnlyList<UserRow>> UsersAsync(CancellationToken cancellationToken = default) =>
        (await SendAsync<UsersData>("Users", "admin", null, cancellationToken)).Users;

    public async Task<UserRow> CreateUserAsync(string email, string password, Role role, CancellationToken cancellationToken = default) =>
        (await SendAsync<CreateUserData>("CreateUser", "admin", new { email, password, role }, cancellationToken)).CreateUser;

    public async Task<UserRow> UpdateUserAsync(string id, Role? role, bool? locked, CancellationToken cancellationToken = default) =>
        (await SendAsync<UpdateUserData>("UpdateUser", "admin", new { id, role, locked }, cancellationToken)).UpdateUser;

    public ValueTask ClearCacheAsync() => _cache.ClearAsync(allowFailSafe: false);

    private async Task<Loaded<TPayload>> QueryAsync<TData, TPayload>(
        string operation, string section, Dictionary<string, object?> variables, Fetch fetch, Func<TData, TPayload> payload, CancellationToken cancellationToken)
        where TPayload : IFreshPayload
    {
        var key = $"{operation}:{JsonSerializer.Serialize(variables, ClientJson.Strict)}";
        variables["forceFresh"] = fetch == Fetch.ForceFresh;
        if (fetch == Fetch.Cached && _cache.TryGet<TPayload>(key) is { HasValue: true } cached)
        {
            state.CacheHit();
            return Loaded<TPayload>.From(cached.Value, fromClientCache: true);
        }
        var fresh = payload(await SendAsync<TData>(operation, section, variables, cancellationToken));
        await _cache.SetAsync(key, fresh, Duration, token: cancellationToken);
        return Loaded<TPayload>.From(fresh, fromClientCache: false);
    }

    private async Task<TData> SendAsync<TData>(string operation, string section, object? variables, CancellationToken cancellationToken)
    {
        using var timer = state.Begin();
        try
        {
            var data = await transport.SendAsync<TData>(operation, variables, cancellationToken);
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
