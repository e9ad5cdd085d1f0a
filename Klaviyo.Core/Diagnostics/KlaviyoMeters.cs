using System.Diagnostics.Metrics;
using Klaviyo.Core.Errors;
using Klaviyo.Core.Freshness;
using Klaviyo.Core.RestClient;

namespace Klaviyo.Core.Diagnostics;

/// <summary>
/// The diagnostics counters as OpenTelemetry instruments on one meter, read from the same statistics
/// objects. A hosted service only so that it exists from start-up (instruments observe once created).
/// </summary>
public sealed class KlaviyoMeters : IHostedService, IDisposable
{
    public const string MeterName = "Klaviyo.Dashboard";

    private readonly Meter _meter;

    public KlaviyoMeters(IMeterFactory meters, RequestStatistics requests, CacheStatistics cache, KlaviyoClientStatistics klaviyo,
        SubscriptionStatistics subscriptions, ApiErrorBoard errors)
    {
        _meter = meters.Create(MeterName);
        var latency = _meter.CreateHistogram<double>("klaviyo.graphql.request.duration", "ms", "GraphQL request latency over HTTP.");
        requests.Completed += (operation, milliseconds, failed) =>
            latency.Record(milliseconds, new("operation", operation), new("error", failed));
        _meter.CreateObservableCounter("klaviyo.graphql.requests", () => requests.Total, description: "GraphQL requests served over HTTP.");
        _meter.CreateObservableCounter("klaviyo.graphql.request.errors", () => requests.Errors, description: "GraphQL requests answered with errors.");
        _meter.CreateObservableUpDownCounter("klaviyo.graphql.requests.in_flight", () => requests.InFlight);
        _meter.CreateObservableCounter("klaviyo.cache.hits", () => cache.Hits);
        _meter.CreateObservableCounter("klaviyo.cache.response_hits", () => cache.ResponseHits);
        _meter.CreateObservableCounter("klaviyo.cache.misses", () => cache.Misses);
        _meter.CreateObservableCounter("klaviyo.cache.fail_safe_activations", () => cache.FailSafeActivations);
        _meter.CreateObservableCounter("klaviyo.cache.evictions", () => cache.Evictions);
        _meter.CreateObservableCounter("klaviyo.client.requests", () => klaviyo.Requests);
        _meter.CreateObservableCounter("klaviyo.client.rate_limited", () => klaviyo.RateLimited);
        _meter.CreateObservableCounter("klaviyo.client.retries", () => klaviyo.Retries);
        _meter.CreateObservableGauge("klaviyo.client.rate_limit_remaining", () => klaviyo.LastRateLimitRemaining ?? 0);
        _meter.CreateObservableUpDownCounter("klaviyo.subscriptions.sockets", () => subscriptions.OpenSockets);
        _meter.CreateObservableUpDownCounter("klaviyo.subscriptions.operations", () => subscriptions.ActiveOperations);
        _meter.CreateObservableGauge("klaviyo.errors.current", () => errors.Current.Count, description: "Errors happening now.");
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _meter.Dispose();
}
