using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Simlane.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "api_tokens",
                columns: table => new
                {
                    api_key = table.Column<string>(type: "TEXT", nullable: false),
                    operator_id = table.Column<string>(type: "TEXT", nullable: false),
                    token_hash = table.Column<string>(type: "TEXT", nullable: false),
                    auth_key_id = table.Column<string>(type: "TEXT", nullable: true),
                    created_time = table.Column<long>(type: "INTEGER", nullable: false),
                    expires_time = table.Column<long>(type: "INTEGER", nullable: false),
                    revoked = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_api_tokens", x => x.api_key);
                });

            migrationBuilder.CreateTable(
                name: "auth_keys",
                columns: table => new
                {
                    auth_key_id = table.Column<string>(type: "TEXT", nullable: false),
                    operator_id = table.Column<string>(type: "TEXT", nullable: false),
                    secret_hash = table.Column<string>(type: "TEXT", nullable: false),
                    created_time = table.Column<long>(type: "INTEGER", nullable: false),
                    last_used_time = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_auth_keys", x => x.auth_key_id);
                });

            migrationBuilder.CreateTable(
                name: "domain_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    operator_id = table.Column<string>(type: "TEXT", nullable: false),
                    sim_id = table.Column<string>(type: "TEXT", nullable: false),
                    imsi = table.Column<string>(type: "TEXT", nullable: true),
                    type = table.Column<string>(type: "TEXT", nullable: false),
                    old_value = table.Column<string>(type: "TEXT", nullable: true),
                    new_value = table.Column<string>(type: "TEXT", nullable: true),
                    occurred_time = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_domain_events", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "groups",
                columns: table => new
                {
                    group_id = table.Column<string>(type: "TEXT", nullable: false),
                    operator_id = table.Column<string>(type: "TEXT", nullable: false),
                    configuration = table.Column<string>(type: "TEXT", nullable: false),
                    created_time = table.Column<long>(type: "INTEGER", nullable: false),
                    last_modified_time = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_groups", x => x.group_id);
                });

            migrationBuilder.CreateTable(
                name: "operators",
                columns: table => new
                {
                    operator_id = table.Column<string>(type: "TEXT", nullable: false),
                    email = table.Column<string>(type: "TEXT", nullable: false),
                    password_hash = table.Column<string>(type: "TEXT", nullable: true),
                    description = table.Column<string>(type: "TEXT", nullable: false),
                    created_time = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_time = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_operators", x => x.operator_id);
                });

            migrationBuilder.CreateTable(
                name: "sim_status_history",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    sim_id = table.Column<string>(type: "TEXT", nullable: false),
                    imsi = table.Column<string>(type: "TEXT", nullable: false),
                    primary_imsi = table.Column<string>(type: "TEXT", nullable: false),
                    is_primary = table.Column<bool>(type: "INTEGER", nullable: false),
                    status = table.Column<string>(type: "TEXT", nullable: false),
                    speed_class = table.Column<string>(type: "TEXT", nullable: false),
                    group_id = table.Column<string>(type: "TEXT", nullable: true),
                    subscription = table.Column<string>(type: "TEXT", nullable: false),
                    bundles = table.Column<string>(type: "TEXT", nullable: false),
                    applied_time = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sim_status_history", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "sims",
                columns: table => new
                {
                    sim_id = table.Column<string>(type: "TEXT", nullable: false),
                    operator_id = table.Column<string>(type: "TEXT", nullable: true),
                    status = table.Column<string>(type: "TEXT", nullable: false),
                    speed_class = table.Column<string>(type: "TEXT", nullable: false),
                    group_id = table.Column<string>(type: "TEXT", nullable: true),
                    termination_enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    expiry_time = table.Column<long>(type: "INTEGER", nullable: true),
                    expiry_action = table.Column<string>(type: "TEXT", nullable: true),
                    imei_lock = table.Column<string>(type: "TEXT", nullable: true),
                    type = table.Column<string>(type: "TEXT", nullable: false),
                    module_type = table.Column<string>(type: "TEXT", nullable: false),
                    serial_number = table.Column<string>(type: "TEXT", nullable: true),
                    registration_secret_hash = table.Column<string>(type: "TEXT", nullable: true),
                    created_time = table.Column<long>(type: "INTEGER", nullable: false),
                    last_modified_time = table.Column<long>(type: "INTEGER", nullable: false),
                    registered_time = table.Column<long>(type: "INTEGER", nullable: true),
                    renewal_fee_status_set_time = table.Column<long>(type: "INTEGER", nullable: true),
                    version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sims", x => x.sim_id);
                });

            migrationBuilder.CreateTable(
                name: "group_tags",
                columns: table => new
                {
                    group_id = table.Column<string>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", nullable: false),
                    value = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_group_tags", x => new { x.group_id, x.name });
                    table.ForeignKey(
                        name: "fk_group_tags_groups_group_id",
                        column: x => x.group_id,
                        principalTable: "groups",
                        principalColumn: "group_id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "sim_tags",
                columns: table => new
                {
                    sim_id = table.Column<string>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", nullable: false),
                    value = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sim_tags", x => new { x.sim_id, x.name });
                    table.ForeignKey(
                        name: "fk_sim_tags_sims_sim_id",
                        column: x => x.sim_id,
                        principalTable: "sims",
                        principalColumn: "sim_id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "subscriptions",
                columns: table => new
                {
                    imsi = table.Column<string>(type: "TEXT", nullable: false),
                    sim_id = table.Column<string>(type: "TEXT", nullable: false),
                    iccid = table.Column<string>(type: "TEXT", nullable: false),
                    msisdn = table.Column<string>(type: "TEXT", nullable: true),
                    plan = table.Column<string>(type: "TEXT", nullable: false),
                    bundles = table.Column<string>(type: "TEXT", nullable: false),
                    is_primary = table.Column<bool>(type: "INTEGER", nullable: false),
                    secondary_status = table.Column<string>(type: "TEXT", nullable: true),
                    created_time = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_subscriptions", x => x.imsi);
                    table.ForeignKey(
                        name: "fk_subscriptions_sims_sim_id",
                        column: x => x.sim_id,
                        principalTable: "sims",
                        principalColumn: "sim_id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_api_tokens_operator_id",
                table: "api_tokens",
                column: "operator_id");

            migrationBuilder.CreateIndex(
                name: "ix_auth_keys_operator_id",
                table: "auth_keys",
                column: "operator_id");

            migrationBuilder.CreateIndex(
                name: "ix_domain_events_sim_id_id",
                table: "domain_events",
                columns: new[] { "sim_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_group_tags_name_value",
                table: "group_tags",
                columns: new[] { "name", "value" });

            migrationBuilder.CreateIndex(
                name: "ix_groups_operator_id_group_id",
                table: "groups",
                columns: new[] { "operator_id", "group_id" });

            migrationBuilder.CreateIndex(
                name: "ix_operators_email",
                table: "operators",
                column: "email",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_sim_status_history_sim_id_applied_time_id",
                table: "sim_status_history",
                columns: new[] { "sim_id", "applied_time", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_sim_tags_name_value",
                table: "sim_tags",
                columns: new[] { "name", "value" });

            migrationBuilder.CreateIndex(
                name: "ix_sims_operator_id_group_id",
                table: "sims",
                columns: new[] { "operator_id", "group_id" });

            migrationBuilder.CreateIndex(
                name: "ix_sims_operator_id_sim_id",
                table: "sims",
                columns: new[] { "operator_id", "sim_id" });

            migrationBuilder.CreateIndex(
                name: "ix_sims_serial_number",
                table: "sims",
                column: "serial_number");

            migrationBuilder.CreateIndex(
                name: "ix_subscriptions_iccid",
                table: "subscriptions",
                column: "iccid");

            migrationBuilder.CreateIndex(
                name: "ix_subscriptions_sim_id",
                table: "subscriptions",
                column: "sim_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "api_tokens");

            migrationBuilder.DropTable(
                name: "auth_keys");

            migrationBuilder.DropTable(
                name: "domain_events");

            migrationBuilder.DropTable(
                name: "group_tags");

            migrationBuilder.DropTable(
                name: "operators");

            migrationBuilder.DropTable(
                name: "sim_status_history");

            migrationBuilder.DropTable(
                name: "sim_tags");

            migrationBuilder.DropTable(
                name: "subscriptions");

            migrationBuilder.DropTable(
                name: "groups");

            migrationBuilder.DropTable(
                name: "sims");
        }
    }
}
