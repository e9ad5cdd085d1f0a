using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Klaviyo.GraphQL.Webhooks;

/// <summary>The key deliveries are signed with: Klaviyo:Webhooks:Secret, or 32 random bytes for this process's life (registration hands it to Klaviyo).</summary>
public sealed class WebhookSecret(IOptions<WebhookOptions> options)
{
    public string Value { get; } = string.IsNullOrWhiteSpace(options.Value.Secret)
        ? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32))
        : options.Value.Secret.Length >= 16 ? options.Value.Secret
        : throw new OptionsValidationException(WebhookOptions.Section, typeof(WebhookOptions), ["Klaviyo:Webhooks:Secret must be at least 16 characters."]);
}
