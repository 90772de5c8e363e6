using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Simlane.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class EventHandlers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "event_handlers",
                columns: table => new
                {
                    handler_id = table.Column<string>(type: "text", nullable: false),
                    operator_id = table.Column<string>(type: "text", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    description = table.Column<string>(type: "text", nullable: true),
                    status = table.Column<string>(type: "text", nullable: false),
                    target_imsi = table.Column<string>(type: "text", nullable: true),
                    target_sim_id = table.Column<string>(type: "text", nullable: true),
                    target_group_id = table.Column<string>(type: "text", nullable: true),
                    target_operator_id = table.Column<string>(type: "text", nullable: true),
                    rule_type = table.Column<string>(type: "text", nullable: false),
                    rule_properties = table.Column<string>(type: "text", nullable: false),
                    actions = table.Column<string>(type: "text", nullable: false),
                    created_time = table.Column<long>(type: "bigint", nullable: false),
                    updated_time = table.Column<long>(type: "bigint", nullable: false),
                    rule_generation = table.Column<int>(type: "integer", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_event_handlers", x => x.handler_id);
                });

            migrationBuilder.CreateTable(
                name: "handler_executions",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    handler_id = table.Column<string>(type: "text", nullable: false),
                    operator_id = table.Column<string>(type: "text", nullable: false),
                    unit_key = table.Column<string>(type: "text", nullable: false),
                    imsi = table.Column<string>(type: "text", nullable: true),
                    sim_id = table.Column<string>(type: "text", nullable: true),
                    rule_type = table.Column<string>(type: "text", nullable: false),
                    observed_value = table.Column<string>(type: "text", nullable: true),
                    threshold = table.Column<string>(type: "text", nullable: true),
                    old_value = table.Column<string>(type: "text", nullable: true),
                    new_value = table.Column<string>(type: "text", nullable: true),
                    window_start = table.Column<long>(type: "bigint", nullable: true),
                    window_end = table.Column<long>(type: "bigint", nullable: true),
                    fired_time = table.Column<long>(type: "bigint", nullable: false),
                    planned_actions = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_handler_executions", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "handler_ignores",
                columns: table => new
                {
                    handler_id = table.Column<string>(type: "text", nullable: false),
                    imsi = table.Column<string>(type: "text", nullable: false),
                    until = table.Column<long>(type: "bigint", nullable: true),
                    reason = table.Column<string>(type: "text", nullable: true),
                    created_time = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_handler_ignores", x => new { x.handler_id, x.imsi });
                    table.ForeignKey(
                        name: "fk_handler_ignores_event_handlers_handler_id",
                        column: x => x.handler_id,
                        principalTable: "event_handlers",
                        principalColumn: "handler_id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_event_handlers_operator_id_handler_id",
                table: "event_handlers",
                columns: new[] { "operator_id", "handler_id" });

            migrationBuilder.CreateIndex(
                name: "ix_event_handlers_target_group_id",
                table: "event_handlers",
                column: "target_group_id");

            migrationBuilder.CreateIndex(
                name: "ix_event_handlers_target_imsi",
                table: "event_handlers",
                column: "target_imsi");

            migrationBuilder.CreateIndex(
                name: "ix_event_handlers_target_operator_id",
                table: "event_handlers",
                column: "target_operator_id");

            migrationBuilder.CreateIndex(
                name: "ix_event_handlers_target_sim_id",
                table: "event_handlers",
                column: "target_sim_id");

            migrationBuilder.CreateIndex(
                name: "ix_handler_executions_handler_id_id",
                table: "handler_executions",
                columns: new[] { "handler_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_handler_executions_imsi_id",
                table: "handler_executions",
                columns: new[] { "imsi", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_handler_executions_operator_id_id",
                table: "handler_executions",
                columns: new[] { "operator_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_handler_executions_sim_id_id",
                table: "handler_executions",
                columns: new[] { "sim_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_handler_ignores_imsi",
                table: "handler_ignores",
                column: "imsi");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "handler_executions");

            migrationBuilder.DropTable(
                name: "handler_ignores");

            migrationBuilder.DropTable(
                name: "event_handlers");
        }
    }
}
