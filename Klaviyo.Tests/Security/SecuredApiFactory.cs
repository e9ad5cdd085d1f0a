using System.Net.Http.Headers;
using Klaviyo.Core.Security;
using Klaviyo.Tests.Infrastructure;

namespace Klaviyo.Tests.Security;

/// <summary>The API with sign-in required, and one API key per role (made once, through the real key service).</summary>
public class SecuredApiFactory : ApiFactory
{
    private readonly Dictionary<string, string> _keys = [];
    private readonly Lock _gate = new();

    public SecuredApiFactory() => With("Security:RequireSignIn", "true");

    public string KeyFor(string role)
    {
        lock (_gate)
        {
            if (!_keys.TryGetValue(role, out var key))
                _keys[role] = key = Service<ApiKeyService>().CreateAsync($"{role} tests", role, null, "tests", CancellationToken.None).GetAwaiter().GetResult().Secret;
            return key;
        }
    }

    /// <summary>A client sending this role's key; no credential when <paramref name="role"/> is null.</summary>
    public GraphQLTestClient GraphQLAs(string? role) => new(ClientWith(role is null ? null : KeyFor(role)));

    public HttpClient ClientWith(string? bearer)
    {
        var http = CreateClient();
        if (bearer is not null)
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return http;
    }
}
