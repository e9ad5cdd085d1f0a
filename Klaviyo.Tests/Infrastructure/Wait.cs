namespace Klaviyo.Tests.Infrastructure;

public static class Wait
{
    /// <summary>Returns once <paramref name="condition"/> holds; fails the test if it does not within the timeout (10 s by default).</summary>
    public static async Task UntilAsync(Func<bool> condition, TimeSpan? timeout = null)
    {
        using var expiry = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (!condition())
            await Task.Delay(10, expiry.Token);
    }

    /// <summary>The same for a condition that has to ask something (a query, a request).</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan? timeout = null)
    {
        using var expiry = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (!await condition().WaitAsync(expiry.Token))
            await Task.Delay(10, expiry.Token);
    }
}
