using Klaviyo.Core.Portfolio;

namespace Klaviyo.Core.Accounts;

public static class AccountsServiceCollectionExtensions
{
    /// <summary>Several Klaviyo accounts: the list of connected accounts, a shell per added account, and the portfolio over them.</summary>
    public static IHostApplicationBuilder AddKlaviyoAccounts(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<AccountKeyCheck>();
        builder.Services.AddSingleton<AccountShells>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AccountShells>());
        builder.Services.AddSingleton<ConnectedAccounts>();
        builder.Services.Configure<PortfolioOptions>(builder.Configuration.GetSection(PortfolioOptions.Section));
        builder.Services.AddSingleton<PortfolioReader>();
        return builder;
    }
}
