namespace Klaviyo.Core.Accounts;

public static class AccountsServiceCollectionExtensions
{
    /// <summary>Several Klaviyo accounts: the list of connected accounts and a shell per added account.</summary>
    public static IHostApplicationBuilder AddKlaviyoAccounts(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<AccountKeyCheck>();
        builder.Services.AddSingleton<AccountShells>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AccountShells>());
        builder.Services.AddSingleton<ConnectedAccounts>();
        return builder;
    }
}
