using GraphQL.Types;
using Klaviyo.Core.Forms;

namespace Klaviyo.GraphQL.Forms;

public sealed class FormType : ObjectGraphType<FormRow>
{
    public FormType()
    {
        Name = "Form";
        Description = "A Klaviyo sign-up form with the statistics of its latest report.";
        Field(f => f.Id, type: typeof(NonNullGraphType<IdGraphType>)).Description("Klaviyo's form id.");
        Field(f => f.Name).Description("The form's name.");
        Field(f => f.Status).Description("draft or live.");
        Field(f => f.CreatedAt).Description("When the form was created.");
        Field(f => f.UpdatedAt).Description("When the form was last changed in Klaviyo.");
        Field(f => f.Views, nullable: true).Description("Unique views; null until a report is fetched.");
        Field(f => f.Submissions, nullable: true).Description("Unique submissions; null until a report is fetched.");
        Field(f => f.SubmitRate, nullable: true).Description("Unique submissions over unique views (0–1); null until a report is fetched or when it had no views.");
        Field(f => f.StatisticsFetchedAt, nullable: true).Description("When the report behind these numbers was fetched.");
    }
}
