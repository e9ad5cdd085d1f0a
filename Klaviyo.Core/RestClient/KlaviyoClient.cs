using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Klaviyo.Api;
using Klaviyo.Core.Reports;
using Microsoft.Extensions.Options;

namespace Klaviyo.Core.RestClient;

/// <summary>
/// The only code that talks to Klaviyo: JSON:API over a typed HttpClient with the revision
/// header, cursor pages followed by their <c>links.next</c> (re-issued against the configured
/// base URL, as Klaviyo's SDKs do), pacing per tier, capped Retry-After, jittered retries of
/// transient failures, and a daily budget for the Reporting API.
/// </summary>
public sealed class KlaviyoClient(
    HttpClient http,
    KlaviyoConnection connection,
    RateLimitPacer pacer,
    KlaviyoClientStatistics statistics,
    ReportBudget reportBudget,
    IOptions<KlaviyoOptions> options,
    TimeProvider time,
    ILogger<KlaviyoClient> logger)
{
    private const string JsonApiType = "application/vnd.api+json";

    private int _requests, _throttled;

    public KlaviyoMode Mode => connection.Mode;

    /// <summary>Requests this client sent (one client serves one sync run).</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>429 responses this client received.</summary>
    public int Throttled => Volatile.Read(ref _throttled);

    /// <summary>Every page of a collection; the caller may checkpoint <see cref="JsonApiPage.Next"/> and resume from it.</summary>
    public async IAsyncEnumerable<JsonApiPage> GetPagesAsync(string pathAndQuery, RateTier tier, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? next = pathAndQuery;
        while (next is not null)
        {
            using var document = await SendAsync(HttpMethod.Get, next, null, tier, cancellationToken);
            var page = JsonApiPage.From(document, next);
            next = page.Next;
            yield return page;
        }
    }

    public async Task<JsonApiPage> GetAsync(string pathAndQuery, RateTier tier, CancellationToken cancellationToken)
    {
        using var document = await SendAsync(HttpMethod.Get, pathAndQuery, null, tier, cancellationToken);
        return JsonApiPage.From(document, pathAndQuery);
    }

    /// <summary>A JSON:API write (POST or PATCH) outside the Reporting API, e.g. registering a webhook.</summary>
    public Task<JsonDocument> WriteAsync(HttpMethod method, string path, object body, RateTier tier, CancellationToken cancellationToken) =>
        SendAsync(method, path, JsonSerializer.Serialize(body), tier, cancellationToken);

    /// <summary>A Reporting API POST; each attempt (retries too) is spent from the daily budget.</summary>
    public Task<JsonDocument> PostReportAsync(string path, object body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, path, JsonSerializer.Serialize(body), RateTier.Reporting, cancellationToken);

    private async Task<JsonDocument> SendAsync(HttpMethod method, string pathAndQuery, string? body, RateTier tier, CancellationToken cancellationToken)
    {
        var path = pathAndQuery.Split('?')[0];
        for (var attempt = 0; ; attempt++)
        {
            // Spent before pacing, so a spent budget is refused at once instead of after a minute's wait.
            if (tier == RateTier.Reporting)
                await SpendReportCallAsync(cancellationToken);
            // Disposed as soon as the answer is in (the request then leaves the pacer's windows a window later); at the latest here.
            using var sent = await pacer.WaitAsync(tier, cancellationToken);
            using var request = Request(method, pathAndQuery, body);

            HttpResponseMessage response;
            statistics.Request();
            Interlocked.Increment(ref _requests);
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(options.Value.RequestTimeout);
                response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
                sent.Dispose();
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                sent.Dispose();
                if (attempt >= options.Value.MaxRetries)
                    throw new KlaviyoException(KlaviyoFailure.Unavailable, $"Klaviyo did not answer {method} {path} after {attempt + 1} attempts: {e.Message}", inner: e);
                await BackOffAsync(attempt, $"{method} {path}: {e.GetType().Name}", cancellationToken);
                continue;
            }

            using (response)
            {
                if (response.Headers.TryGetValues("RateLimit-Remaining", out var remaining) && int.TryParse(remaining.First(), out var left))
                    statistics.Headroom(left);
                if (response.IsSuccessStatusCode)
                    return await ParseAsync(response, method, path, cancellationToken);
                await RetryOrThrowAsync(response, method, path, attempt, cancellationToken);
            }
        }
    }

    private HttpRequestMessage Request(HttpMethod method, string pathAndQuery, string? body)
    {
        var request = new HttpRequestMessage(method, new Uri(connection.BaseUrl, pathAndQuery.TrimStart('/')));
        request.Headers.Authorization = new AuthenticationHeaderValue("Klaviyo-API-Key", connection.ApiKey);
        request.Headers.Add("revision", options.Value.Revision);
        request.Headers.Accept.ParseAdd(JsonApiType);
        if (body is not null)
            request.Content = new StringContent(body, Encoding.UTF8, JsonApiType);
        return request;
    }

    private async Task SpendReportCallAsync(CancellationToken cancellationToken)
    {
        if (await reportBudget.TrySpendAsync(cancellationToken))
            return;
        var renews = ReportBudget.RenewsAt(time.GetUtcNow().UtcDateTime);
        throw new KlaviyoException(KlaviyoFailure.ReportBudgetSpent,
            $"The Reporting API budget of {reportBudget.DailyCalls} calls a day is spent; next reports at {renews:u}.", retryAt: renews);
    }

    /// <summary>Throws what a failed answer means, or waits (Retry-After, back-off) when another attempt may succeed.</summary>
    private async Task RetryOrThrowAsync(HttpResponseMessage response, HttpMethod method, string path, int attempt, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var detail = await ErrorDetailAsync(response, cancellationToken);
        switch (status)
        {
            case 401 or 403:
                throw new KlaviyoException(KlaviyoFailure.Auth, $"Klaviyo refused the API key ({status}) for {method} {path}: {detail}", status);
            case 404:
                throw new KlaviyoException(KlaviyoFailure.NotFound, $"Klaviyo has no {path} ({detail}).", status);
            case 429:
                statistics.Throttled();
                Interlocked.Increment(ref _throttled);
                var retryAfter = RetryAfter(response);
                var until = time.GetUtcNow().UtcDateTime + retryAfter;
                if (retryAfter > options.Value.MaxRetryAfter || attempt >= options.Value.MaxRetries + 2)
                    throw new KlaviyoException(KlaviyoFailure.RateLimited, $"Klaviyo rate-limited {method} {path}; rate-limited until {until:u}.", status, until);
                logger.LogWarning("Klaviyo returned 429 for {Method} {Path}; waiting {Seconds} s as Retry-After asks", method, path, retryAfter.TotalSeconds);
                statistics.Retry();
                await Task.Delay(retryAfter, time, cancellationToken);
                return;
            case >= 500:
                if (attempt >= options.Value.MaxRetries)
                    throw new KlaviyoException(KlaviyoFailure.Unavailable, $"Klaviyo answered {status} to {method} {path} after {attempt + 1} attempts: {detail}", status);
                await BackOffAsync(attempt, $"{method} {path}: {status}", cancellationToken);
                return;
            default:
                logger.LogError("Klaviyo rejected {Method} {Path} with {Status}: {Detail}", method, path, status, detail);
                throw new KlaviyoException(KlaviyoFailure.InvalidRequest, $"Klaviyo rejected {method} {path} ({status}): {detail}", status);
        }
    }

    private async Task BackOffAsync(int attempt, string what, CancellationToken cancellationToken)
    {
        statistics.Retry();
        var delay = options.Value.RetryBaseDelay * Math.Pow(2, attempt) * (0.5 + Random.Shared.NextDouble());
        logger.LogWarning("Retrying {What} in {Delay} ms (attempt {Attempt})", what, (int)delay.TotalMilliseconds, attempt + 2);
        await Task.Delay(delay, time, cancellationToken);
    }

    private static TimeSpan RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter?.Delta ?? (response.Headers.RetryAfter?.Date is { } date ? date - DateTimeOffset.UtcNow : TimeSpan.FromSeconds(1));

    private static async Task<JsonDocument> ParseAsync(HttpResponseMessage response, HttpMethod method, string path, CancellationToken cancellationToken)
    {
        try
        {
            var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("data", out _))
            {
                document.Dispose();
                throw new KlaviyoException(KlaviyoFailure.InvalidResponse, $"Klaviyo's answer to {method} {path} has no 'data'.");
            }
            return document;
        }
        catch (JsonException e)
        {
            throw new KlaviyoException(KlaviyoFailure.InvalidResponse, $"Klaviyo's answer to {method} {path} is not JSON: {e.Message}", inner: e);
        }
    }

    private static async Task<string> ErrorDetailAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            var error = document.RootElement.GetProperty("errors")[0];
            return error.TryGetProperty("detail", out var d) ? d.GetString() ?? "" : error.GetProperty("title").GetString() ?? "";
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException)
        {
            return response.ReasonPhrase ?? ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
