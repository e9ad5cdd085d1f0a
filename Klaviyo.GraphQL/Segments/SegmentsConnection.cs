using Klaviyo.Core.Data;
using Klaviyo.GraphQL.Filtering;
using Klaviyo.GraphQL.Paging;

namespace Klaviyo.GraphQL.Segments;

public static class SegmentsConnection
{
    public static readonly ConnectionDefinition<Segment> Definition = new(
        FieldName: "segments",
        PluralName: "Segments",
        NodeGraphType: typeof(SegmentType),
        Spec: new QuerySpec<Segment>("Segment", s => s.Id)
            .String("id", s => s.Id)
            .String("name", s => s.Name)
            .Int("profileCount", s => s.ProfileCount)
            .Boolean("isActive", s => s.IsActive)
            .Boolean("isStarred", s => s.IsStarred)
            .DateTime("created", s => s.Created)
            .DateTime("updated", s => s.Updated),
        Source: (db, _) => db.Segments,
        DefaultOrder: ("profileCount", SortDirection.Desc),
        Entities: [SyncEntity.Segments],
        Description: "Segments with their profile counts; largest first unless ordered otherwise.");
}
