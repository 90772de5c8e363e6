using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Simlane.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Credentials : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "credentials",
                columns: table => new
                {
                    operator_id = table.Column<string>(type: "TEXT", nullable: false),
                    credentials_id = table.Column<string>(type: "TEXT", nullable: false),
                    type = table.Column<string>(type: "TEXT", nullable: false),
                    description = table.Column<string>(type: "TEXT", nullable: true),
                    public_credentials = table.Column<string>(type: "TEXT", nullable: false),
                    protected_credentials = table.Column<string>(type: "TEXT", nullable: false),
                    created_time = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_time = table.Column<long>(type: "INTEGER", nullable: false),
                    last_used_time = table.Column<long>(type: "INTEGER", nullable: true),
                    version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_credentials", x => new { x.operator_id, x.credentials_id });
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "credentials");
        }
    }
}
