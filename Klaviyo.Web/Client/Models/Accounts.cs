namespace Klaviyo.Web.Client.Models;

public enum Role
{
    Viewer,
    Operator,
    Admin,
}

public sealed record ApiKeyRow(string Id, string Name, string Prefix, Role Role, string CreatedBy, DateTime CreatedAt, DateTime? ExpiresAt, DateTime? RevokedAt, DateTime? LastUsedAt, bool Active);

public sealed record ApiKeysData(IReadOnlyList<ApiKeyRow> ApiKeys);

public sealed record CreatedApiKey(ApiKeyRow ApiKey, string Secret);

public sealed record CreateApiKeyData(CreatedApiKey CreateApiKey);

public sealed record RevokeApiKeyData(ApiKeyRow RevokeApiKey);

public sealed record UserRow(string Id, string Email, Role Role, bool LockedOut, DateTime? LockoutEnd, bool External);

public sealed record UsersData(IReadOnlyList<UserRow> Users);

public sealed record CreateUserData(UserRow CreateUser);

public sealed record UpdateUserData(UserRow UpdateUser);
