namespace Klaviyo.Core.Diagnostics;

/// <summary>Open graphql-transport-ws sockets and the operations running on them.</summary>
public sealed class SubscriptionStatistics
{
    private long _sockets, _operations, _socketsTotal;

    public long OpenSockets => Interlocked.Read(ref _sockets);
    public long ActiveOperations => Interlocked.Read(ref _operations);
    public long SocketsAccepted => Interlocked.Read(ref _socketsTotal);

    public void SocketOpened()
    {
        Interlocked.Increment(ref _sockets);
        Interlocked.Increment(ref _socketsTotal);
    }

    public void SocketClosed() => Interlocked.Decrement(ref _sockets);
    public void OperationStarted() => Interlocked.Increment(ref _operations);
    public void OperationEnded() => Interlocked.Decrement(ref _operations);
}
