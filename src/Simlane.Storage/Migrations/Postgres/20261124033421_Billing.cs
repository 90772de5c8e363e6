using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Simlane.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Billing : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "daily_charges",
                columns: table => new
                {
                    operator_id = table.Column<string>(type: "text", nullable: false),
                    day_start = table.Column<long>(type: "bigint", nullable: false),
                    year_month = table.Column<string>(type: "text", nullable: false),
                    amount = table.Column<decimal>(type: "numeric(20,4)", precision: 20, scale: 4, nullable: false),
                    currency = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_daily_charges", x => new { x.operator_id, x.day_start });
                });

            migrationBuilder.CreateTable(
                name: "monthly_charges",
                columns: table => new
                {
                    operator_id = table.Column<string>(type: "text", nullable: false),
                    year_month = table.Column<string>(type: "text", nullable: false),
                    amount = table.Column<decimal>(type: "numeric(20,4)", precision: 20, scale: 4, nullable: false),
                    currency = table.Column<string>(type: "text", nullable: false),
                    state = table.Column<string>(type: "text", nullable: false),
                    last_evaluated_time = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_monthly_charges", x => new { x.operator_id, x.year_month });
                });

            migrationBuilder.CreateIndex(
                name: "ix_daily_charges_operator_id_year_month",
                table: "daily_charges",
                columns: new[] { "operator_id", "year_month" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "daily_charges");

            migrationBuilder.DropTable(
                name: "monthly_charges");
        }
    }
}
