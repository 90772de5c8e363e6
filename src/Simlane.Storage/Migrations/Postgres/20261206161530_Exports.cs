using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Simlane.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Exports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "exported_files",
                columns: table => new
                {
                    file_id = table.Column<string>(type: "text", nullable: false),
                    operator_id = table.Column<string>(type: "text", nullable: false),
                    kind = table.Column<string>(type: "text", nullable: false),
                    file_name = table.Column<string>(type: "text", nullable: false),
                    content = table.Column<byte[]>(type: "bytea", nullable: false),
                    created_time = table.Column<long>(type: "bigint", nullable: false),
                    expires_time = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_exported_files", x => x.file_id);
                });

            migrationBuilder.CreateTable(
                name: "sim_day_charges",
                columns: table => new
                {
                    operator_id = table.Column<string>(type: "text", nullable: false),
                    sim_id = table.Column<string>(type: "text", nullable: false),
                    day_start = table.Column<long>(type: "bigint", nullable: false),
                    year_month = table.Column<string>(type: "text", nullable: false),
                    imsi = table.Column<string>(type: "text", nullable: false),
                    plan = table.Column<string>(type: "text", nullable: false),
                    billed_status = table.Column<string>(type: "text", nullable: false),
                    basic_fee = table.Column<decimal>(type: "numeric(20,4)", precision: 20, scale: 4, nullable: false),
                    basic_amount = table.Column<decimal>(type: "numeric(20,4)", precision: 20, scale: 4, nullable: false),
                    data_bytes = table.Column<long>(type: "bigint", nullable: false),
                    data_fee = table.Column<decimal>(type: "numeric(28,12)", precision: 28, scale: 12, nullable: false),
                    data_amount = table.Column<decimal>(type: "numeric(20,4)", precision: 20, scale: 4, nullable: false),
                    amount = table.Column<decimal>(type: "numeric(20,4)", precision: 20, scale: 4, nullable: false),
                    currency = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sim_day_charges", x => new { x.operator_id, x.year_month, x.sim_id, x.day_start });
                });

            migrationBuilder.CreateIndex(
                name: "ix_exported_files_expires_time",
                table: "exported_files",
                column: "expires_time");

            migrationBuilder.CreateIndex(
                name: "ix_exported_files_operator_id",
                table: "exported_files",
                column: "operator_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "exported_files");

            migrationBuilder.DropTable(
                name: "sim_day_charges");
        }
    }
}
