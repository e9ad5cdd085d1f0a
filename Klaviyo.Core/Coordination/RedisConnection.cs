using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Klaviyo.Core.Coordination;

/// <summary>
/// The one connection to <c>Coordination:Redis</c> per process, shared by the event bridge, the
/// sync forwarding and the cache's second level and backplane. It is opened on first use and never
/// aborts on a failed connect: without Redis the instance keeps serving and the multiplexer
/// reconnects in the background.
/// </summary>
public sealed class RedisConnection(IOptions<CoordinationOptions> options) : IAsyncDisposable
{
    private readonly Lazy<Task<ConnectionMultiplexer>> _connection = new(async () =>
    {
        var configuration = ConfigurationOptions.Parse(options.Value.Redis!);
        configuration.AbortOnConnectFail = false;
        // While Redis is away a command fails at once instead of waiting in a backlog: the cache and
        // the events carry on without it rather than hold every request for the async timeout.
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.ClientName = options.Value.InstanceId;
        return await ConnectionMultiplexer.ConnectAsync(configuration);
    });

    private IConnectionMultiplexer? _shared;

    public Task<ConnectionMultiplexer> GetAsync() => _connection.Value;

    /// <summary>The connection for a component that disposes what it is given (the cache's Redis levels): closing it there closes nothing.</summary>
    public async Task<IConnectionMultiplexer> SharedAsync() => _shared ??= UndisposableMultiplexer.Over(await GetAsync());

    public async ValueTask DisposeAsync()
    {
        if (_connection.IsValueCreated)
            await (await _connection.Value).DisposeAsync();
    }
}
