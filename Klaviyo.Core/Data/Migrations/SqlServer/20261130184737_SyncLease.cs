using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Klaviyo.Core.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class SyncLease : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "Epoch",
                table: "SyncRuns",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateTable(
                name: "SyncLeases",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false),
                    Holder = table.Column<string>(type: "nvarchar(400)", maxLength: 400, nullable: true),
                    Address = table.Column<string>(type: "nvarchar(400)", maxLength: 400, nullable: true),
                    Epoch = table.Column<long>(type: "bigint", nullable: false),
                    ExpiresAtMs = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SyncLeases", x => x.Id);
                });

            migrationBuilder.InsertData(
                table: "SyncLeases",
                columns: new[] { "Id", "Address", "Epoch", "ExpiresAtMs", "Holder" },
                values: new object[] { 1, null, 0L, 0L, null });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SyncLeases");

            migrationBuilder.DropColumn(
                name: "Epoch",
                table: "SyncRuns");
        }
    }
}
