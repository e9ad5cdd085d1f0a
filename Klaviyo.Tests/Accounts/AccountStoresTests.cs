using Klaviyo.Core.Accounts;
using Klaviyo.Core.Data;
using Npgsql;

namespace Klaviyo.Tests.Accounts;

/// <summary>Where each account's store lives: a database of its own, whatever the length of the deployment's name.</summary>
public sealed class AccountStoresTests
{
    private static string PostgreSqlDatabase(string deployment, string accountId) =>
        new NpgsqlConnectionStringBuilder(AccountStores.ConnectionString(DatabaseProvider.PostgreSql, $"Host=db;Database={deployment}", $"account-{accountId}")).Database!;

    [Fact]
    public void A_short_deployment_name_gets_its_accounts_beside_it()
    {
        Assert.Equal("klaviyo_account_london", PostgreSqlDatabase("klaviyo", "london"));
    }

    [Fact]
    public void A_long_deployment_name_still_gives_each_account_a_database_of_its_own_within_PostgreSQLs_63_bytes()
    {
        const string deployment = "klaviyo_klaviyo_tests_551c937eab2f4848825757b13a6ca800";
        string[] names = [PostgreSqlDatabase(deployment, "london"), PostgreSqlDatabase(deployment, "paris"), PostgreSqlDatabase(deployment, "tokyo"),
            PostgreSqlDatabase(deployment, new string('a', 32)), PostgreSqlDatabase(deployment + "x", "london")];

        Assert.All(names, n => Assert.InRange(n.Length, 1, 63));
        Assert.Equal(names.Length, names.Distinct().Count());
        Assert.EndsWith("_account_london", names[0], StringComparison.Ordinal);
    }
}
