using System.Net;
using System.Text.Json;
using Klaviyo.Core.Errors;
using Klaviyo.Core.RestClient;
using Klaviyo.Core.Sync.Entities;
using Microsoft.Extensions.Options;

namespace Klaviyo.Core.Accounts;

/// <summary>What Klaviyo says of an account, asked with its key before the key is kept.</summary>
public sealed record KlaviyoAccountFacts(string KlaviyoId, string Name, string Timezone, string Currency);

/// <summary>Asks Klaviyo's Get Accounts with a key that is offered, so a refused or mistyped key is never saved.</summary>
public sealed class AccountKeyCheck(IHttpClientFactory clients, IOptions<KlaviyoOptions> options)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    public async Task<KlaviyoAccountFacts> CheckAsync(string apiKey, Uri baseUrl, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        // Get Accounts is Klaviyo's XS tier (1 call a second): a throttled check waits as Klaviyo says, within the 15 s.
        for (var attempt = 1; ; attempt++)
        {
            var (facts, retryAfter) = await TryAsync(apiKey, baseUrl, timeout.Token, cancellationToken);
            if (facts is not null)
                return facts;
            if (attempt == 3)
                throw new InvalidInputError("Klaviyo rate-limited the key check three times; try again in a minute.", ErrorCodes.KlaviyoRateLimited);
            try
            {
                await Task.Delay(retryAfter, timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new InvalidInputError("Klaviyo rate-limited the key check longer than 15 s; try again in a minute.", ErrorCodes.KlaviyoRateLimited);
            }
        }
    }

    /// <summary>The account, or null with how long Klaviyo asked to wait (429).</summary>
    private async Task<(KlaviyoAccountFacts? Facts, TimeSpan RetryAfter)> TryAsync(string apiKey, Uri baseUrl, CancellationToken timeout, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUrl, "api/accounts"));
        request.Headers.TryAddWithoutValidation("Authorization", $"Klaviyo-API-Key {apiKey}");
        request.Headers.Add("revision", options.Value.Revision);
        request.Headers.Accept.ParseAdd("application/vnd.api+json");
        HttpResponseMessage response;
        try
        {
            response = await clients.CreateClient(nameof(KlaviyoClient)).SendAsync(request, timeout);
        }
        catch (Exception e) when (e is HttpRequestException || e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new InvalidInputError($"Klaviyo could not be reached to check the key ({(e is OperationCanceledException ? "no answer within 15 s" : e.Message)}).", ErrorCodes.KlaviyoUnavailable);
        }
        using (response)
        {
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                throw new InvalidInputError($"Klaviyo refused this key ({(int)response.StatusCode}): it must be a private key (pk_…) with read access to accounts.", ErrorCodes.KlaviyoAuth);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
                return (null, response.Headers.RetryAfter?.Delta is { } delta && delta > TimeSpan.Zero ? delta : TimeSpan.FromSeconds(1));
            if (!response.IsSuccessStatusCode)
                throw new InvalidInputError($"Klaviyo answered {(int)response.StatusCode} when the key was checked; try again.", ErrorCodes.KlaviyoUnavailable);
            using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
            var account = document.RootElement.GetProperty("data").EnumerateArray().FirstOrDefault();
            if (account.ValueKind != JsonValueKind.Object)
                throw new InvalidInputError("Klaviyo answered Get Accounts with no account for this key.", ErrorCodes.KlaviyoUnavailable);
            var a = account.Attributes();
            return (new KlaviyoAccountFacts(account.Id(), a.String("contact_information", "organization_name") ?? account.Id(),
                a.String("timezone") ?? "UTC", a.String("preferred_currency") ?? "USD"), TimeSpan.Zero);
        }
    }
}
