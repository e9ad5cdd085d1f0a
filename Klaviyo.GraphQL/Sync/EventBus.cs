using System.Reactive.Linq;
using System.Reactive.Subjects;

namespace Klaviyo.GraphQL.Sync;

/// <summary>
/// In-process publish/subscribe between the sync engine and subscriptions. Publishers may call
/// from any thread: the subject is synchronized, so observers see events one at a time.
/// </summary>
public sealed class EventBus : IDisposable
{
    private readonly Subject<object> _inner = new();
    private readonly ISubject<object> _subject;

    public EventBus() => _subject = Subject.Synchronize(_inner);

    public void Publish<T>(T @event) where T : class => _subject.OnNext(@event);

    public IObservable<T> Observe<T>() => _subject.OfType<T>();

    public void Dispose()
    {
        _subject.OnCompleted();
        _inner.Dispose();
    }
}
