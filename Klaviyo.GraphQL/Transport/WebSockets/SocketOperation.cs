namespace Klaviyo.GraphQL.Transport.WebSockets;

/// <summary>One operation running on a socket: its own DI scope and cancellation, and its subscription; all of them end with it.</summary>
public sealed class SocketOperation : IDisposable
{
    private readonly Core.Diagnostics.SubscriptionStatistics _statistics;
    private IServiceScope? _scope;
    private int _disposed;

    public SocketOperation(string id, Core.Diagnostics.SubscriptionStatistics statistics)
    {
        (Id, _statistics) = (id, statistics);
        statistics.OperationStarted();
    }

    public string Id { get; }
    public CancellationTokenSource Cancellation { get; } = new();
    public IDisposable? Subscription { get; set; }

    public IServiceScope Scope(IServiceScopeFactory factory) => _scope ??= factory.CreateScope();

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        _statistics.OperationEnded();
        Cancellation.Cancel();
        Subscription?.Dispose();
        _scope?.Dispose();
        Cancellation.Dispose();
    }
}
