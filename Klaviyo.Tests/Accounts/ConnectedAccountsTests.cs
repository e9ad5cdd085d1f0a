using Klaviyo.Core.Accounts;
using Klaviyo.Core.Data;
using Klaviyo.Core.Sync;
using Klaviyo.Testing;
using Klaviyo.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Klaviyo.Tests.Accounts;

/// <summary>A second Klaviyo account added at run time: its key checked, its data in a store of its own, read with accountId, removed whole.</summary>
public sealed class ConnectedAccountsTests : LondonAccountTests
{
    [Fact]
    public async Task Before_any_is_added_the_deployments_own_account_is_the_only_one()
    {
        var accounts = (await App.GraphQL().QueryAsync("{ accounts { id isDefault paused } }"))["accounts"]!.AsArray();

        var only = Assert.Single(accounts);
        Assert.Equal(("default", true, false), (only!["id"]!.GetValue<string>(), only["isDefault"]!.GetValue<bool>(), only["paused"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task An_added_account_syncs_into_its_own_store_and_is_read_with_accountId()
    {
        var london = await AddLondonAsync();
        await App.SyncAsync(SyncEntity.Account, SyncEntity.Metrics, SyncEntity.Events);
        await SyncAsync(london, SyncEntity.Account, SyncEntity.Metrics, SyncEntity.Events);
        var client = App.GraphQL();

        var own = await client.QueryAsync("{ account { currency timezone } overview(range: { preset: LAST_30_DAYS }) { currency totalRevenue { value } } }");
        var theirs = await client.QueryAsync($"{{ account(accountId: \"{london}\") {{ currency timezone }} overview(accountId: \"{london}\", range: {{ preset: LAST_30_DAYS }}) {{ currency totalRevenue {{ value }} }} }}");

        Assert.Equal(("USD", "America/New_York"), (own["account"]!["currency"]!.GetValue<string>(), own["account"]!["timezone"]!.GetValue<string>()));
        Assert.Equal(("GBP", "Europe/London"), (theirs["account"]!["currency"]!.GetValue<string>(), theirs["account"]!["timezone"]!.GetValue<string>()));
        Assert.Equal("GBP", theirs["overview"]!["currency"]!.GetValue<string>());
        Assert.NotEqual(own["overview"]!["totalRevenue"]!["value"]!.GetValue<double>(), theirs["overview"]!["totalRevenue"]!["value"]!.GetValue<double>());

        // Nothing of one account is in the other's store.
        await using var ownDb = await App.Db();
        var shell = App.Service<AccountShells>().ServicesOf(london)!;
        await using var theirDb = await shell.GetRequiredService<IDbContextFactory<KlaviyoDbContext>>().CreateDbContextAsync();
        var ownIds = await ownDb.Events.Select(e => e.Id).ToListAsync();
        var theirIds = await theirDb.Events.Select(e => e.Id).ToListAsync();
        Assert.NotEmpty(ownIds);
        Assert.NotEmpty(theirIds);
        Assert.Empty(ownIds.Intersect(theirIds));
        Assert.Equal(["GBP"], await theirDb.Accounts.Select(a => a.Currency).ToListAsync());
    }

    [Fact]
    public async Task Every_account_shares_one_EF_model_and_query_cache()
    {
        var london = await AddLondonAsync();

        await using var ownDb = await App.Db();
        await using var theirDb = await ServicesOf(london).GetRequiredService<IDbContextFactory<KlaviyoDbContext>>().CreateDbContextAsync();

        // A model (and compiled queries) per account cost ~10 MB and a compilation per query per account.
        Assert.Same(ownDb.Model, theirDb.Model);
        Assert.NotEqual(ownDb.Database.GetConnectionString(), theirDb.Database.GetConnectionString());
    }

    [Fact]
    public async Task An_added_account_syncs_on_its_own_schedule()
    {
        App.With("Sync:Enabled", "true");
        var london = await AddLondonAsync();
        var client = App.GraphQL();

        await Wait.UntilAsync(async () =>
        {
            var overview = (await client.QueryAsync($"{{ overview(accountId: \"{london}\", range: {{ preset: LAST_30_DAYS }}) {{ currency totalRevenue {{ value }} }} }}"))["overview"]!;
            return overview["currency"]!.GetValue<string>() == "GBP" && overview["totalRevenue"]!["value"] is not null;
        }, TimeSpan.FromMinutes(2));
    }

    [Fact]
    public async Task A_refused_key_a_second_add_and_an_unknown_account_are_clear_errors()
    {
        var client = App.GraphQL();
        await AddLondonAsync();

        Assert.Equal("KLAVIYO_AUTH", await client.ErrorCodeAsync("mutation { addAccount(input: { apiKey: \"pk_wrong\" }) { id } }"));
        Assert.Equal("INVALID_INPUT", await client.ErrorCodeAsync("mutation { addAccount(input: { apiKey: \"pk two words\" }) { id } }"));
        Assert.Equal("CONFLICT", await client.ErrorCodeAsync($"mutation {{ addAccount(input: {{ apiKey: \"{LondonKey}\" }}) {{ id }} }}"));
        Assert.Equal("NOT_FOUND", await client.ErrorCodeAsync("{ overview(accountId: \"nowhere\", range: { preset: LAST_7_DAYS }) { currency } }"));
        Assert.Equal("INVALID_INPUT", await client.ErrorCodeAsync("mutation { removeAccount(id: \"default\") }"));
        Assert.Equal(2, (await client.QueryAsync("{ accounts { id } }"))["accounts"]!.AsArray().Count);
    }

    [Fact]
    public async Task Two_Admins_adding_one_account_at_once_connect_it_once()
    {
        var client = App.GraphQL();
        var mutation = $"mutation {{ addAccount(input: {{ apiKey: \"{LondonKey}\" }}) {{ id }} }}";

        var answers = await Task.WhenAll(client.PostAsync(mutation), client.PostAsync(mutation));

        Assert.Single(answers, a => a.Errors is null);
        Assert.Single(answers, a => a.Errors?[0]?["extensions"]?["code"]?.GetValue<string>() == "CONFLICT");
        Assert.Equal(2, (await client.QueryAsync("{ accounts { id } }"))["accounts"]!.AsArray().Count);
    }

    [Fact]
    public async Task A_new_key_must_open_the_same_Klaviyo_account()
    {
        var london = await AddLondonAsync();
        var client = App.GraphQL();
        await using (var db = await App.Db())
        {
            var before = await db.ConnectedAccounts.SingleAsync(a => a.Id == london);

            // The main account's key opens another Klaviyo account (SANDBX): refused, and the kept key is unchanged.
            Assert.Equal("INVALID_INPUT", await client.ErrorCodeAsync($"mutation {{ replaceAccountKey(id: \"{london}\", apiKey: \"pk_sandbox_local\") {{ id }} }}"));
            Assert.Equal(before.ProtectedKey, (await db.ConnectedAccounts.AsNoTracking().SingleAsync(a => a.Id == london)).ProtectedKey);
        }

        var replaced = await client.QueryAsync($"mutation {{ replaceAccountKey(id: \"{london}\", apiKey: \"{LondonKey}\") {{ id klaviyoId }} }}");
        Assert.Equal("LONDON", replaced["replaceAccountKey"]!["klaviyoId"]!.GetValue<string>());
        Assert.NotNull(App.Service<AccountShells>().ServicesOf(london));
    }

    [Fact]
    public async Task The_key_is_kept_encrypted_and_never_answered()
    {
        await AddLondonAsync();

        await using var db = await App.Db();
        var stored = await db.ConnectedAccounts.SingleAsync(a => a.Id != ConnectedAccount.DefaultId);
        Assert.NotNull(stored.ProtectedKey);
        Assert.DoesNotContain(LondonKey, stored.ProtectedKey);
        var body = (await App.GraphQL().PostAsync("{ accounts { id name klaviyoId sandbox paused addedAt } }")).Body;
        Assert.DoesNotContain(LondonKey, body);
    }

    [Fact]
    public async Task A_paused_account_serves_its_data_and_a_removed_one_is_gone_with_its_store()
    {
        var london = await AddLondonAsync();
        await SyncAsync(london, SyncEntity.Account, SyncEntity.Metrics, SyncEntity.Events);
        var client = App.GraphQL();
        var store = AccountStores.ConnectionString(DatabaseProvider.Sqlite, $"Data Source={App.DatabasePath}", $"account-{london}")["Data Source=".Length..];

        var paused = await client.QueryAsync($"mutation {{ setAccountPaused(id: \"{london}\", paused: true) {{ paused }} }}");
        var whilePaused = await client.QueryAsync($"{{ account(accountId: \"{london}\") {{ currency }} }}");
        Assert.True(paused["setAccountPaused"]!["paused"]!.GetValue<bool>());
        Assert.Equal("GBP", whilePaused["account"]!["currency"]!.GetValue<string>());

        Assert.True((await client.QueryAsync($"mutation {{ removeAccount(id: \"{london}\") }}"))["removeAccount"]!.GetValue<bool>());
        Assert.Equal("NOT_FOUND", await client.ErrorCodeAsync($"{{ account(accountId: \"{london}\") {{ currency }} }}"));
        Assert.Single((await client.QueryAsync("{ accounts { id } }"))["accounts"]!.AsArray());
        if (ApiFactory.PostgreSqlServer is null)
            Assert.False(File.Exists(store), $"{store} is still there");
    }

    [Fact]
    public async Task An_account_added_again_after_its_removal_gets_a_new_id_and_none_of_the_old_grants()
    {
        var london = await AddLondonAsync();
        string userId;
        using (var scope = App.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Klaviyo.Core.Security.UserAccounts>();
            var user = await users.CreateAsync("london-viewer@example.com", "a long enough password", Klaviyo.Core.Security.Roles.Viewer, CancellationToken.None);
            await users.SetAccountRolesAsync(user, new Dictionary<string, string> { [london] = Klaviyo.Core.Security.Roles.Viewer });
            userId = user.Id;
        }
        // A user exists now, so sign-in is required: the Admin's steps through the service.
        var accounts = App.Service<ConnectedAccounts>();
        await accounts.RemoveAsync(london, "tests", CancellationToken.None);

        var again = (await accounts.AddAsync(LondonKey, "tests", CancellationToken.None)).Id;

        Assert.NotEqual(london, again);
        using var check = App.Services.CreateScope();
        var identity = check.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Microsoft.AspNetCore.Identity.IdentityUser>>();
        var principal = await check.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.SignInManager<Microsoft.AspNetCore.Identity.IdentityUser>>()
            .CreateUserPrincipalAsync((await identity.FindByIdAsync(userId))!);
        var access = Klaviyo.Core.Security.AccountAccess.Of(principal);
        Assert.True(access.Limited);
        Assert.False(access.Sees(again));
    }

    [Fact]
    public async Task The_CSV_exports_read_the_account_named_by_account()
    {
        var london = await AddLondonAsync();
        await App.SyncAsync(SyncEntity.Account, SyncEntity.Metrics, SyncEntity.Events, SyncEntity.Campaigns);
        await SyncAsync(london, SyncEntity.Account, SyncEntity.Metrics, SyncEntity.Events, SyncEntity.Campaigns);
        var http = App.CreateClient();

        var own = await http.GetStringAsync("/export/overview.csv?range=LAST_30_DAYS");
        var theirs = await http.GetStringAsync($"/export/overview.csv?range=LAST_30_DAYS&account={london}");
        var campaigns = await http.GetStringAsync($"/export/campaigns.csv?account={london}");
        var nowhere = await http.GetAsync("/export/campaigns.csv?account=nowhere");

        Assert.Contains("USD", own);
        Assert.DoesNotContain("GBP", own);
        Assert.Contains("GBP", theirs);
        Assert.StartsWith("Export,campaigns", campaigns);
        Assert.Contains($"Account,{london}", campaigns);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, nowhere.StatusCode);
    }
}
