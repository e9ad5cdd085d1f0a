using GraphQL.Types;
using Klaviyo.Core.Security;

namespace Klaviyo.GraphQL.Security;

public sealed class RoleType : EnumerationGraphType
{
    public RoleType()
    {
        Name = "Role";
        Description = "What a user or API key may do; each role includes the ones before it.";
        Add("VIEWER", Roles.Viewer, "Queries and subscriptions.");
        Add("OPERATOR", Roles.Operator, "Also refreshData, startSync and cancelSync.");
        Add("ADMIN", Roles.Admin, "Also users, API keys, sandbox fault control and the expensive diagnostics.");
    }
}
