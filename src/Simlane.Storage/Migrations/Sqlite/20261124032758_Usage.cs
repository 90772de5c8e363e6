using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Simlane.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Usage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "sim_id",
                table: "domain_events",
                type: "TEXT",
                nullable: true,
                oldClrType: typeof(string),
                oldType: "TEXT");

            migrationBuilder.CreateTable(
                name: "usage_counters",
                columns: table => new
                {
                    scope = table.Column<short>(type: "INTEGER", nullable: false),
                    scope_id = table.Column<string>(type: "TEXT", nullable: false),
                    period = table.Column<short>(type: "INTEGER", nullable: false),
                    bucket_start = table.Column<long>(type: "INTEGER", nullable: false),
                    speed_class = table.Column<string>(type: "TEXT", nullable: false),
                    operator_id = table.Column<string>(type: "TEXT", nullable: false),
                    upload_bytes = table.Column<long>(type: "INTEGER", nullable: false),
                    download_bytes = table.Column<long>(type: "INTEGER", nullable: false),
                    upload_packets = table.Column<long>(type: "INTEGER", nullable: false),
                    download_packets = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_usage_counters", x => new { x.scope, x.scope_id, x.period, x.bucket_start, x.speed_class });
                });

            migrationBuilder.CreateTable(
                name: "usage_records",
                columns: table => new
                {
                    record_id = table.Column<string>(type: "TEXT", nullable: false),
                    imsi = table.Column<string>(type: "TEXT", nullable: false),
                    unixtime = table.Column<long>(type: "INTEGER", nullable: false),
                    accepted_time = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_usage_records", x => x.record_id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_usage_counters_operator_id_scope_period_bucket_start",
                table: "usage_counters",
                columns: new[] { "operator_id", "scope", "period", "bucket_start" });

            migrationBuilder.CreateIndex(
                name: "ix_usage_records_accepted_time",
                table: "usage_records",
                column: "accepted_time");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "usage_counters");

            migrationBuilder.DropTable(
                name: "usage_records");

            migrationBuilder.AlterColumn<string>(
                name: "sim_id",
                table: "domain_events",
                type: "TEXT",
                nullable: false,
                defaultValue: "",
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldNullable: true);
        }
    }
}
