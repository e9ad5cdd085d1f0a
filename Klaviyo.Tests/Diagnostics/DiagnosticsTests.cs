using System.Diagnostics.Metrics;
using System.Net;
using Klaviyo.Core.Diagnostics;
using Klaviyo.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Klaviyo.Tests.Diagnostics;

/// <summary>The diagnostics query, the health endpoints and the OpenTelemetry meter agree with traffic the test generated.</summary>
public sealed class DiagnosticsTests
{
    [Fact]
    public async Task Diagnostics_count_the_requests_errors_cache_use_and_sockets_this_test_generated()
    {
        using var factory = new ApiFactory();
        var client = factory.GraphQL();
        for (var i = 0; i < 5; i++)
            await client.PostAsync("query Metrics { metrics { dataSource } }");
        for (var i = 0; i < 3; i++)
            await client.PostAsync("{ nope }");
        await client.PostAsync("{ campaigns(first: 0) { totalCount } }");
        await using var socket = await GraphQLWebSocketClient.InitialisedAsync(factory);

        var diagnostics = (await client.QueryAsync("""
            {
              diagnostics {
                requests { total errors inFlight p50Ms p95Ms p99Ms operations { name count errors } }
                cache { hits responseHits misses failSafeActivations evictions hitRatio }
                klaviyo { mode requests reportBudgetLeft }
                database { provider reachable latencyMs sizeBytes tables { table rows } }
                sync { scheduleEnabled running recentRuns { id } }
                subscriptions { openSockets activeOperations socketsAccepted }
                process { version uptimeSeconds workingSetBytes threads }
                errors { code }
              }
            }
            """))["diagnostics"]!;

        var requests = diagnostics["requests"]!;
        Assert.Equal(9, requests["total"]!.GetValue<long>());
        Assert.Equal(4, requests["errors"]!.GetValue<long>());
        Assert.Equal(1, requests["inFlight"]!.GetValue<long>()); // this diagnostics request
        Assert.True(requests["p50Ms"]!.GetValue<double>() > 0);
        Assert.True(requests["p99Ms"]!.GetValue<double>() >= requests["p95Ms"]!.GetValue<double>());
        var operations = requests["operations"]!.AsArray().ToDictionary(o => o!["name"]!.GetValue<string>(), o => (o!["count"]!.GetValue<long>(), o["errors"]!.GetValue<long>()));
        Assert.Equal((5L, 0L), operations["Metrics"]);
        Assert.Equal((3L, 3L), operations["query nope"]);
        Assert.Equal((1L, 1L), operations["query campaigns"]);

        var cache = diagnostics["cache"]!;
        // The first metrics query computed it, the second was served from the field cache (and its
        // response stored), the last three were served as whole responses.
        Assert.Equal(1, cache["misses"]!.GetValue<long>());
        Assert.Equal(1, cache["hits"]!.GetValue<long>());
        Assert.Equal(3, cache["responseHits"]!.GetValue<long>());
        Assert.Equal(0.8, cache["hitRatio"]!.GetValue<double>(), 3);

        Assert.Equal("SANDBOX", diagnostics["klaviyo"]!["mode"]!.GetValue<string>());
        Assert.Equal(225, diagnostics["klaviyo"]!["reportBudgetLeft"]!.GetValue<int>());
        var database = diagnostics["database"]!;
        Assert.Equal((ApiFactory.PostgreSqlServer is null ? "Sqlite" : "PostgreSql", true), (database["provider"]!.GetValue<string>(), database["reachable"]!.GetValue<bool>()));
        Assert.True(database["sizeBytes"]!.GetValue<long>() > 0);
        Assert.Contains(database["tables"]!.AsArray(), t => t!["table"]!.GetValue<string>() == "events");
        Assert.Equal(1, diagnostics["subscriptions"]!["openSockets"]!.GetValue<long>());
        Assert.True(diagnostics["process"]!["workingSetBytes"]!.GetValue<long>() > 0);
        Assert.Empty(diagnostics["errors"]!.AsArray());
    }

    [Fact]
    public async Task Health_live_answers()
    {
        using var factory = new ApiFactory();
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient().GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task Health_ready_checks_the_database_and_sync()
    {
        using var factory = new ApiFactory();
        var ready = await factory.CreateClient().GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var body = await ready.Content.ReadAsStringAsync();
        Assert.Contains("\"database\":{\"status\":\"Healthy\"", body);
        Assert.Contains("\"sync\":{\"status\":\"Healthy\"", body);
    }

    [Fact]
    public async Task The_same_counters_are_published_as_OpenTelemetry_instruments()
    {
        using var factory = new ApiFactory();
        var client = factory.GraphQL();
        for (var i = 0; i < 3; i++)
            await client.PostAsync("query Metrics { metrics { dataSource } }");

        var meterFactory = factory.Services.GetRequiredService<IMeterFactory>();
        var observed = new Dictionary<string, double>();
        var durations = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // Only this app's meter: other test classes run apps with a meter of the same name in parallel.
            if (instrument.Meter.Name == KlaviyoMeters.MeterName && instrument.Meter.Scope == meterFactory)
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => observed[instrument.Name] = value);
        listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => observed[instrument.Name] = value);
        listener.SetMeasurementEventCallback<double>((instrument, _, _, _) =>
        {
            if (instrument.Name == "klaviyo.graphql.request.duration")
                durations++;
        });
        listener.Start();
        await client.PostAsync("query Metrics { metrics { dataSource } }");
        listener.RecordObservableInstruments();

        Assert.Equal(4, observed["klaviyo.graphql.requests"]);
        Assert.Equal(0, observed["klaviyo.graphql.request.errors"]);
        Assert.Equal(1, observed["klaviyo.cache.hits"]);
        Assert.Equal(2, observed["klaviyo.cache.response_hits"]);
        Assert.Equal(1, observed["klaviyo.cache.misses"]);
        Assert.Equal(1, durations);
    }
}
