namespace Simlane.Storage;

/// <summary>
/// One event handler (table <c>event_handlers</c>). Rule and action properties are stored as the
/// validator's normalised JSON. <see cref="RuleGeneration"/> grows whenever the rule or the target changes
/// (decisions.md 5): the engine keys its per-unit firing state by it, so such a change starts every unit
/// afresh, while a change of name, description, actions or status keeps the state.
/// </summary>
public sealed class EventHandlerRow
{
    public required string HandlerId { get; set; }

    public required string OperatorId { get; set; }

    public required string Name { get; set; }

    public string? Description { get; set; }

    /// <summary><c>active</c> or <c>inactive</c>.</summary>
    public required string Status { get; set; }

    public string? TargetImsi { get; set; }

    public string? TargetSimId { get; set; }

    public string? TargetGroupId { get; set; }

    public string? TargetOperatorId { get; set; }

    /// <summary>The rule type under its current name (legacy aliases are stored normalised).</summary>
    public required string RuleType { get; set; }

    /// <summary><c>RuleConfig.properties</c> as a JSON object.</summary>
    public required string RuleProperties { get; set; }

    /// <summary><c>actionConfigList</c> as a JSON array.</summary>
    public required string Actions { get; set; }

    /// <summary>Epoch ms.</summary>
    public long CreatedTime { get; set; }

    /// <summary>Epoch ms.</summary>
    public long UpdatedTime { get; set; }

    /// <summary>Starts at 1; +1 on every change of rule type, rule properties or target.</summary>
    public int RuleGeneration { get; set; } = 1;

    /// <summary>Optimistic concurrency token, +1 on every change.</summary>
    public int Version { get; set; }
}

/// <summary>
/// An IMSI a handler ignores (table <c>handler_ignores</c>, key handler + IMSI). Beyond SORACOM, an ignore
/// may lapse by itself at <see cref="Until"/> and say why in <see cref="Reason"/>.
/// </summary>
public sealed class HandlerIgnore
{
    public required string HandlerId { get; set; }

    public required string Imsi { get; set; }

    /// <summary>Epoch ms after which the ignore no longer applies; null = until removed.</summary>
    public long? Until { get; set; }

    public string? Reason { get; set; }

    /// <summary>Epoch ms.</summary>
    public long CreatedTime { get; set; }
}

/// <summary>
/// One firing of a handler for one evaluation unit (table <c>handler_executions</c>), written by the rule
/// engine, with the actions it planned. Served newest first by the executions endpoints.
/// </summary>
public sealed class HandlerExecution
{
    public long Id { get; set; }

    public required string HandlerId { get; set; }

    public required string OperatorId { get; set; }

    /// <summary>The evaluation unit: an IMSI, a SIM ID, a group ID or an operator ID, as the rule evaluates.</summary>
    public required string UnitKey { get; set; }

    public string? Imsi { get; set; }

    public string? SimId { get; set; }

    public required string RuleType { get; set; }

    /// <summary>The value that crossed (bytes, amount), as text.</summary>
    public string? ObservedValue { get; set; }

    /// <summary>The threshold it crossed (bytes, amount), as text.</summary>
    public string? Threshold { get; set; }

    /// <summary>For change rules: the value before (status, speed class…).</summary>
    public string? OldValue { get; set; }

    /// <summary>For change rules: the value after.</summary>
    public string? NewValue { get; set; }

    /// <summary>Epoch ms, start of the counted window (daily/monthly rules).</summary>
    public long? WindowStart { get; set; }

    /// <summary>Epoch ms, end (exclusive) of the counted window.</summary>
    public long? WindowEnd { get; set; }

    /// <summary>Epoch ms.</summary>
    public long FiredTime { get; set; }

    /// <summary>The actions with their due times, as a JSON array.</summary>
    public required string PlannedActions { get; set; }

    /// <summary>The deliveries of the actions, one per planned action (written with the firing).</summary>
    public List<ActionDelivery> Deliveries { get; set; } = [];
}

/// <summary>
/// The firing state of one (handler, rule generation, evaluation unit) (table <c>handler_unit_states</c>):
/// when it last fired and when it is armed again. No row for the handler's current generation = armed;
/// rows of older generations are ignored (a rule or target change starts every unit afresh).
/// </summary>
public sealed class HandlerUnitState
{
    public required string HandlerId { get; set; }

    public int Generation { get; set; }

    /// <summary><c>imsi:{imsi}</c>, <c>sim:{simId}</c>, <c>group:{id}</c>, <c>operator:{id}</c> or <c>target</c> (runOnceAmongTarget).</summary>
    public required string UnitKey { get; set; }

    /// <summary>Epoch ms of the last firing.</summary>
    public long FiredTime { get; set; }

    /// <summary>Epoch ms at which the unit is armed again; null = never.</summary>
    public long? ReArmAt { get; set; }

    /// <summary>Traffic rules: the window (bucket start, epoch seconds) the last firing reported, so one crossing fires once.</summary>
    public long? Window { get; set; }
}
