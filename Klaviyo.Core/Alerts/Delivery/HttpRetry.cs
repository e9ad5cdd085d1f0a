using System.Net;

namespace Klaviyo.Core.Alerts.Delivery;

/// <summary>What an HTTP receiver's answer means for the outbox: sent, retry (when it says, by Retry-After), or gone (410).</summary>
public static class HttpRetry
{
    public static async Task<SendResult> SendAsync(HttpClient http, HttpRequestMessage request, string what, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode)
                return new SendResult.Sent();
            var after = response.Headers.RetryAfter is { } retry
                ? retry.Delta ?? (retry.Date is { } date ? date - DateTimeOffset.UtcNow : null)
                : null;
            return response.StatusCode == HttpStatusCode.Gone
                ? new SendResult.Gone($"{what} answered 410 Gone.")
                : new SendResult.Retry($"{what} answered {(int)response.StatusCode} {response.ReasonPhrase}.", after is { } a && a > TimeSpan.Zero ? a : null);
        }
        catch (HttpRequestException e)
        {
            return new SendResult.Retry($"{what} could not be reached: {e.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SendResult.Retry($"{what} did not answer in time.");
        }
    }
}
