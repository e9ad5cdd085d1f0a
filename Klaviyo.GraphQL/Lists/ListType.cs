using GraphQL.Types;
using Klaviyo.Core.Data;

namespace Klaviyo.GraphQL.Lists;

public sealed class ListType : ObjectGraphType<KlaviyoList>
{
    public ListType()
    {
        Name = "List";
        Description = "A Klaviyo list and how many profiles it holds.";
        Field(l => l.Id, type: typeof(NonNullGraphType<IdGraphType>)).Description("Klaviyo's list id.");
        Field(l => l.Name).Description("The list's name.");
        Field(l => l.ProfileCount).Description("Profiles on the list when it was last synced.");
        Field(l => l.OptInProcess, nullable: true).Description("single_opt_in or double_opt_in.");
        Field(l => l.Created).Description("When the list was created.");
        Field(l => l.Updated).Description("When the list was last changed in Klaviyo.");
    }
}
