using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Klaviyo.Tests.Alerts;

/// <summary>A real HTTP receiver (Kestrel, loopback TCP) that records what it is sent and answers as scripted (then 200).</summary>
public sealed class HookReceiver : IAsyncDisposable
{
    public sealed record Received(IHeaderDictionary Headers, string Body, DateTime At);

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Func<HttpResponse, Task>> _answers = new();
    public ConcurrentQueue<Received> Requests { get; } = new();
    public string Url { get; private set; } = "";

    private HookReceiver()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapPost("/hook", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync();
            var headers = new HeaderDictionary(http.Request.Headers.ToDictionary(h => h.Key, h => h.Value));
            Requests.Enqueue(new Received(headers, body, DateTime.UtcNow));
            if (_hold is { } hold && hold.Matches(body))
            {
                _hold = null;
                await hold.Release;
            }
            if (_answers.TryDequeue(out var answer))
                await answer(http.Response);
            else
                http.Response.StatusCode = 200;
        });
    }

    public static async Task<HookReceiver> StartAsync()
    {
        var receiver = new HookReceiver();
        await receiver._app.StartAsync();
        var address = receiver._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = $"{address}/hook";
        return receiver;
    }

    /// <summary>The next request gets this answer instead of 200.</summary>
    public void Then(int status, string? retryAfter = null) => _answers.Enqueue(response =>
    {
        response.StatusCode = status;
        if (retryAfter is not null)
            response.Headers.RetryAfter = retryAfter;
        return Task.CompletedTask;
    });

    /// <summary>The first request whose body matches is held, unanswered, until <paramref name="release"/> completes (a sender killed mid-delivery).</summary>
    public void Hold(Func<string, bool> matches, Task release) => _hold = (matches, release);

    private (Func<string, bool> Matches, Task Release)? _hold;

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
