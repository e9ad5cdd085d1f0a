using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Klaviyo.Tests.Infrastructure;

/// <summary>Every log line at every level, for tests that prove a secret is never written.</summary>
public sealed class CapturingLoggerProvider(ConcurrentQueue<string> logs) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Capturing(categoryName, logs);

    public void Dispose()
    {
    }

    private sealed class Capturing(string category, ConcurrentQueue<string> logs) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            logs.Enqueue($"{category}: {formatter(state, exception)} {exception}");
    }
}
