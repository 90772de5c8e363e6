using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Simlane.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class GroupIntegrity : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "version",
                table: "groups",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateIndex(
                name: "ix_sims_group_id",
                table: "sims",
                column: "group_id");

            migrationBuilder.AddForeignKey(
                name: "fk_sims_groups_group_id",
                table: "sims",
                column: "group_id",
                principalTable: "groups",
                principalColumn: "group_id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_sims_groups_group_id",
                table: "sims");

            migrationBuilder.DropIndex(
                name: "ix_sims_group_id",
                table: "sims");

            migrationBuilder.DropColumn(
                name: "version",
                table: "groups");
        }
    }
}
