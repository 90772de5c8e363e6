using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Simlane.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ApiTokensPerToken : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "pk_api_tokens",
                table: "api_tokens");

            migrationBuilder.AddPrimaryKey(
                name: "pk_api_tokens",
                table: "api_tokens",
                column: "token_hash");

            migrationBuilder.CreateIndex(
                name: "ix_api_tokens_api_key",
                table: "api_tokens",
                column: "api_key");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "pk_api_tokens",
                table: "api_tokens");

            migrationBuilder.DropIndex(
                name: "ix_api_tokens_api_key",
                table: "api_tokens");

            migrationBuilder.AddPrimaryKey(
                name: "pk_api_tokens",
                table: "api_tokens",
                column: "api_key");
        }
    }
}
