using GraphQL.Types;
using Klaviyo.Core.Data;

namespace Klaviyo.GraphQL.Segments;

public sealed class SegmentType : ObjectGraphType<Segment>
{
    public SegmentType()
    {
        Name = "Segment";
        Description = "A Klaviyo segment and how many profiles it holds.";
        Field(s => s.Id, type: typeof(NonNullGraphType<IdGraphType>)).Description("Klaviyo's segment id.");
        Field(s => s.Name).Description("The segment's name.");
        Field(s => s.ProfileCount).Description("Profiles in the segment when it was last synced.");
        Field(s => s.IsActive).Description("Whether Klaviyo keeps the segment up to date.");
        Field(s => s.IsStarred).Description("Whether the segment is starred in Klaviyo.");
        Field(s => s.Created).Description("When the segment was created.");
        Field(s => s.Updated).Description("When the segment was last changed in Klaviyo.");
    }
}
