using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Simlane.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class EngineState : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "handler_unit_states",
                columns: table => new
                {
                    handler_id = table.Column<string>(type: "text", nullable: false),
                    generation = table.Column<int>(type: "integer", nullable: false),
                    unit_key = table.Column<string>(type: "text", nullable: false),
                    fired_time = table.Column<long>(type: "bigint", nullable: false),
                    re_arm_at = table.Column<long>(type: "bigint", nullable: true),
                    window = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_handler_unit_states", x => new { x.handler_id, x.generation, x.unit_key });
                    table.ForeignKey(
                        name: "fk_handler_unit_states_event_handlers_handler_id",
                        column: x => x.handler_id,
                        principalTable: "event_handlers",
                        principalColumn: "handler_id",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "handler_unit_states");
        }
    }
}
