using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Simlane.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Sessions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "session_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    time = table.Column<long>(type: "bigint", nullable: false),
                    @event = table.Column<string>(name: "event", type: "text", nullable: false),
                    imsi = table.Column<string>(type: "text", nullable: false),
                    sim_id = table.Column<string>(type: "text", nullable: false),
                    operator_id = table.Column<string>(type: "text", nullable: false),
                    session_id = table.Column<string>(type: "text", nullable: false),
                    imei = table.Column<string>(type: "text", nullable: true),
                    apn = table.Column<string>(type: "text", nullable: true),
                    ue_ip_address = table.Column<string>(type: "text", nullable: true),
                    cell_json = table.Column<string>(type: "text", nullable: true),
                    subscription = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_session_events", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "sim_sessions",
                columns: table => new
                {
                    session_id = table.Column<string>(type: "text", nullable: false),
                    sim_id = table.Column<string>(type: "text", nullable: false),
                    imsi = table.Column<string>(type: "text", nullable: false),
                    operator_id = table.Column<string>(type: "text", nullable: false),
                    imei = table.Column<string>(type: "text", nullable: true),
                    apn = table.Column<string>(type: "text", nullable: true),
                    ue_ip_address = table.Column<string>(type: "text", nullable: true),
                    cell_json = table.Column<string>(type: "text", nullable: true),
                    subscription = table.Column<string>(type: "text", nullable: false),
                    created_time = table.Column<long>(type: "bigint", nullable: false),
                    last_updated_at = table.Column<long>(type: "bigint", nullable: false),
                    deleted_time = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sim_sessions", x => x.session_id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_session_events_imsi_id",
                table: "session_events",
                columns: new[] { "imsi", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_session_events_sim_id_id",
                table: "session_events",
                columns: new[] { "sim_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_session_events_time",
                table: "session_events",
                column: "time");

            migrationBuilder.CreateIndex(
                name: "ix_sim_sessions_sim_id_deleted_time",
                table: "sim_sessions",
                columns: new[] { "sim_id", "deleted_time" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "session_events");

            migrationBuilder.DropTable(
                name: "sim_sessions");
        }
    }
}
