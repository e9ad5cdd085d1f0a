using System.Reactive.Disposables;
using System.Reactive.Linq;
using System.Reactive.Subjects;

namespace Klaviyo.Core.Sync;

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

    private int _subscribers;

    /// <summary>Observers listening now (subscriptions, the progress board, pages).</summary>
    public int Subscribers => Volatile.Read(ref _subscribers);

    public IObservable<T> Observe<T>() => Observable.Create<T>(observer =>
    {
        var subscription = _subject.OfType<T>().Subscribe(observer);
        Interlocked.Increment(ref _subscribers);
        return Disposable.Create(() =>
        {
            subscription.Dispose();
            Interlocked.Decrement(ref _subscribers);
        });
    });

    public void Dispose()
    {
        _subject.OnCompleted();
        _inner.Dispose();
    }
}
