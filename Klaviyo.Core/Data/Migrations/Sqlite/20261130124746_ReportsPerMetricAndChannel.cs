using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Klaviyo.Core.Data.Migrations;

#nullable disable

namespace Klaviyo.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ReportsPerMetricAndChannel : Migration
    {
        // SQLite cannot change a primary key in place: EF would rebuild the tables behind PRAGMA
        // foreign_keys, which runs outside any transaction (and warns at every first start). A new
        // table, a copy and a rename keep this migration in one transaction.

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            foreach (var (table, owner, principal) in Tables)
            {
                CreateStatistics(migrationBuilder, table + "_New", table, owner, principal, perMetricAndChannel: true);
                migrationBuilder.Sql(ReportsPerMetricAndChannelSql.CopyUp(table, owner));
                migrationBuilder.DropTable(name: table);
                migrationBuilder.RenameTable(name: table + "_New", newName: table);
            }

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

            foreach (var (table, owner, principal) in Tables)
            {
                CreateStatistics(migrationBuilder, table + "_Old", table, owner, principal, perMetricAndChannel: false);
                // The older version keeps one row per campaign or flow: Placed Order's, email's for flows.
                migrationBuilder.Sql(ReportsPerMetricAndChannelSql.CopyDown(table, owner));
                migrationBuilder.DropTable(name: table);
                migrationBuilder.RenameTable(name: table + "_Old", newName: table);
            }
        }

        private static readonly (string Table, string Owner, string Principal)[] Tables =
            [("CampaignStatistics", "CampaignId", "Campaigns"), ("FlowStatistics", "FlowId", "Flows")];

        private static void CreateStatistics(MigrationBuilder migrationBuilder, string name, string table, string owner, string principal, bool perMetricAndChannel) =>
            migrationBuilder.Sql(ReportsPerMetricAndChannelSql.CreateSqliteTable(name, table, owner, principal, perMetricAndChannel));
    }
}
