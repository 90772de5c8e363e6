using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Simlane.Storage.Migrations.Postgres
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
                    operator_id = table.Column<string>(type: "text", nullable: false),
                    credentials_id = table.Column<string>(type: "text", nullable: false),
                    type = table.Column<string>(type: "text", nullable: false),
                    description = table.Column<string>(type: "text", nullable: true),
                    public_credentials = table.Column<string>(type: "text", nullable: false),
                    protected_credentials = table.Column<string>(type: "text", nullable: false),
                    created_time = table.Column<long>(type: "bigint", nullable: false),
                    updated_time = table.Column<long>(type: "bigint", nullable: false),
                    last_used_time = table.Column<long>(type: "bigint", nullable: true),
                    version = table.Column<int>(type: "integer", nullable: false)
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
