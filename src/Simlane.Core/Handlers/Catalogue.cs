using Simlane.Core.Events;
using Simlane.Core.Sims;
using Simlane.Core.Usage;

namespace Simlane.Core.Handlers;

/// <summary>The four kinds of handler target; a handler has exactly one.</summary>
public enum TargetKind
{
    Imsi,
    Sim,
    Group,
    Operator,
}

/// <summary>Wire names of the target kinds (request fields and the <c>target</c> list filter).</summary>
public static class TargetKinds
{
    public static string Field(TargetKind kind) => kind switch
    {
        TargetKind.Imsi => "targetImsi",
        TargetKind.Sim => "targetSimId",
        TargetKind.Group => "targetGroupId",
        _ => "targetOperatorId",
    };

    /// <summary>The value of the list filter <c>?target=</c> and of the stored target kind column.</summary>
    public static string Name(TargetKind kind) => kind switch
    {
        TargetKind.Imsi => "imsi",
        TargetKind.Sim => "sim",
        TargetKind.Group => "group",
        _ => "operator",
    };

    public static readonly IReadOnlyList<TargetKind> All = [TargetKind.Imsi, TargetKind.Sim, TargetKind.Group, TargetKind.Operator];
}

/// <summary>
/// The re-evaluation (<c>inactiveTimeoutDateConst</c>, domain.md 4.3) and execution (<c>executionDateTimeConst</c>,
/// domain.md 4.6) timings: one set of values for both, defined here only.
/// </summary>
public static class Timings
{
    public const string Immediately = "IMMEDIATELY";
    public const string BeginningOfNextMonth = "BEGINNING_OF_NEXT_MONTH";
    public const string BeginningOfNextDay = "BEGINNING_OF_NEXT_DAY";
    public const string AfterOneDay = "AFTER_ONE_DAY";
    public const string Never = "NEVER";

    public static readonly IReadOnlyList<string> All = [Immediately, BeginningOfNextMonth, BeginningOfNextDay, AfterOneDay, Never];

    /// <summary>Traffic rules and SimSubscriptionStatusRule: everything but IMMEDIATELY (domain.md 4.3).</summary>
    public static readonly IReadOnlyList<string> NotImmediately = [BeginningOfNextMonth, BeginningOfNextDay, AfterOneDay, Never];

    public static readonly IReadOnlyList<string> NeverOnly = [Never];

    /// <summary>Largest offset in minutes (365 days) for <c>inactiveTimeoutOffsetMinutes</c> and <c>executionOffsetMinutes</c>.</summary>
    public const int MaxOffsetMinutes = 525_600;
}

/// <summary>
/// Which rows of an event a rule reads (<see cref="RuleTypeSpec.Rows"/>): events carry a per-IMSI row
/// (Imsi set) or a SIM-level row (Imsi null).
/// </summary>
public enum EventRows
{
    /// <summary>Per-IMSI rows of the SIM's primary IMSI only (Subscriber* rules).</summary>
    PrimaryImsi,

    /// <summary>Per-IMSI rows of any IMSI (the Sim*/group/operator total traffic rules).</summary>
    AnyImsi,

    /// <summary>SIM-level rows only (Sim* event rules).</summary>
    SimLevel,

    /// <summary>Every row (the operator's monthly charge event has no SIM).</summary>
    Any,
}

/// <summary>The unit a firing is counted for when <c>runOnceAmongTarget</c> is not set (docs/engine.md).</summary>
public enum UnitLevel
{
    /// <summary>One unit per IMSI (<c>imsi:…</c>); the firing names its IMSI.</summary>
    Subscriber,

    /// <summary>One unit per SIM (<c>sim:…</c>); the firing is SIM-level.</summary>
    Sim,

    /// <summary>One unit for the whole target (group, operator); the firing names neither IMSI nor SIM and is never ignored.</summary>
    Aggregate,
}

/// <summary>What a rule's condition compares.</summary>
public enum RuleCondition
{
    /// <summary>The event itself (with the rule's filters): fires on an event, nothing to re-evaluate.</summary>
    Event,

    /// <summary>A usage counter against <c>limitTotalTrafficMegaByte</c>: a standing condition.</summary>
    Counter,

    /// <summary>The month's charge against <c>limitTotalAmount</c>: a standing condition.</summary>
    Charge,
}

/// <summary>Whose usage counter a traffic rule reads.</summary>
public enum CounterScope
{
    /// <summary>The unit's IMSI (<see cref="UsageScope.Subscriber"/>).</summary>
    Imsi,

    /// <summary>The unit's SIM (<see cref="UsageScope.Sim"/>).</summary>
    Sim,

    /// <summary>The target group, or the operator (<see cref="UsageScope.Group"/> / <see cref="UsageScope.Operator"/>).</summary>
    Target,
}

/// <summary>The counter a traffic rule compares: whose, and over which period.</summary>
public sealed record RuleCounter(CounterScope Scope, UsagePeriod Period);

/// <summary>The rule-specific action variables (domain.md 1.7.3) a firing of the rule fills in.</summary>
[Flags]
public enum RuleVariables
{
    None = 0,

    /// <summary><c>${oldStatus}</c>, <c>${newStatus}</c>.</summary>
    Status = 1,

    /// <summary><c>${oldSpeedClass}</c>, <c>${newSpeedClass}</c>.</summary>
    SpeedClass = 2,

    /// <summary><c>${otaStatus}</c>, <c>${subscription}</c>; the IMSI is the new one once the OTA finished.</summary>
    Subscription = 4,

    /// <summary><c>${sessionStatus}</c>.</summary>
    SessionStatus = 8,
}

/// <summary>How a property's value is read and stored (decisions.md 8).</summary>
public enum PropertyKind
{
    /// <summary>An integer within <see cref="PropertySpec.Min"/>..<see cref="PropertySpec.Max"/>, stored as a string.</summary>
    WholeNumber,

    /// <summary>A boolean stored as the string <c>"true"</c>/<c>"false"</c>.</summary>
    BooleanString,

    /// <summary>A boolean stored as a JSON boolean (only <c>hasImei</c>).</summary>
    Boolean,

    /// <summary>One of <see cref="PropertySpec.Allowed"/>, stored as given.</summary>
    Enum,

    /// <summary>Free text (numbers and booleans are taken as their text).</summary>
    Text,

    /// <summary>An object of string values, or a string holding such a JSON object (<c>headers</c>).</summary>
    StringMap,
}

/// <summary>One property of <c>RuleConfigProperty</c> or <c>ActionConfigProperty</c>.</summary>
public sealed record PropertySpec(string Name, PropertyKind Kind, long Min = 0, long Max = 0, IReadOnlyList<string>? Allowed = null);

/// <summary>
/// One rule type, everything the validator, the handler index, the engine, the dry run and the console's
/// catalogue know about it: its properties, allowed re-evaluation timings and targets, the events it listens
/// to and which of their rows, the unit a firing is counted for, what its condition compares (and which
/// counter), and the rule-specific variables its firings fill in.
/// </summary>
public sealed record RuleTypeSpec(
    string Name,
    IReadOnlyList<string> Required,
    IReadOnlyList<string> Optional,
    IReadOnlyList<string> Timeouts,
    IReadOnlyList<TargetKind> Targets,
    IReadOnlyList<string> Events,
    EventRows Rows,
    UnitLevel Level,
    RuleCondition Condition,
    RuleCounter? Counter = null,
    RuleVariables Variables = RuleVariables.None)
{
    public bool Accepts(string property) => Required.Contains(property) || Optional.Contains(property);

    /// <summary>A counter or the month's charge: a condition that can be evaluated at any time (re-evaluation timers, dry run).</summary>
    public bool Standing => Condition != RuleCondition.Event;

    /// <summary>
    /// Whether the rule is evaluated on an event of <paramref name="eventType"/>; <paramref name="simLevel"/> = the
    /// row has no IMSI, <paramref name="primaryImsi"/> = the row's IMSI is its SIM's primary one.
    /// </summary>
    public bool Listens(string eventType, bool simLevel, bool primaryImsi) => Events.Contains(eventType) && Rows switch
    {
        EventRows.PrimaryImsi => !simLevel && primaryImsi,
        EventRows.AnyImsi => !simLevel,
        EventRows.SimLevel => simLevel,
        _ => true,
    };
}

/// <summary>
/// One action type and its type-specific properties; <paramref name="NeedsRule"/> and <paramref name="NeedsFlag"/>:
/// the action is allowed only on that rule type with that boolean rule property true (ImeiLockAction).
/// </summary>
public sealed record ActionTypeSpec(string Name, IReadOnlyList<string> Required, IReadOnlyList<string> Optional, string? NeedsRule = null, string? NeedsFlag = null)
{
    public bool Accepts(string property) => Required.Contains(property) || Optional.Contains(property);
}

/// <summary>
/// Every rule type of domain.md 1.7.2 with its properties (1.7.1), re-evaluation timings (4.3) and targets
/// (decisions.md 6). The legacy names DailyTrafficRule, MonthlyTrafficRule and CumulativeTrafficRule are
/// accepted as aliases and stored under the current Subscriber* name.
/// </summary>
public static class RuleCatalogue
{
    public const string SubscriberFirstTraffic = "SubscriberFirstTrafficRule";
    public const string SubscriberDailyTraffic = "SubscriberDailyTrafficRule";
    public const string SubscriberMonthlyTraffic = "SubscriberMonthlyTrafficRule";
    public const string SubscriberCumulativeTraffic = "SubscriberCumulativeTrafficRule";
    public const string SubscriberStatusAttribute = "SubscriberStatusAttributeRule";
    public const string SimStatusAttribute = "SimStatusAttributeRule";
    public const string SubscriberSpeedClassAttribute = "SubscriberSpeedClassAttributeRule";
    public const string SimSpeedClassAttribute = "SimSpeedClassAttributeRule";
    public const string SubscriberExpired = "SubscriberExpiredRule";
    public const string SimExpired = "SimExpiredRule";
    public const string SubscriberImeiMismatched = "SubscriberImeiMismatchedRule";
    public const string SimImeiMismatched = "SimImeiMismatchedRule";
    public const string SimDailyTotalTraffic = "SimDailyTotalTrafficRule";
    public const string SimMonthlyTotalTraffic = "SimMonthlyTotalTrafficRule";
    public const string SimCumulativeTotalTraffic = "SimCumulativeTotalTrafficRule";
    public const string SimSubscriptionStatus = "SimSubscriptionStatusRule";
    public const string DailyTotalTraffic = "DailyTotalTrafficRule";
    public const string MonthlyTotalTraffic = "MonthlyTotalTrafficRule";
    public const string MonthlyCharge = "MonthlyChargeRule";
    public const string SubscriberSessionStatus = "SubscriberSessionStatusRule";

    public const string InactiveTimeoutDateConst = "inactiveTimeoutDateConst";
    public const string InactiveTimeoutOffsetMinutes = "inactiveTimeoutOffsetMinutes";
    public const string LimitTotalTrafficMegaByte = "limitTotalTrafficMegaByte";
    public const string LimitTotalAmount = "limitTotalAmount";
    public const string RunOnceAmongTarget = "runOnceAmongTarget";
    public const string SourceStatus = "sourceStatus";
    public const string TargetStatus = "targetStatus";
    public const string TargetSpeedClass = "targetSpeedClass";
    public const string TargetOtaStatus = "targetOtaStatus";
    public const string SessionStatus = "sessionStatus";
    public const string HasImei = "hasImei";

    /// <summary>Every property of <c>RuleConfigProperty</c>.</summary>
    public static readonly IReadOnlyDictionary<string, PropertySpec> Properties = new Dictionary<string, PropertySpec>(StringComparer.Ordinal)
    {
        [InactiveTimeoutDateConst] = new(InactiveTimeoutDateConst, PropertyKind.Enum, Allowed: Timings.All),
        [InactiveTimeoutOffsetMinutes] = new(InactiveTimeoutOffsetMinutes, PropertyKind.WholeNumber, 0, Timings.MaxOffsetMinutes),
        [LimitTotalTrafficMegaByte] = new(LimitTotalTrafficMegaByte, PropertyKind.WholeNumber, 1, int.MaxValue),
        [LimitTotalAmount] = new(LimitTotalAmount, PropertyKind.WholeNumber, 1, int.MaxValue),
        [RunOnceAmongTarget] = new(RunOnceAmongTarget, PropertyKind.BooleanString),
        [SourceStatus] = new(SourceStatus, PropertyKind.Enum, Allowed: ["ready", "active", "inactive", "standby", "suspended"]),
        [TargetStatus] = new(TargetStatus, PropertyKind.Enum, Allowed: ["ready", "active", "inactive", "standby", "suspended", "terminated"]),
        [TargetSpeedClass] = new(TargetSpeedClass, PropertyKind.Enum, Allowed: SpeedClasses.Requestable),
        [TargetOtaStatus] = new(TargetOtaStatus, PropertyKind.Enum, Allowed: ["started", "finished", "failed"]),
        [SessionStatus] = new(SessionStatus, PropertyKind.Enum, Allowed: ["Created", "Deleted"]),
        [HasImei] = new(HasImei, PropertyKind.Boolean),
    };

    /// <summary>Legacy names (old SDKs, console "prefixed" handlers) and the rule each stands for.</summary>
    public static readonly IReadOnlyDictionary<string, string> LegacyAliases = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["DailyTrafficRule"] = SubscriberDailyTraffic,
        ["MonthlyTrafficRule"] = SubscriberMonthlyTraffic,
        ["CumulativeTrafficRule"] = SubscriberCumulativeTraffic,
    };

    private static readonly TargetKind[] AnyTarget = [TargetKind.Imsi, TargetKind.Sim, TargetKind.Group, TargetKind.Operator];
    private static readonly TargetKind[] SimTargets = [TargetKind.Sim, TargetKind.Group, TargetKind.Operator];
    private static readonly TargetKind[] AggregateTargets = [TargetKind.Group, TargetKind.Operator];
    private static readonly TargetKind[] OperatorOnly = [TargetKind.Operator];

    /// <summary>The rule type a new handler starts from in the console.</summary>
    public const string Default = SubscriberDailyTraffic;

    /// <summary>The 20 rule types of the spec's <c>RuleConfig.type</c> enum, in its order.</summary>
    public static readonly IReadOnlyDictionary<string, RuleTypeSpec> Types = Build(
        new RuleTypeSpec(SubscriberFirstTraffic, [InactiveTimeoutDateConst], [], Timings.NeverOnly, AnyTarget,
            [DomainEventTypes.FirstTraffic], EventRows.PrimaryImsi, UnitLevel.Subscriber, RuleCondition.Event),
        Traffic(SubscriberDailyTraffic, CounterScope.Imsi, UsagePeriod.Day),
        Traffic(SubscriberMonthlyTraffic, CounterScope.Imsi, UsagePeriod.Month),
        Traffic(SubscriberCumulativeTraffic, CounterScope.Imsi, UsagePeriod.AllTime),
        Event(SubscriberStatusAttribute, DomainEventTypes.StatusChanged, UnitLevel.Subscriber, RuleVariables.Status, SourceStatus, TargetStatus),
        Event(SimStatusAttribute, DomainEventTypes.StatusChanged, UnitLevel.Sim, RuleVariables.Status, SourceStatus, TargetStatus),
        Event(SubscriberSpeedClassAttribute, DomainEventTypes.SpeedClassChanged, UnitLevel.Subscriber, RuleVariables.SpeedClass, TargetSpeedClass),
        Event(SimSpeedClassAttribute, DomainEventTypes.SpeedClassChanged, UnitLevel.Sim, RuleVariables.SpeedClass, TargetSpeedClass),
        Event(SubscriberExpired, DomainEventTypes.Expired, UnitLevel.Subscriber, RuleVariables.None),
        Event(SimExpired, DomainEventTypes.Expired, UnitLevel.Sim, RuleVariables.None),
        Event(SubscriberImeiMismatched, DomainEventTypes.ImeiMismatched, UnitLevel.Subscriber, RuleVariables.None),
        Event(SimImeiMismatched, DomainEventTypes.ImeiMismatched, UnitLevel.Sim, RuleVariables.None),
        Total(SimDailyTotalTraffic, SimTargets, UnitLevel.Sim, CounterScope.Sim, UsagePeriod.Day),
        Total(SimMonthlyTotalTraffic, SimTargets, UnitLevel.Sim, CounterScope.Sim, UsagePeriod.Month),
        Total(SimCumulativeTotalTraffic, SimTargets, UnitLevel.Sim, CounterScope.Sim, UsagePeriod.AllTime),
        new RuleTypeSpec(SimSubscriptionStatus, [InactiveTimeoutDateConst], [TargetOtaStatus, InactiveTimeoutOffsetMinutes, RunOnceAmongTarget], Timings.NotImmediately, SimTargets,
            [DomainEventTypes.OtaStatusChanged], EventRows.SimLevel, UnitLevel.Sim, RuleCondition.Event, Variables: RuleVariables.Subscription),
        Total(DailyTotalTraffic, AggregateTargets, UnitLevel.Aggregate, CounterScope.Target, UsagePeriod.Day),
        Total(MonthlyTotalTraffic, AggregateTargets, UnitLevel.Aggregate, CounterScope.Target, UsagePeriod.Month),

        // runOnceAmongTarget is not listed for this rule, but the console offers it (without effect): accepted.
        new RuleTypeSpec(MonthlyCharge, [LimitTotalAmount, InactiveTimeoutDateConst], [InactiveTimeoutOffsetMinutes, RunOnceAmongTarget], Timings.All, OperatorOnly,
            [DomainEventTypes.MonthlyChargeAggregated], EventRows.Any, UnitLevel.Aggregate, RuleCondition.Charge),
        new RuleTypeSpec(SubscriberSessionStatus, [SessionStatus, InactiveTimeoutDateConst], [HasImei, InactiveTimeoutOffsetMinutes], Timings.All, AnyTarget,
            [DomainEventTypes.SessionCreated, DomainEventTypes.SessionDeleted], EventRows.PrimaryImsi, UnitLevel.Subscriber, RuleCondition.Event,
            Variables: RuleVariables.SessionStatus));

    /// <summary>The rule type for a requested name (legacy aliases resolved), or null when unknown.</summary>
    public static RuleTypeSpec? Find(string name) =>
        Types.TryGetValue(LegacyAliases.TryGetValue(name, out var current) ? current : name, out var spec) ? spec : null;

    /// <summary>The rule type of a stored handler (stored under its current name).</summary>
    public static RuleTypeSpec Get(string name) =>
        Find(name) ?? throw new ArgumentException($"Unknown rule type '{name}'", nameof(name));

    /// <summary>Traffic rules count bytes against <c>limitTotalTrafficMegaByte</c>.</summary>
    public static bool IsTrafficRule(string name) => Find(name)?.Condition == RuleCondition.Counter;

    /// <summary>SubscriberDaily/Monthly/CumulativeTrafficRule: the IMSI's own counter, any target.</summary>
    private static RuleTypeSpec Traffic(string name, CounterScope scope, UsagePeriod period) =>
        new(name, [LimitTotalTrafficMegaByte, InactiveTimeoutDateConst], [InactiveTimeoutOffsetMinutes], Timings.NotImmediately, AnyTarget,
            [DomainEventTypes.UsageRecorded], EventRows.PrimaryImsi, UnitLevel.Subscriber, RuleCondition.Counter, new RuleCounter(scope, period));

    /// <summary>The Sim*/group/operator total traffic rules: every IMSI's usage counts.</summary>
    private static RuleTypeSpec Total(string name, TargetKind[] targets, UnitLevel level, CounterScope scope, UsagePeriod period) =>
        new(name, [LimitTotalTrafficMegaByte, InactiveTimeoutDateConst], [InactiveTimeoutOffsetMinutes, RunOnceAmongTarget], Timings.NotImmediately, targets,
            [DomainEventTypes.UsageRecorded], EventRows.AnyImsi, level, RuleCondition.Counter, new RuleCounter(scope, period));

    /// <summary>A change, expiry or IMEI mismatch: Subscriber* read the primary IMSI's rows, Sim* the SIM-level rows.</summary>
    private static RuleTypeSpec Event(string name, string eventType, UnitLevel level, RuleVariables variables, params string[] filters) =>
        new(name, [InactiveTimeoutDateConst], [.. filters, InactiveTimeoutOffsetMinutes, RunOnceAmongTarget], Timings.All,
            level == UnitLevel.Subscriber ? AnyTarget : SimTargets, [eventType],
            level == UnitLevel.Subscriber ? EventRows.PrimaryImsi : EventRows.SimLevel, level, RuleCondition.Event, Variables: variables);

    private static Dictionary<string, RuleTypeSpec> Build(params RuleTypeSpec[] specs) => specs.ToDictionary(s => s.Name, StringComparer.Ordinal);
}

/// <summary>Every action type of domain.md 1.7.3 and the properties each takes.</summary>
public static class ActionCatalogue
{
    public const string SendMail = "SendMailAction";
    public const string SendMailToOperator = "SendMailToOperatorAction";
    public const string ChangeSpeedClass = "ChangeSpeedClassAction";
    public const string Activation = "ActivationAction";
    public const string Deactivation = "DeactivationAction";
    public const string Standby = "StandbyAction";
    public const string Suspend = "SuspendAction";
    public const string ExecuteWebRequest = "ExecuteWebRequestAction";
    public const string InvokeAwsLambda = "InvokeAWSLambdaAction";
    public const string ImeiLock = "ImeiLockAction";

    public const string ExecutionDateTimeConst = "executionDateTimeConst";
    public const string ExecutionOffsetMinutes = "executionOffsetMinutes";

    /// <summary>The HTTP methods of ExecuteWebRequestAction; only POST and PUT take a body.</summary>
    public static readonly IReadOnlyList<string> HttpMethods = ["GET", "POST", "PUT", "DELETE"];

    /// <summary>Every property of <c>ActionConfigProperty</c> Simlane stores.</summary>
    public static readonly IReadOnlyDictionary<string, PropertySpec> Properties = new Dictionary<string, PropertySpec>(StringComparer.Ordinal)
    {
        [ExecutionDateTimeConst] = new(ExecutionDateTimeConst, PropertyKind.Enum, Allowed: Timings.All),
        [ExecutionOffsetMinutes] = new(ExecutionOffsetMinutes, PropertyKind.WholeNumber, 0, Timings.MaxOffsetMinutes),
        ["to"] = new("to", PropertyKind.Text),
        ["title"] = new("title", PropertyKind.Text),
        ["message"] = new("message", PropertyKind.Text),
        ["speedClass"] = new("speedClass", PropertyKind.Enum, Allowed: SpeedClasses.Requestable),
        ["url"] = new("url", PropertyKind.Text),
        ["httpMethod"] = new("httpMethod", PropertyKind.Enum, Allowed: HttpMethods),
        ["contentType"] = new("contentType", PropertyKind.Text),
        ["headers"] = new("headers", PropertyKind.StringMap),
        ["body"] = new("body", PropertyKind.Text),
        ["endpoint"] = new("endpoint", PropertyKind.Text),
        ["functionName"] = new("functionName", PropertyKind.Text),
        ["credentialsId"] = new("credentialsId", PropertyKind.Text),
        ["parameter1"] = new("parameter1", PropertyKind.Text),
        ["parameter2"] = new("parameter2", PropertyKind.Text),
        ["parameter3"] = new("parameter3", PropertyKind.Text),
        ["parameter4"] = new("parameter4", PropertyKind.Text),
        ["parameter5"] = new("parameter5", PropertyKind.Text),
    };

    /// <summary>
    /// The deprecated Lambda key pair: accepted so old clients keep working, but never stored or answered
    /// (a secret must not be echoed by GET); <c>credentialsId</c> is required instead.
    /// </summary>
    public static readonly IReadOnlyList<string> DroppedDeprecated = ["accessKey", "secretAccessKey"];

    public static readonly IReadOnlyDictionary<string, ActionTypeSpec> Types = new ActionTypeSpec[]
    {
        new(SendMail, ["to", "title", "message"], []),
        new(SendMailToOperator, ["title", "message"], []),
        new(ChangeSpeedClass, ["speedClass"], []),
        new(Activation, [], []),
        new(Deactivation, [], []),
        new(Standby, [], []),
        new(Suspend, [], []),
        new(ExecuteWebRequest, ["url", "httpMethod", "contentType", "headers"], ["body"]),
        new(InvokeAwsLambda, ["endpoint", "functionName", "credentialsId"], ["parameter1", "parameter2", "parameter3", "parameter4", "parameter5"]),
        new(ImeiLock, [], [], RuleCatalogue.SubscriberSessionStatus, RuleCatalogue.HasImei),
    }.ToDictionary(s => s.Name, StringComparer.Ordinal);
}
