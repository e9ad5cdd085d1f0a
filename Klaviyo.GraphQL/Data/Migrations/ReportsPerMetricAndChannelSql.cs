namespace Klaviyo.GraphQL.Data.Migrations;

/// <summary>The data steps of the ReportsPerMetricAndChannel migration, in SQL both SQLite and SQL Server run.</summary>
internal static class ReportsPerMetricAndChannelSql
{
    private const string PlacedOrder = """COALESCE((SELECT MIN("Id") FROM "Metrics" WHERE "Name" = 'Placed Order'), '')""";

    public const string Up = $"""
        UPDATE "CampaignStatistics" SET "ConversionMetricId" = {PlacedOrder},
            "Channel" = COALESCE((SELECT CASE WHEN c."Channel" = 'mobile_push' THEN 'push' ELSE LOWER(c."Channel") END FROM "Campaigns" c WHERE c."Id" = "CampaignStatistics"."CampaignId"), 'email');
        UPDATE "FlowStatistics" SET "ConversionMetricId" = {PlacedOrder}, "Channel" = 'email';
        """;

    public const string Down = $"""
        DELETE FROM "CampaignStatistics" WHERE "ConversionMetricId" <> {PlacedOrder};
        DELETE FROM "FlowStatistics" WHERE "ConversionMetricId" <> {PlacedOrder} OR "Channel" <> 'email';
        """;
}
