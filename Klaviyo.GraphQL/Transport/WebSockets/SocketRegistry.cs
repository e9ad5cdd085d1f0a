using System.Collections.Concurrent;
using Klaviyo.Core.Security;
using Microsoft.Extensions.Options;

namespace Klaviyo.GraphQL.Transport.WebSockets;

/// <summary>Caps on open sockets, in total and per identity (user, API key, or IP address when anonymous).</summary>
public sealed class SocketRegistry(IOptions<SecurityOptions> options)
{
    private readonly ConcurrentDictionary<string, int> _perIdentity = new();
    private int _total;

    public enum Admission { Admitted, TooManyTotal, TooManyForIdentity }

    public Admission TryOpen(string identity)
    {
        var limits = options.Value.Sockets;
        if (Interlocked.Increment(ref _total) > limits.MaxTotal)
        {
            Interlocked.Decrement(ref _total);
            return Admission.TooManyTotal;
        }
        if (_perIdentity.AddOrUpdate(identity, 1, (_, n) => n + 1) > limits.MaxPerIdentity)
        {
            Close(identity);
            return Admission.TooManyForIdentity;
        }
        return Admission.Admitted;
    }

    public void Close(string identity)
    {
        Interlocked.Decrement(ref _total);
        if (_perIdentity.AddOrUpdate(identity, 0, (_, n) => n - 1) <= 0)
            _perIdentity.TryRemove(new KeyValuePair<string, int>(identity, 0));
    }
}
