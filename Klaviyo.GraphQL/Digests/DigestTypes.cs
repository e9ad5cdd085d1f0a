using GraphQL.Types;
using Klaviyo.Core.Data;
using Klaviyo.Core.Digests;

namespace Klaviyo.GraphQL.Digests;

public sealed class DigestFrequencyType : EnumerationGraphType<DigestFrequency>
{
    public DigestFrequencyType()
    {
        Name = "DigestFrequency";
        Description = "DAILY reports on yesterday, WEEKLY on the 7 days before its day, MONTHLY on the previous month — whole days of the account's calendar.";
    }
}

public sealed class DigestType : ObjectGraphType<Digest>
{
    public DigestType()
    {
        Name = "Digest";
        Description = "A scheduled report by email, Slack or webhook: the KPIs with their comparison, the revenue chart, top campaigns and flows, what fires now, the CSV of the view.";
        Field(d => d.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(d => d.Name);
        Field<NonNullGraphType<DigestFrequencyType>>("frequency").Resolve(c => Enum.Parse<DigestFrequency>(c.Source.Frequency));
        Field(d => d.Hour).Description("0–23 in the account's time zone.");
        Field(d => d.DayOfWeek, nullable: true).Description("WEEKLY: 1 (Monday) to 7 (Sunday).");
        Field(d => d.DayOfMonth, nullable: true).Description("MONTHLY: 1 to 28.");
        Field<NonNullGraphType<StringGraphType>>("schedule").Description("The schedule in words, e.g. \"Mondays at 08:00\".").Resolve(c => DigestSchedule.Describe(c.Source));
        Field<NonNullGraphType<StringGraphType>>("cron").Description("The schedule as a cron expression read in the account's time zone.").Resolve(c => DigestSchedule.Cron(c.Source));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<IdGraphType>>>>("contactPointIds")
            .Resolve(c => c.Source.ContactPoints.Split(',', StringSplitOptions.RemoveEmptyEntries));
        Field(d => d.Enabled);
        Field(d => d.NextRunAt, nullable: true).Description("The next occurrence; null until the scheduler has read the account's calendar after a change.");
        Field(d => d.LastQueuedAt, nullable: true).Description("When an occurrence was last queued for sending.");
        Field(d => d.UpdatedAt);
        Field(d => d.UpdatedBy);
    }
}

public sealed class DigestInputType : InputObjectGraphType<DigestInput>
{
    public DigestInputType()
    {
        Name = "DigestInput";
        Field(d => d.Name);
        Field<NonNullGraphType<DigestFrequencyType>>("frequency");
        Field<IntGraphType>("hour").Description("0–23 in the account's time zone; 8 when omitted.");
        Field<IntGraphType>("dayOfWeek").Description("WEEKLY: 1 (Monday) to 7 (Sunday).");
        Field<IntGraphType>("dayOfMonth").Description("MONTHLY: 1 to 28.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<IdGraphType>>>>("contactPointIds").Description("Where it goes: one or more contact points.");
        Field<BooleanGraphType>("enabled");
    }
}
