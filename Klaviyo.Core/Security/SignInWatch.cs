using Klaviyo.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.Core.Security;

/// <summary>
/// While this process serves anonymous callers, looks every few seconds for an account or API key
/// made elsewhere — by another instance without a coordination bus, or by <c>create-admin</c> in a
/// shell — and switches to sign-in when one appears. Changes made through this process switch it at
/// once (<see cref="CredentialChanges"/>); this is the net under them.
/// </summary>
internal sealed class SignInWatch(
    IDbContextFactory<KlaviyoDbContext> contexts,
    SecurityMode mode,
    CredentialChanges changes,
    TimeProvider time,
    ILogger<SignInWatch> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (mode.SignInRequired)
                    return;
                try
                {
                    await using var db = await contexts.CreateDbContextAsync(stoppingToken);
                    if (await db.Users.AnyAsync(stoppingToken) || await db.ApiKeys.AnyAsync(stoppingToken))
                        changes.Apply(new CredentialNotice(SignInRequired: true));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogDebug(e, "Could not look for accounts; trying again in {Seconds} s", Interval.TotalSeconds);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
