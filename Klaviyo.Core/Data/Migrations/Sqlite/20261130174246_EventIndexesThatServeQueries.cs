using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Klaviyo.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class EventIndexesThatServeQueries : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Events_CampaignId",
                table: "Events");

            migrationBuilder.DropIndex(
                name: "IX_Events_Datetime",
                table: "Events");

            migrationBuilder.DropIndex(
                name: "IX_Events_FlowId",
                table: "Events");

            migrationBuilder.DropIndex(
                name: "IX_Events_ProfileId",
                table: "Events");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Events_CampaignId",
                table: "Events",
                column: "CampaignId");

            migrationBuilder.CreateIndex(
                name: "IX_Events_Datetime",
                table: "Events",
                column: "Datetime");

            migrationBuilder.CreateIndex(
                name: "IX_Events_FlowId",
                table: "Events",
                column: "FlowId");

            migrationBuilder.CreateIndex(
                name: "IX_Events_ProfileId",
                table: "Events",
                column: "ProfileId");
        }
    }
}
