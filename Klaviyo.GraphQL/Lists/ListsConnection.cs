using Klaviyo.Core.Data;
using Klaviyo.GraphQL.Filtering;
using Klaviyo.GraphQL.Paging;

namespace Klaviyo.GraphQL.Lists;

public static class ListsConnection
{
    public static readonly ConnectionDefinition<KlaviyoList> Definition = new(
        FieldName: "lists",
        PluralName: "Lists",
        NodeGraphType: typeof(ListType),
        Spec: new QuerySpec<KlaviyoList>("List", l => l.Id)
            .String("id", l => l.Id)
            .String("name", l => l.Name)
            .Int("profileCount", l => l.ProfileCount)
            .String("optInProcess", l => l.OptInProcess)
            .DateTime("created", l => l.Created)
            .DateTime("updated", l => l.Updated),
        Source: (db, _) => db.Lists,
        DefaultOrder: ("profileCount", SortDirection.Desc),
        Entities: [SyncEntity.Lists],
        Description: "Lists with their profile counts; largest first unless ordered otherwise.");
}
