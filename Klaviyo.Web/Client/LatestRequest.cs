namespace Klaviyo.Web.Client;

/// <summary>
/// One section's loads in order: starting a load cancels the one before, and only the latest may
/// change what the section shows (an older answer for another range, page or sort is dropped).
/// </summary>
public sealed class LatestRequest : IDisposable
{
    private CancellationTokenSource? _current;
    private long _ticket;

    /// <summary>Starts a load; the previous one is cancelled.</summary>
    public (long Ticket, CancellationToken Token) Next()
    {
        var next = new CancellationTokenSource();
        var previous = Interlocked.Exchange(ref _current, next);
        previous?.Cancel();
        previous?.Dispose();
        return (Interlocked.Increment(ref _ticket), next.Token);
    }

    public bool IsLatest(long ticket) => Interlocked.Read(ref _ticket) == ticket;

    /// <summary>
    /// Runs <paramref name="load"/> as the latest load; <paramref name="apply"/> sees its result only
    /// while no newer load has started, and gets the client error when it failed.
    /// </summary>
    /// <returns>False when a newer load replaced this one (nothing was applied).</returns>
    public async Task<bool> RunAsync<T>(Func<CancellationToken, Task<T>> load, Action<T?, GraphQLClientException?> apply)
    {
        var (ticket, token) = Next();
        T? result;
        try
        {
            result = await load(token);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return false;
        }
        catch (GraphQLClientException e)
        {
            if (!IsLatest(ticket))
                return false;
            apply(default, e);
            return true;
        }
        if (!IsLatest(ticket))
            return false;
        apply(result, null);
        return true;
    }

    public void Dispose()
    {
        var current = Interlocked.Exchange(ref _current, null);
        current?.Cancel();
        current?.Dispose();
    }
}
