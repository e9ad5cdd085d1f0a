using GraphQL.Types;
using Klaviyo.Core.Channels;

namespace Klaviyo.GraphQL.Channels;

public sealed class ChannelStatisticsType : ObjectGraphType<ChannelStatistics>
{
    public ChannelStatisticsType()
    {
        Name = "ChannelStatistics";
        Description = "Campaigns of one channel sent in the window, from Klaviyo's reports (conversions counted from the overview's conversion metric).";
        Field<NonNullGraphType<ChannelType>>("channel").Resolve(c => c.Source.Channel);
        Field(s => s.Campaigns).Description("Campaigns sent.");
        Field(s => s.Recipients);
        Field(s => s.Delivered);
        Field(s => s.Revenue).Description("Conversion value attributed to them (in the account's currency).");
        Field(s => s.OpenRate, nullable: true).Description("Unique opens ÷ delivered; null for SMS (it has no opens).");
        Field(s => s.ClickRate, nullable: true).Description("Unique clicks ÷ delivered.");
        Field(s => s.ConversionRate, nullable: true).Description("Unique conversions ÷ delivered.");
        Field(s => s.RevenuePerRecipient, nullable: true).Description("Conversion value ÷ delivered.");
    }
}
