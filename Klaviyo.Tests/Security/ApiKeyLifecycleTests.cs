using System.Net;
using Klaviyo.Core.Data;
using Klaviyo.Core.Security;
using Klaviyo.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Klaviyo.Tests.Security;

/// <summary>An API key from creation to expiry or revocation, through the GraphQL mutations an Admin uses.</summary>
public sealed class ApiKeyLifecycleTests(ApiKeyLifecycleTests.Factory factory) : IClassFixture<ApiKeyLifecycleTests.Factory>
{
    public sealed class Factory : SecuredApiFactory
    {
        public OffsetTimeProvider Clock { get; } = new();

        public Factory() => WithServices(s => s.AddSingleton<TimeProvider>(Clock));
    }

    private const string Create = """
        mutation($name: String!, $role: Role!, $expiresAt: DateTime) {
          createApiKey(input: { name: $name, role: $role, expiresAt: $expiresAt }) { secret apiKey { id prefix role active lastUsedAt } }
        }
        """;

    private async Task<(string Id, string Secret)> CreateAsync(string name, string role, DateTime? expiresAt = null)
    {
        var data = await factory.GraphQLAs(Roles.Admin).QueryAsync(Create, new { name, role, expiresAt });
        var created = data["createApiKey"]!;
        return (created["apiKey"]!["id"]!.GetValue<string>(), created["secret"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_key_works_until_it_is_revoked()
    {
        var (id, secret) = await CreateAsync("BI tool", "OPERATOR");
        var tool = new GraphQLTestClient(factory.ClientWith(secret));
        Assert.Equal("OPERATOR", (await tool.QueryAsync("{ me { role } }"))["me"]!["role"]!.GetValue<string>());

        var revoked = await factory.GraphQLAs(Roles.Admin).QueryAsync("mutation($id: ID!) { revokeApiKey(id: $id) { active revokedAt } }", new { id });
        Assert.False(revoked["revokeApiKey"]!["active"]!.GetValue<bool>());
        var refused = await tool.PostAsync("{ me { role } }");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
    }

    [Fact]
    public async Task A_keys_secret_is_neither_stored_nor_listed()
    {
        var (id, secret) = await CreateAsync("BI tool", "OPERATOR");
        Assert.Matches("^kda_[0-9a-f]{10}_[A-Za-z0-9_-]{43}$", secret);
        await new GraphQLTestClient(factory.ClientWith(secret)).QueryAsync("{ me { role } }");

        await using (var db = factory.OpenDatabaseDirectly())
        {
            var row = await db.ApiKeys.SingleAsync(k => k.Id == Guid.Parse(id));
            Assert.NotNull(row.LastUsedAt);
            Assert.Equal(32, row.Hash.Length);
            Assert.DoesNotContain(secret, System.Text.Encoding.UTF8.GetString(row.Hash));
        }
        var listed = await factory.GraphQLAs(Roles.Admin).QueryAsync("{ apiKeys { id name active lastUsedAt } }");
        Assert.Contains(listed["apiKeys"]!.AsArray(), k => k!["id"]!.GetValue<string>() == id && k["lastUsedAt"] is not null);
        Assert.DoesNotContain(secret, listed.ToJsonString());
    }

    [Fact]
    public async Task A_key_stops_at_its_expiry()
    {
        var (_, secret) = await CreateAsync("temporary", "VIEWER", DateTime.UtcNow.AddHours(1));
        var tool = new GraphQLTestClient(factory.ClientWith(secret));
        Assert.Equal(HttpStatusCode.OK, (await tool.PostAsync("{ me { role } }")).Status);
        factory.Clock.Advance(TimeSpan.FromHours(2));
        try
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await tool.PostAsync("{ me { role } }")).Status);
        }
        finally
        {
            factory.Clock.Advance(TimeSpan.FromHours(-2));
        }
    }

    [Fact]
    public async Task A_key_read_while_a_credential_change_is_heard_is_not_remembered()
    {
        var (id, secret) = await CreateAsync("racing", "VIEWER");
        var changes = new CredentialChanges(new SecurityMode(), NullLogger<CredentialChanges>.Instance);
        var contexts = new NoticeOnOpen(factory.Services.GetRequiredService<IDbContextFactory<KlaviyoDbContext>>(), changes);
        var keys = new ApiKeyService(contexts, changes, TimeProvider.System, NullLogger<ApiKeyService>.Instance);

        // The notice (of a revocation committed a moment ago) arrives while the row is read.
        Assert.NotNull(await keys.ValidateAsync(secret, CancellationToken.None));
        await using (var db = factory.OpenDatabaseDirectly())
            await db.ApiKeys.Where(k => k.Id == Guid.Parse(id)).ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, DateTime.UtcNow));

        // Remembering that read would keep the key alive for two seconds after the notice.
        Assert.Null(await keys.ValidateAsync(secret, CancellationToken.None));
    }

    /// <summary>Hears a credential change when the first context opens: before the read it serves, after <see cref="ApiKeyService"/> took note of what it had heard.</summary>
    private sealed class NoticeOnOpen(IDbContextFactory<KlaviyoDbContext> inner, CredentialChanges changes) : IDbContextFactory<KlaviyoDbContext>
    {
        private int _opened;

        public KlaviyoDbContext CreateDbContext()
        {
            if (Interlocked.Increment(ref _opened) == 1)
                changes.Apply(new CredentialNotice(SignInRequired: false));
            return inner.CreateDbContext();
        }

        public Task<KlaviyoDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) => Task.FromResult(CreateDbContext());
    }

    [Fact]
    public async Task Bad_input_to_the_key_mutations_gets_a_coded_error()
    {
        var admin = factory.GraphQLAs(Roles.Admin);
        Assert.Equal("INVALID_INPUT", await admin.ErrorCodeAsync(Create, new { name = " ", role = "VIEWER" }));
        Assert.Equal("INVALID_INPUT", await admin.ErrorCodeAsync(Create, new { name = "past", role = "VIEWER", expiresAt = DateTime.UtcNow.AddDays(-1) }));
        Assert.Equal("NOT_FOUND", await admin.ErrorCodeAsync("mutation { revokeApiKey(id: \"6c1c8f5e-0000-0000-0000-000000000000\") { id } }"));
    }

    [Fact]
    public async Task Only_Admins_manage_keys() =>
        Assert.Equal("FORBIDDEN", await factory.GraphQLAs(Roles.Operator).ErrorCodeAsync(Create, new { name = "escalate", role = "ADMIN" }));
}
