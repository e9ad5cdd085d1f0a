using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Klaviyo.GraphQL.Data.Migrations;

#nullable disable

namespace Klaviyo.GraphQL.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ReportsPerMetricAndChannel : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ConversionMetricId",
                table: "FlowStatistics",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Channel",
                table: "FlowStatistics",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "ConversionMetricId",
                table: "CampaignStatistics",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Channel",
                table: "CampaignStatistics",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "");

            // Rows stored before this version are Placed Order's (the only metric fetched then), on the campaign's
            // channel; a flow's were summed over its channels and count as email until the next report run replaces them.
            migrationBuilder.Sql(ReportsPerMetricAndChannelSql.Up);

            // After the data step: on SQLite a key change rebuilds the table, which must not be pending under raw SQL.
            migrationBuilder.DropPrimaryKey(
                name: "PK_FlowStatistics",
                table: "FlowStatistics");

            migrationBuilder.DropPrimaryKey(
                name: "PK_CampaignStatistics",
                table: "CampaignStatistics");

            migrationBuilder.AddPrimaryKey(
                name: "PK_FlowStatistics",
                table: "FlowStatistics",
                columns: new[] { "FlowId", "ConversionMetricId", "Channel" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_CampaignStatistics",
                table: "CampaignStatistics",
                columns: new[] { "CampaignId", "ConversionMetricId", "Channel" });

            migrationBuilder.CreateTable(
                name: "ReportBudgetDays",
                columns: table => new
                {
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Calls = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReportBudgetDays", x => x.Day);
                });

            migrationBuilder.CreateTable(
                name: "ReportMetricRequests",
                columns: table => new
                {
                    MetricId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    RequestedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReportMetricRequests", x => x.MetricId);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ReportBudgetDays");

            migrationBuilder.DropTable(
                name: "ReportMetricRequests");

            // The older version keeps one row per campaign or flow: Placed Order's, email's for flows.
            migrationBuilder.Sql(ReportsPerMetricAndChannelSql.Down);

            migrationBuilder.DropPrimaryKey(
                name: "PK_FlowStatistics",
                table: "FlowStatistics");

            migrationBuilder.DropPrimaryKey(
                name: "PK_CampaignStatistics",
                table: "CampaignStatistics");

            migrationBuilder.DropColumn(
                name: "ConversionMetricId",
                table: "FlowStatistics");

            migrationBuilder.DropColumn(
                name: "Channel",
                table: "FlowStatistics");

            migrationBuilder.DropColumn(
                name: "ConversionMetricId",
                table: "CampaignStatistics");

            migrationBuilder.DropColumn(
                name: "Channel",
                table: "CampaignStatistics");

            migrationBuilder.AddPrimaryKey(
                name: "PK_FlowStatistics",
                table: "FlowStatistics",
                column: "FlowId");

            migrationBuilder.AddPrimaryKey(
                name: "PK_CampaignStatistics",
                table: "CampaignStatistics",
                column: "CampaignId");
        }
    }
}
