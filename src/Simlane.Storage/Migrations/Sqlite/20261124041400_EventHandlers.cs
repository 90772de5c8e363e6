using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Simlane.Storage.Migrations.Sqlite
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
                    handler_id = table.Column<string>(type: "TEXT", nullable: false),
                    operator_id = table.Column<string>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", nullable: false),
                    description = table.Column<string>(type: "TEXT", nullable: true),
                    status = table.Column<string>(type: "TEXT", nullable: false),
                    target_imsi = table.Column<string>(type: "TEXT", nullable: true),
                    target_sim_id = table.Column<string>(type: "TEXT", nullable: true),
                    target_group_id = table.Column<string>(type: "TEXT", nullable: true),
                    target_operator_id = table.Column<string>(type: "TEXT", nullable: true),
                    rule_type = table.Column<string>(type: "TEXT", nullable: false),
                    rule_properties = table.Column<string>(type: "TEXT", nullable: false),
                    actions = table.Column<string>(type: "TEXT", nullable: false),
                    created_time = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_time = table.Column<long>(type: "INTEGER", nullable: false),
                    rule_generation = table.Column<int>(type: "INTEGER", nullable: false),
                    version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_event_handlers", x => x.handler_id);
                });

            migrationBuilder.CreateTable(
                name: "handler_executions",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    handler_id = table.Column<string>(type: "TEXT", nullable: false),
                    operator_id = table.Column<string>(type: "TEXT", nullable: false),
                    unit_key = table.Column<string>(type: "TEXT", nullable: false),
                    imsi = table.Column<string>(type: "TEXT", nullable: true),
                    sim_id = table.Column<string>(type: "TEXT", nullable: true),
                    rule_type = table.Column<string>(type: "TEXT", nullable: false),
                    observed_value = table.Column<string>(type: "TEXT", nullable: true),
                    threshold = table.Column<string>(type: "TEXT", nullable: true),
                    old_value = table.Column<string>(type: "TEXT", nullable: true),
                    new_value = table.Column<string>(type: "TEXT", nullable: true),
                    window_start = table.Column<long>(type: "INTEGER", nullable: true),
                    window_end = table.Column<long>(type: "INTEGER", nullable: true),
                    fired_time = table.Column<long>(type: "INTEGER", nullable: false),
                    planned_actions = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_handler_executions", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "handler_ignores",
                columns: table => new
                {
                    handler_id = table.Column<string>(type: "TEXT", nullable: false),
                    imsi = table.Column<string>(type: "TEXT", nullable: false),
                    until = table.Column<long>(type: "INTEGER", nullable: true),
                    reason = table.Column<string>(type: "TEXT", nullable: true),
                    created_time = table.Column<long>(type: "INTEGER", nullable: false)
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
