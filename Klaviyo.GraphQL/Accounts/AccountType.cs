using GraphQL;
using GraphQL.Types;
using Klaviyo.Core.Accounts;
using Klaviyo.Core.Freshness;
using Klaviyo.GraphQL.Freshness;
using Klaviyo.GraphQL.Schema;

namespace Klaviyo.GraphQL.Accounts;

public sealed class AccountPayloadType : ObjectGraphType<Fresh<AccountInfo>>
{
    public AccountPayloadType()
    {
        Name = "AccountPayload";
        Description = "The Klaviyo account: every report is read in its time zone and currency, as Klaviyo shows them.";
        Field<NonNullGraphType<StringGraphType>>("name").Resolve(c => c.Source.Data.Name);
        Field<NonNullGraphType<StringGraphType>>("timezone").Description("IANA time zone id; UTC until the account has synced.").Resolve(c => c.Source.Data.Timezone);
        Field<NonNullGraphType<StringGraphType>>("currency").Description("ISO 4217 code of every money field.").Resolve(c => c.Source.Data.Currency);
        this.AddFreshnessFields();
    }
}

public sealed class AccountQueries : IQueryFields
{
    public void AddTo(ObjectGraphType query) =>
        query.Field<NonNullGraphType<AccountPayloadType>>("account")
            .Description("The account's name, time zone and currency.")
            .Argument<BooleanGraphType>("forceFresh", "Bypass any cached copy.", a => a.DefaultValue = false)
            .ResolveAsync(async ctx => await ctx.AccountServices().GetRequiredService<AccountReader>().ReadAsync(ctx.ForceFresh(), ctx.CancellationToken));
}
