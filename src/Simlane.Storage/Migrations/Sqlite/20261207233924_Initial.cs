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
                    token_hash = table.Column<string>(type: "TEXT", nullable: false),
                    api_key = table.Column<string>(type: "TEXT", nullable: false),
                    operator_id = table.Column<string>(type: "TEXT", nullable: false),
                    auth_key_id = table.Column<string>(type: "TEXT", nullable: true),
                    created_time = table.Column<long>(type: "INTEGER", nullable: false),
                    expires_time = table.Column<long>(type: "INTEGER", nullable: false),
                    revoked = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_api_tokens", x => x.token_hash);
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
                name: "clock_state",
                columns: table => new
                {
                    name = table.Column<string>(type: "TEXT", nullable: false),
                    offset_ms = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_clock_state", x => x.name);
                });

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

            migrationBuilder.CreateTable(
                name: "daily_charges",
                columns: table => new
                {
                    operator_id = table.Column<string>(type: "TEXT", nullable: false),
                    day_start = table.Column<long>(type: "INTEGER", nullable: false),
                    year_month = table.Column<string>(type: "TEXT", nullable: false),
                    amount = table.Column<decimal>(type: "TEXT", precision: 20, scale: 4, nullable: false),
                    currency = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_daily_charges", x => new { x.operator_id, x.day_start });
                });

            migrationBuilder.CreateTable(
                name: "domain_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    operator_id = table.Column<string>(type: "TEXT", nullable: false),
                    sim_id = table.Column<string>(type: "TEXT", nullable: true),
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
                name: "exported_files",
                columns: table => new
                {
                    file_id = table.Column<string>(type: "TEXT", nullable: false),
                    operator_id = table.Column<string>(type: "TEXT", nullable: false),
                    kind = table.Column<string>(type: "TEXT", nullable: false),
                    file_name = table.Column<string>(type: "TEXT", nullable: false),
                    content = table.Column<byte[]>(type: "BLOB", nullable: false),
                    created_time = table.Column<long>(type: "INTEGER", nullable: false),
                    expires_time = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_exported_files", x => x.file_id);
                });

            migrationBuilder.CreateTable(
                name: "group_memberships",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    operator_id = table.Column<string>(type: "TEXT", nullable: false),
                    sim_id = table.Column<string>(type: "TEXT", nullable: false),
                    group_id = table.Column<string>(type: "TEXT", nullable: false),
                    from_time = table.Column<long>(type: "INTEGER", nullable: false),
                    to_time = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_group_memberships", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "groups",
                columns: table => new
                {
                    group_id = table.Column<string>(type: "TEXT", nullable: false),
                    operator_id = table.Column<string>(type: "TEXT", nullable: false),
                    configuration = table.Column<string>(type: "TEXT", nullable: false),
                    created_time = table.Column<long>(type: "INTEGER", nullable: false),
                    last_modified_time = table.Column<long>(type: "INTEGER", nullable: false),
                    version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_groups", x => x.group_id);
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
                name: "monthly_charges",
                columns: table => new
                {
                    operator_id = table.Column<string>(type: "TEXT", nullable: false),
                    year_month = table.Column<string>(type: "TEXT", nullable: false),
                    amount = table.Column<decimal>(type: "TEXT", precision: 20, scale: 4, nullable: false),
                    currency = table.Column<string>(type: "TEXT", nullable: false),
                    state = table.Column<string>(type: "TEXT", nullable: false),
                    last_evaluated_time = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_monthly_charges", x => new { x.operator_id, x.year_month });
                });

            migrationBuilder.CreateTable(
                name: "nas_requests",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    operator_id = table.Column<string>(type: "TEXT", nullable: false),
                    sim_id = table.Column<string>(type: "TEXT", nullable: false),
                    imsi = table.Column<string>(type: "TEXT", nullable: false),
                    session_id = table.Column<string>(type: "TEXT", nullable: false),
                    nas_address = table.Column<string>(type: "TEXT", nullable: false),
                    acct_session_id = table.Column<string>(type: "TEXT", nullable: false),
                    kind = table.Column<string>(type: "TEXT", nullable: false),
                    speed_class = table.Column<string>(type: "TEXT", nullable: true),
                    user_name = table.Column<string>(type: "TEXT", nullable: true),
                    framed_ip_address = table.Column<string>(type: "TEXT", nullable: true),
                    state = table.Column<string>(type: "TEXT", nullable: false),
                    attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    created_time = table.Column<long>(type: "INTEGER", nullable: false),
                    next_attempt_time = table.Column<long>(type: "INTEGER", nullable: false),
                    deadline = table.Column<long>(type: "INTEGER", nullable: false),
                    completed_time = table.Column<long>(type: "INTEGER", nullable: true),
                    error_cause = table.Column<int>(type: "INTEGER", nullable: true),
                    last_error = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_nas_requests", x => x.id);
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
                name: "session_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    time = table.Column<long>(type: "INTEGER", nullable: false),
                    @event = table.Column<string>(name: "event", type: "TEXT", nullable: false),
                    imsi = table.Column<string>(type: "TEXT", nullable: false),
                    sim_id = table.Column<string>(type: "TEXT", nullable: false),
                    operator_id = table.Column<string>(type: "TEXT", nullable: false),
                    session_id = table.Column<string>(type: "TEXT", nullable: false),
                    imei = table.Column<string>(type: "TEXT", nullable: true),
                    apn = table.Column<string>(type: "TEXT", nullable: true),
                    ue_ip_address = table.Column<string>(type: "TEXT", nullable: true),
                    cell_json = table.Column<string>(type: "TEXT", nullable: true),
                    subscription = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_session_events", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "sim_day_charges",
                columns: table => new
                {
                    operator_id = table.Column<string>(type: "TEXT", nullable: false),
                    sim_id = table.Column<string>(type: "TEXT", nullable: false),
                    day_start = table.Column<long>(type: "INTEGER", nullable: false),
                    year_month = table.Column<string>(type: "TEXT", nullable: false),
                    imsi = table.Column<string>(type: "TEXT", nullable: false),
                    plan = table.Column<string>(type: "TEXT", nullable: false),
                    billed_status = table.Column<string>(type: "TEXT", nullable: false),
                    basic_fee = table.Column<decimal>(type: "TEXT", precision: 20, scale: 4, nullable: false),
                    basic_amount = table.Column<decimal>(type: "TEXT", precision: 20, scale: 4, nullable: false),
                    data_bytes = table.Column<long>(type: "INTEGER", nullable: false),
                    data_fee = table.Column<decimal>(type: "TEXT", precision: 28, scale: 12, nullable: false),
                    data_amount = table.Column<decimal>(type: "TEXT", precision: 20, scale: 4, nullable: false),
                    amount = table.Column<decimal>(type: "TEXT", precision: 20, scale: 4, nullable: false),
                    currency = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sim_day_charges", x => new { x.operator_id, x.year_month, x.sim_id, x.day_start });
                });

            migrationBuilder.CreateTable(
                name: "sim_sessions",
                columns: table => new
                {
                    session_id = table.Column<string>(type: "TEXT", nullable: false),
                    sim_id = table.Column<string>(type: "TEXT", nullable: false),
                    imsi = table.Column<string>(type: "TEXT", nullable: false),
                    operator_id = table.Column<string>(type: "TEXT", nullable: false),
                    imei = table.Column<string>(type: "TEXT", nullable: true),
                    apn = table.Column<string>(type: "TEXT", nullable: true),
                    ue_ip_address = table.Column<string>(type: "TEXT", nullable: true),
                    cell_json = table.Column<string>(type: "TEXT", nullable: true),
                    subscription = table.Column<string>(type: "TEXT", nullable: false),
                    created_time = table.Column<long>(type: "INTEGER", nullable: false),
                    last_updated_at = table.Column<long>(type: "INTEGER", nullable: false),
                    deleted_time = table.Column<long>(type: "INTEGER", nullable: true),
                    nas_address = table.Column<string>(type: "TEXT", nullable: true),
                    acct_session_id = table.Column<string>(type: "TEXT", nullable: true),
                    acct_input_octets = table.Column<long>(type: "INTEGER", nullable: false),
                    acct_output_octets = table.Column<long>(type: "INTEGER", nullable: false),
                    acct_input_packets = table.Column<long>(type: "INTEGER", nullable: false),
                    acct_output_packets = table.Column<long>(type: "INTEGER", nullable: false),
                    diameter_peer = table.Column<string>(type: "TEXT", nullable: true),
                    diameter_session_id = table.Column<string>(type: "TEXT", nullable: true),
                    cc_request_number = table.Column<long>(type: "INTEGER", nullable: false),
                    cc_result_code = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sim_sessions", x => x.session_id);
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
                name: "timers",
                columns: table => new
                {
                    key = table.Column<string>(type: "TEXT", nullable: false),
                    kind = table.Column<string>(type: "TEXT", nullable: false),
                    due_time = table.Column<long>(type: "INTEGER", nullable: false),
                    payload = table.Column<string>(type: "TEXT", nullable: false),
                    created_time = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_timers", x => x.key);
                });

            migrationBuilder.CreateTable(
                name: "usage_counters",
                columns: table => new
                {
                    scope = table.Column<short>(type: "INTEGER", nullable: false),
                    scope_id = table.Column<string>(type: "TEXT", nullable: false),
                    period = table.Column<short>(type: "INTEGER", nullable: false),
                    bucket_start = table.Column<long>(type: "INTEGER", nullable: false),
                    speed_class = table.Column<string>(type: "TEXT", nullable: false),
                    operator_id = table.Column<string>(type: "TEXT", nullable: false),
                    upload_bytes = table.Column<long>(type: "INTEGER", nullable: false),
                    download_bytes = table.Column<long>(type: "INTEGER", nullable: false),
                    upload_packets = table.Column<long>(type: "INTEGER", nullable: false),
                    download_packets = table.Column<long>(type: "INTEGER", nullable: false),
                    through = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_usage_counters", x => new { x.scope, x.scope_id, x.period, x.bucket_start, x.speed_class });
                });

            migrationBuilder.CreateTable(
                name: "usage_journal",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    operator_id = table.Column<string>(type: "TEXT", nullable: false),
                    accepted_time = table.Column<long>(type: "INTEGER", nullable: false),
                    records = table.Column<int>(type: "INTEGER", nullable: false),
                    data = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_usage_journal", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "usage_records",
                columns: table => new
                {
                    operator_id = table.Column<string>(type: "TEXT", nullable: false),
                    record_id = table.Column<string>(type: "TEXT", nullable: false),
                    imsi = table.Column<string>(type: "TEXT", nullable: false),
                    unixtime = table.Column<long>(type: "INTEGER", nullable: false),
                    accepted_time = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_usage_records", x => new { x.operator_id, x.record_id });
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

            migrationBuilder.CreateTable(
                name: "handler_unit_states",
                columns: table => new
                {
                    handler_id = table.Column<string>(type: "TEXT", nullable: false),
                    generation = table.Column<int>(type: "INTEGER", nullable: false),
                    unit_key = table.Column<string>(type: "TEXT", nullable: false),
                    fired_time = table.Column<long>(type: "INTEGER", nullable: false),
                    re_arm_at = table.Column<long>(type: "INTEGER", nullable: true),
                    window = table.Column<long>(type: "INTEGER", nullable: true)
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
                name: "sims",
                columns: table => new
                {
                    sim_id = table.Column<string>(type: "TEXT", nullable: false),
                    operator_id = table.Column<string>(type: "TEXT", nullable: true),
                    status = table.Column<string>(type: "TEXT", nullable: false),
                    speed_class = table.Column<string>(type: "TEXT", nullable: false),
                    group_id = table.Column<string>(type: "TEXT", nullable: true),
                    group_changed_time = table.Column<long>(type: "INTEGER", nullable: true),
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
                    table.ForeignKey(
                        name: "fk_sims_groups_group_id",
                        column: x => x.group_id,
                        principalTable: "groups",
                        principalColumn: "group_id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "action_deliveries",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    execution_id = table.Column<long>(type: "INTEGER", nullable: false),
                    handler_id = table.Column<string>(type: "TEXT", nullable: false),
                    operator_id = table.Column<string>(type: "TEXT", nullable: false),
                    action_index = table.Column<int>(type: "INTEGER", nullable: false),
                    action_type = table.Column<string>(type: "TEXT", nullable: false),
                    properties = table.Column<string>(type: "TEXT", nullable: false),
                    imsi = table.Column<string>(type: "TEXT", nullable: true),
                    sim_id = table.Column<string>(type: "TEXT", nullable: true),
                    delivery_key = table.Column<string>(type: "TEXT", nullable: false),
                    state = table.Column<string>(type: "TEXT", nullable: false),
                    due_time = table.Column<long>(type: "INTEGER", nullable: true),
                    next_attempt_time = table.Column<long>(type: "INTEGER", nullable: true),
                    retry_window_start = table.Column<long>(type: "INTEGER", nullable: true),
                    attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    last_error = table.Column<string>(type: "TEXT", nullable: true),
                    last_http_status = table.Column<int>(type: "INTEGER", nullable: true),
                    last_attempt_time = table.Column<long>(type: "INTEGER", nullable: true),
                    completed_time = table.Column<long>(type: "INTEGER", nullable: true),
                    created_time = table.Column<long>(type: "INTEGER", nullable: false),
                    lease_owner = table.Column<string>(type: "TEXT", nullable: true),
                    lease_until = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_action_deliveries", x => x.id);
                    table.ForeignKey(
                        name: "fk_action_deliveries_handler_executions_execution_id",
                        column: x => x.execution_id,
                        principalTable: "handler_executions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "webhook_secrets",
                columns: table => new
                {
                    operator_id = table.Column<string>(type: "TEXT", nullable: false),
                    protected_secret = table.Column<string>(type: "TEXT", nullable: false),
                    created_time = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_webhook_secrets", x => x.operator_id);
                    table.ForeignKey(
                        name: "fk_webhook_secrets_operators_operator_id",
                        column: x => x.operator_id,
                        principalTable: "operators",
                        principalColumn: "operator_id",
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
                name: "ix_action_deliveries_delivery_key",
                table: "action_deliveries",
                column: "delivery_key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_action_deliveries_execution_id_action_index",
                table: "action_deliveries",
                columns: new[] { "execution_id", "action_index" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_action_deliveries_state_next_attempt_time",
                table: "action_deliveries",
                columns: new[] { "state", "next_attempt_time" });

            migrationBuilder.CreateIndex(
                name: "ix_api_tokens_api_key",
                table: "api_tokens",
                column: "api_key");

            migrationBuilder.CreateIndex(
                name: "ix_api_tokens_operator_id",
                table: "api_tokens",
                column: "operator_id");

            migrationBuilder.CreateIndex(
                name: "ix_auth_keys_operator_id",
                table: "auth_keys",
                column: "operator_id");

            migrationBuilder.CreateIndex(
                name: "ix_daily_charges_operator_id_year_month",
                table: "daily_charges",
                columns: new[] { "operator_id", "year_month" });

            migrationBuilder.CreateIndex(
                name: "ix_domain_events_sim_id_id",
                table: "domain_events",
                columns: new[] { "sim_id", "id" });

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
                name: "ix_exported_files_expires_time",
                table: "exported_files",
                column: "expires_time");

            migrationBuilder.CreateIndex(
                name: "ix_exported_files_operator_id",
                table: "exported_files",
                column: "operator_id");

            migrationBuilder.CreateIndex(
                name: "ix_group_memberships_operator_id",
                table: "group_memberships",
                column: "operator_id");

            migrationBuilder.CreateIndex(
                name: "ix_group_memberships_sim_id_from_time",
                table: "group_memberships",
                columns: new[] { "sim_id", "from_time" });

            migrationBuilder.CreateIndex(
                name: "ix_group_tags_name_value",
                table: "group_tags",
                columns: new[] { "name", "value" });

            migrationBuilder.CreateIndex(
                name: "ix_groups_operator_id_group_id",
                table: "groups",
                columns: new[] { "operator_id", "group_id" });

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

            migrationBuilder.CreateIndex(
                name: "ix_nas_requests_session_id",
                table: "nas_requests",
                column: "session_id");

            migrationBuilder.CreateIndex(
                name: "ix_nas_requests_sim_id_id",
                table: "nas_requests",
                columns: new[] { "sim_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_nas_requests_state_next_attempt_time",
                table: "nas_requests",
                columns: new[] { "state", "next_attempt_time" });

            migrationBuilder.CreateIndex(
                name: "ix_operators_email",
                table: "operators",
                column: "email",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_session_events_imsi_id",
                table: "session_events",
                columns: new[] { "imsi", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_session_events_sim_id_id",
                table: "session_events",
                columns: new[] { "sim_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_session_events_time",
                table: "session_events",
                column: "time");

            migrationBuilder.CreateIndex(
                name: "ix_sim_sessions_diameter_session_id",
                table: "sim_sessions",
                column: "diameter_session_id");

            migrationBuilder.CreateIndex(
                name: "ix_sim_sessions_nas_address_acct_session_id",
                table: "sim_sessions",
                columns: new[] { "nas_address", "acct_session_id" });

            migrationBuilder.CreateIndex(
                name: "ix_sim_sessions_sim_id_deleted_time",
                table: "sim_sessions",
                columns: new[] { "sim_id", "deleted_time" });

            migrationBuilder.CreateIndex(
                name: "ix_sim_status_history_sim_id_applied_time_id",
                table: "sim_status_history",
                columns: new[] { "sim_id", "applied_time", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_sim_tags_name_value",
                table: "sim_tags",
                columns: new[] { "name", "value" });

            migrationBuilder.CreateIndex(
                name: "ix_sims_group_id",
                table: "sims",
                column: "group_id");

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

            migrationBuilder.CreateIndex(
                name: "ix_timers_due_time_key",
                table: "timers",
                columns: new[] { "due_time", "key" });

            migrationBuilder.CreateIndex(
                name: "ix_usage_counters_operator_id_scope_period_bucket_start",
                table: "usage_counters",
                columns: new[] { "operator_id", "scope", "period", "bucket_start" });

            migrationBuilder.CreateIndex(
                name: "ix_usage_records_unixtime",
                table: "usage_records",
                column: "unixtime");

            // The rule engine's read position starts at the beginning of the (empty) outbox.
            migrationBuilder.Sql("INSERT INTO engine_cursors (name, position, updated_time) VALUES ('engine', 0, 0)");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "action_deliveries");

            migrationBuilder.DropTable(
                name: "api_tokens");

            migrationBuilder.DropTable(
                name: "auth_keys");

            migrationBuilder.DropTable(
                name: "clock_state");

            migrationBuilder.DropTable(
                name: "credentials");

            migrationBuilder.DropTable(
                name: "daily_charges");

            migrationBuilder.DropTable(
                name: "domain_events");

            migrationBuilder.DropTable(
                name: "engine_cursors");

            migrationBuilder.DropTable(
                name: "exported_files");

            migrationBuilder.DropTable(
                name: "group_memberships");

            migrationBuilder.DropTable(
                name: "group_tags");

            migrationBuilder.DropTable(
                name: "handler_ignores");

            migrationBuilder.DropTable(
                name: "handler_unit_states");

            migrationBuilder.DropTable(
                name: "monthly_charges");

            migrationBuilder.DropTable(
                name: "nas_requests");

            migrationBuilder.DropTable(
                name: "session_events");

            migrationBuilder.DropTable(
                name: "sim_day_charges");

            migrationBuilder.DropTable(
                name: "sim_sessions");

            migrationBuilder.DropTable(
                name: "sim_status_history");

            migrationBuilder.DropTable(
                name: "sim_tags");

            migrationBuilder.DropTable(
                name: "subscriptions");

            migrationBuilder.DropTable(
                name: "timers");

            migrationBuilder.DropTable(
                name: "usage_counters");

            migrationBuilder.DropTable(
                name: "usage_journal");

            migrationBuilder.DropTable(
                name: "usage_records");

            migrationBuilder.DropTable(
                name: "webhook_secrets");

            migrationBuilder.DropTable(
                name: "handler_executions");

            migrationBuilder.DropTable(
                name: "event_handlers");

            migrationBuilder.DropTable(
                name: "sims");

            migrationBuilder.DropTable(
                name: "operators");

            migrationBuilder.DropTable(
                name: "groups");
        }
    }
}
