using Klaviyo.Core.Data;
using Klaviyo.Core.Forms;
using Klaviyo.GraphQL.Filtering;
using Klaviyo.GraphQL.Paging;

namespace Klaviyo.GraphQL.Forms;

public static class FormsConnection
{
    public static readonly ConnectionDefinition<FormRow> Definition = new(
        FieldName: "forms",
        PluralName: "Forms",
        NodeGraphType: typeof(FormType),
        Spec: new QuerySpec<FormRow>("Form", f => f.Id)
            .String("id", f => f.Id)
            .String("name", f => f.Name)
            .String("status", f => f.Status)
            .DateTime("createdAt", f => f.CreatedAt)
            .DateTime("updatedAt", f => f.UpdatedAt)
            .Float("views", f => f.Views)
            .Float("submissions", f => f.Submissions)
            .Float("submitRate", f => f.SubmitRate),
        Source: (db, _) => db.Forms.Select(FormRow.Projection),
        DefaultOrder: ("submissions", SortDirection.Desc),
        Entities: [SyncEntity.Forms, SyncEntity.FormReports],
        Description: "Sign-up forms with views, submissions and submit rate; most submissions first unless ordered otherwise.");
}
