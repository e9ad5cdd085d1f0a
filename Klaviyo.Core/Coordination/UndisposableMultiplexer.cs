using System.Reflection;
using System.Runtime.ExceptionServices;
using StackExchange.Redis;

namespace Klaviyo.Core.Coordination;

/// <summary>
/// The process's Redis connection as a cache level is handed it. FusionCache's Redis backplane and
/// Microsoft's <c>RedisCache</c> close and dispose the multiplexer they were given when they are
/// disposed — as every connected account's cache is when its shell stops (the account paused,
/// removed, given a new key) — which closed the one connection of the whole process under every other
/// account and the deployment. This forwards everything else; closing and disposing are
/// <see cref="RedisConnection"/>'s, at the process's end.
/// </summary>
public class UndisposableMultiplexer : DispatchProxy
{
    private IConnectionMultiplexer _inner = null!;

    public static IConnectionMultiplexer Over(IConnectionMultiplexer inner)
    {
        var proxy = Create<IConnectionMultiplexer, UndisposableMultiplexer>();
        ((UndisposableMultiplexer)(object)proxy)._inner = inner;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (targetMethod.Name is nameof(IDisposable.Dispose) or nameof(IAsyncDisposable.DisposeAsync) or nameof(IConnectionMultiplexer.Close) or nameof(IConnectionMultiplexer.CloseAsync))
            return targetMethod.ReturnType == typeof(Task) ? Task.CompletedTask : targetMethod.ReturnType == typeof(ValueTask) ? ValueTask.CompletedTask : null;
        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }
}
