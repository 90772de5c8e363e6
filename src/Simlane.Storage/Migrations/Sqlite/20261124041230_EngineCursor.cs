using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Simlane.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class EngineCursor : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "engine_cursors",
                columns: table => new
                {
                    name = table.Column<string>(type: "TEXT", nullable: false),
                    position = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_time = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_engine_cursors", x => x.name);
                });

            // The engine consumes what happens from now on, not the history recorded before it existed.
            migrationBuilder.Sql("INSERT INTO engine_cursors (name, position, updated_time) SELECT 'engine', COALESCE(MAX(id), 0), 0 FROM domain_events");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "engine_cursors");
        }
    }
}
