using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Simlane.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ActionDeliveries : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "action_deliveries",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    execution_id = table.Column<long>(type: "bigint", nullable: false),
                    handler_id = table.Column<string>(type: "text", nullable: false),
                    operator_id = table.Column<string>(type: "text", nullable: false),
                    action_index = table.Column<int>(type: "integer", nullable: false),
                    action_type = table.Column<string>(type: "text", nullable: false),
                    properties = table.Column<string>(type: "text", nullable: false),
                    imsi = table.Column<string>(type: "text", nullable: true),
                    sim_id = table.Column<string>(type: "text", nullable: true),
                    delivery_key = table.Column<string>(type: "text", nullable: false),
                    state = table.Column<string>(type: "text", nullable: false),
                    due_time = table.Column<long>(type: "bigint", nullable: true),
                    next_attempt_time = table.Column<long>(type: "bigint", nullable: true),
                    retry_window_start = table.Column<long>(type: "bigint", nullable: true),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    last_error = table.Column<string>(type: "text", nullable: true),
                    last_http_status = table.Column<int>(type: "integer", nullable: true),
                    last_attempt_time = table.Column<long>(type: "bigint", nullable: true),
                    completed_time = table.Column<long>(type: "bigint", nullable: true),
                    created_time = table.Column<long>(type: "bigint", nullable: false),
                    lease_owner = table.Column<string>(type: "text", nullable: true),
                    lease_until = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_action_deliveries", x => x.id);
                    table.ForeignKey(
                        name: "fk_action_deliveries_handler_executions_execution_id",
                        column: x => x.execution_id,
                        principalTable: "handler_executions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_action_deliveries_delivery_key",
                table: "action_deliveries",
                column: "delivery_key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_action_deliveries_execution_id_action_index",
                table: "action_deliveries",
                columns: new[] { "execution_id", "action_index" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_action_deliveries_state_next_attempt_time",
                table: "action_deliveries",
                columns: new[] { "state", "next_attempt_time" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "action_deliveries");
        }
    }
}
