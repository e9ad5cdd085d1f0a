using GraphQL.Types;
using Klaviyo.Core.Statistics;
using Klaviyo.GraphQL.Filtering;

namespace Klaviyo.GraphQL.Statistics;

public static class MessageStatisticsFields
{
    private const string OverDelivered = " ÷ delivered, a fraction from 0 to 1 as Klaviyo defines it; null until a report is fetched or when nothing was delivered.";

    public static void AddMessageStatistics<T>(this ObjectGraphType<T> type) where T : MessageStatisticsRow
    {
        type.Field(r => r.Recipients, nullable: true).Description("Recipients, from the Reporting API; null until a report is fetched.");
        type.Field(r => r.Delivered, nullable: true).Description("Messages delivered.");
        type.Field(r => r.OpensUnique, nullable: true).Description("Unique opens; null for SMS (it has none).");
        type.Field(r => r.ClicksUnique, nullable: true).Description("Unique clicks.");
        type.Field(r => r.ConversionUniques, nullable: true).Description("Unique conversions (placed orders).");
        type.Field(r => r.Revenue, nullable: true).Description("Conversion value attributed to the message.");
        type.Field(r => r.Bounced, nullable: true).Description("Bounced messages.");
        type.Field(r => r.Unsubscribes, nullable: true).Description("Unsubscribes.");
        type.Field(r => r.SpamComplaints, nullable: true).Description("Spam complaints.");
        type.Field(r => r.OpenRate, nullable: true).Description("Unique opens" + OverDelivered);
        type.Field(r => r.ClickRate, nullable: true).Description("Unique clicks" + OverDelivered);
        type.Field(r => r.ConversionRate, nullable: true).Description("Unique conversions" + OverDelivered);
        type.Field(r => r.RevenuePerRecipient, nullable: true).Description("Revenue divided by delivered; null until a report is fetched or when nothing was delivered.");
        type.Field(r => r.BounceRate, nullable: true).Description("Bounced" + OverDelivered);
        type.Field(r => r.UnsubscribeRate, nullable: true).Description("Unsubscribes" + OverDelivered);
        type.Field(r => r.StatisticsFetchedAt, nullable: true).Description("When the report behind these numbers was fetched.");
    }

    public static QuerySpec<T> MessageStatistics<T>(this QuerySpec<T> spec) where T : MessageStatisticsRow => spec
        .Float("recipients", r => r.Recipients)
        .Float("delivered", r => r.Delivered)
        .Float("revenue", r => r.Revenue)
        .Float("openRate", r => r.OpenRate)
        .Float("clickRate", r => r.ClickRate)
        .Float("conversionRate", r => r.ConversionRate)
        .Float("revenuePerRecipient", r => r.RevenuePerRecipient);
}
