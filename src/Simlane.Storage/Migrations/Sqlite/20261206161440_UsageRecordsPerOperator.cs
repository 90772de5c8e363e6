using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Simlane.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class UsageRecordsPerOperator : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "pk_usage_records",
                table: "usage_records");

            migrationBuilder.AddColumn<string>(
                name: "operator_id",
                table: "usage_records",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddPrimaryKey(
                name: "pk_usage_records",
                table: "usage_records",
                columns: new[] { "operator_id", "record_id" });

            // Records accepted before record IDs were scoped go to the operator of their IMSI's SIM (record_id
            // was unique on its own, so (operator_id, record_id) stays unique). Same SQL on SQLite and PostgreSQL.
            migrationBuilder.Sql(
                "UPDATE usage_records SET operator_id = COALESCE((SELECT s.operator_id FROM subscriptions x "
                + "JOIN sims s ON s.sim_id = x.sim_id WHERE x.imsi = usage_records.imsi LIMIT 1), '')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Back to one namespace: of record IDs that several operators share, keep the earliest accepted.
            migrationBuilder.Sql(
                "DELETE FROM usage_records WHERE EXISTS (SELECT 1 FROM usage_records o WHERE o.record_id = usage_records.record_id "
                + "AND (o.accepted_time < usage_records.accepted_time OR (o.accepted_time = usage_records.accepted_time AND o.operator_id < usage_records.operator_id)))");

            migrationBuilder.DropPrimaryKey(
                name: "pk_usage_records",
                table: "usage_records");

            migrationBuilder.DropColumn(
                name: "operator_id",
                table: "usage_records");

            migrationBuilder.AddPrimaryKey(
                name: "pk_usage_records",
                table: "usage_records",
                column: "record_id");
        }
    }
}
