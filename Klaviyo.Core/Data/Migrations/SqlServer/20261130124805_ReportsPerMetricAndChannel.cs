using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Klaviyo.Core.Data.Migrations;

#nullable disable

namespace Klaviyo.Core.Data.Migrations.SqlServer
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
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Channel",
                table: "FlowStatistics",
                type: "nvarchar(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "ConversionMetricId",
                table: "CampaignStatistics",
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Channel",
                table: "CampaignStatistics",
                type: "nvarchar(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "");

            // The stored rows get their metric and channel before they become part of the key.
            migrationBuilder.Sql(ReportsPerMetricAndChannelSql.Up);

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
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    Calls = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReportBudgetDays", x => x.Day);
                });

            migrationBuilder.CreateTable(
                name: "ReportMetricRequests",
                columns: table => new
                {
                    MetricId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    RequestedAt = table.Column<DateTime>(type: "datetime2", nullable: false)
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

            // Only the rows the older key can hold stay.
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
