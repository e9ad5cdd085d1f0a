namespace Klaviyo.Core.Data.Migrations;

/// <summary>
/// The data steps of the ReportsPerMetricAndChannel migration. Rows stored before it are Placed
/// Order's (the only metric fetched then), on the campaign's channel; a flow's were summed over its
/// channels and count as email until the next report run replaces them. Going back keeps one row
/// per campaign or flow: Placed Order's, email's for flows.
/// </summary>
internal static class ReportsPerMetricAndChannelSql
{
    private const string PlacedOrder = """COALESCE((SELECT MIN("Id") FROM "Metrics" WHERE "Name" = 'Placed Order'), '')""";

    private const string CampaignChannel = """COALESCE((SELECT CASE WHEN c."Channel" = 'mobile_push' THEN 'push' ELSE LOWER(c."Channel") END FROM "Campaigns" c WHERE c."Id" = "CampaignStatistics"."CampaignId"), 'email')""";

    private const string Counters = """
        "WindowStart", "WindowEnd", "FetchedAt", "Values_Bounced", "Values_Clicks", "Values_ClicksUnique", "Values_ConversionUniques",
        "Values_ConversionValue", "Values_Conversions", "Values_Delivered", "Values_Opens", "Values_OpensUnique", "Values_Recipients",
        "Values_SpamComplaints", "Values_Unsubscribes"
        """;

    /// <summary>SQL Server: after the columns are added in place.</summary>
    public const string Up = $"""
        UPDATE "CampaignStatistics" SET "ConversionMetricId" = {PlacedOrder}, "Channel" = {CampaignChannel};
        UPDATE "FlowStatistics" SET "ConversionMetricId" = {PlacedOrder}, "Channel" = 'email';
        """;

    /// <summary>SQL Server: before the columns are dropped.</summary>
    public const string Down = $"""
        DELETE FROM "CampaignStatistics" WHERE "ConversionMetricId" <> {PlacedOrder};
        DELETE FROM "FlowStatistics" WHERE "ConversionMetricId" <> {PlacedOrder} OR "Channel" <> 'email';
        """;

    /// <summary>SQLite: the old table's rows into the new one (<c>{table}_New</c>).</summary>
    public static string CopyUp(string table, string owner) => $"""
        INSERT INTO "{table}_New" ("{owner}", "ConversionMetricId", "Channel", {Counters})
        SELECT "{owner}", {PlacedOrder}, {(table == "CampaignStatistics" ? CampaignChannel : "'email'")}, {Counters} FROM "{table}";
        """;

    /// <summary>SQLite: the rows the older version can hold into its table (<c>{table}_Old</c>).</summary>
    public static string CopyDown(string table, string owner) => $"""
        INSERT INTO "{table}_Old" ("{owner}", {Counters})
        SELECT "{owner}", {Counters} FROM "{table}" WHERE "ConversionMetricId" = {PlacedOrder}{(table == "FlowStatistics" ? " AND \"Channel\" = 'email'" : "")};
        """;

    /// <summary>SQLite: a statistics table as the model has it before (one row per owner) or after this migration.</summary>
    public static string CreateSqliteTable(string name, string table, string owner, string principal, bool perMetricAndChannel) => $"""
        CREATE TABLE "{name}" (
            "{owner}" TEXT NOT NULL,
            {(perMetricAndChannel ? "\"ConversionMetricId\" TEXT NOT NULL, \"Channel\" TEXT NOT NULL," : "")}
            "WindowStart" TEXT NOT NULL, "WindowEnd" TEXT NOT NULL, "FetchedAt" TEXT NOT NULL,
            "Values_Bounced" INTEGER NOT NULL, "Values_Clicks" INTEGER NOT NULL, "Values_ClicksUnique" INTEGER NOT NULL,
            "Values_ConversionUniques" INTEGER NOT NULL, "Values_ConversionValue" REAL NOT NULL, "Values_Conversions" INTEGER NOT NULL,
            "Values_Delivered" INTEGER NOT NULL, "Values_Opens" INTEGER NOT NULL, "Values_OpensUnique" INTEGER NOT NULL,
            "Values_Recipients" INTEGER NOT NULL, "Values_SpamComplaints" INTEGER NOT NULL, "Values_Unsubscribes" INTEGER NOT NULL,
            CONSTRAINT "PK_{table}" PRIMARY KEY ({(perMetricAndChannel ? $"\"{owner}\", \"ConversionMetricId\", \"Channel\"" : $"\"{owner}\"")}),
            CONSTRAINT "FK_{table}_{principal}_{owner}" FOREIGN KEY ("{owner}") REFERENCES "{principal}" ("Id") ON DELETE CASCADE
        );
        """;
}
