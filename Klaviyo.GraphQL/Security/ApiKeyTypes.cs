using GraphQL.Types;
using Klaviyo.Core.Data;
using Klaviyo.Core.Security;

namespace Klaviyo.GraphQL.Security;

public sealed class ApiKeyType : ObjectGraphType<ApiKey>
{
    public ApiKeyType()
    {
        Name = "ApiKey";
        Description = "A key for an external tool. Its secret is shown once, when it is created; only its prefix is kept readable.";
        Field(k => k.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(k => k.Name);
        Field(k => k.Prefix).Description("The public part of the key (kda_{prefix}_…), to tell keys apart.");
        Field<NonNullGraphType<RoleType>>("role").Resolve(c => c.Source.Role);
        Field(k => k.CreatedBy);
        Field(k => k.CreatedAt);
        Field(k => k.ExpiresAt, nullable: true);
        Field(k => k.RevokedAt, nullable: true);
        Field(k => k.LastUsedAt, nullable: true).Description("Updated at most once a minute.");
        Field<NonNullGraphType<BooleanGraphType>>("active").Description("Neither revoked nor expired.")
            .Resolve(c => c.Source.RevokedAt is null && (c.Source.ExpiresAt is null || c.Source.ExpiresAt > DateTime.UtcNow));
        Field<ListGraphType<NonNullGraphType<IdGraphType>>>("accountIds")
            .Description("The Klaviyo accounts the key may use, with its role in each; null for every account.").Resolve(c => c.Source.Accounts);
    }
}

public sealed class CreateApiKeyInputType : InputObjectGraphType
{
    public CreateApiKeyInputType()
    {
        Name = "CreateApiKeyInput";
        Field<NonNullGraphType<StringGraphType>>("name").Description("What the key is for (1–100 characters).");
        Field<NonNullGraphType<RoleType>>("role");
        Field<DateTimeGraphType>("expiresAt").Description("When the key stops working; never when null.");
        Field<ListGraphType<NonNullGraphType<IdGraphType>>>("accountIds")
            .Description("Limits the key to these Klaviyo accounts (it does not see the others); every account when null. Keys of the deployment's Admins manage users, keys and accounts only when not limited.");
    }
}

public sealed class CreateApiKeyPayloadType : ObjectGraphType<ApiKeyService.Created>
{
    public CreateApiKeyPayloadType()
    {
        Name = "CreateApiKeyPayload";
        Field<NonNullGraphType<ApiKeyType>>("apiKey").Resolve(c => c.Source.Key);
        Field<NonNullGraphType<StringGraphType>>("secret").Description("The key to send as 'Authorization: Bearer <secret>'. Shown only now.").Resolve(c => c.Source.Secret);
    }
}
