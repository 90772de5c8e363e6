using Simlane.Core.Sims;

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

/// <summary>The re-evaluation (<c>inactiveTimeoutDateConst</c>) and execution (<c>executionDateTimeConst</c>) timings.</summary>
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

/// <summary>One rule type: its required and optional properties, allowed re-evaluation timings and targets.</summary>
public sealed record RuleTypeSpec(
    string Name,
    IReadOnlyList<string> Required,
    IReadOnlyList<string> Optional,
    IReadOnlyList<string> Timeouts,
    IReadOnlyList<TargetKind> Targets)
{
    public bool Accepts(string property) => Required.Contains(property) || Optional.Contains(property);
}

/// <summary>One action type and its type-specific properties.</summary>
public sealed record ActionTypeSpec(string Name, IReadOnlyList<string> Required, IReadOnlyList<string> Optional)
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

    /// <summary>The 20 rule types of the spec's <c>RuleConfig.type</c> enum, in its order.</summary>
    public static readonly IReadOnlyDictionary<string, RuleTypeSpec> Types = Build(
        Traffic(SubscriberFirstTraffic, AnyTarget, first: true),
        Traffic(SubscriberDailyTraffic, AnyTarget),
        Traffic(SubscriberMonthlyTraffic, AnyTarget),
        Traffic(SubscriberCumulativeTraffic, AnyTarget),
        Event(SubscriberStatusAttribute, AnyTarget, SourceStatus, TargetStatus),
        Event(SimStatusAttribute, SimTargets, SourceStatus, TargetStatus),
        Event(SubscriberSpeedClassAttribute, AnyTarget, TargetSpeedClass),
        Event(SimSpeedClassAttribute, SimTargets, TargetSpeedClass),
        Event(SubscriberExpired, AnyTarget),
        Event(SimExpired, SimTargets),
        Event(SubscriberImeiMismatched, AnyTarget),
        Event(SimImeiMismatched, SimTargets),
        Total(SimDailyTotalTraffic, SimTargets),
        Total(SimMonthlyTotalTraffic, SimTargets),
        Total(SimCumulativeTotalTraffic, SimTargets),
        new RuleTypeSpec(SimSubscriptionStatus, [InactiveTimeoutDateConst], [TargetOtaStatus, InactiveTimeoutOffsetMinutes, RunOnceAmongTarget], Timings.NotImmediately, SimTargets),
        Total(DailyTotalTraffic, AggregateTargets),
        Total(MonthlyTotalTraffic, AggregateTargets),

        // runOnceAmongTarget is not listed for this rule, but the console offers it (without effect): accepted.
        new RuleTypeSpec(MonthlyCharge, [LimitTotalAmount, InactiveTimeoutDateConst], [InactiveTimeoutOffsetMinutes, RunOnceAmongTarget], Timings.All, OperatorOnly),
        new RuleTypeSpec(SubscriberSessionStatus, [SessionStatus, InactiveTimeoutDateConst], [HasImei, InactiveTimeoutOffsetMinutes], Timings.All, AnyTarget));

    /// <summary>The rule type for a requested name (legacy aliases resolved), or null when unknown.</summary>
    public static RuleTypeSpec? Find(string name) =>
        Types.TryGetValue(LegacyAliases.TryGetValue(name, out var current) ? current : name, out var spec) ? spec : null;

    /// <summary>Traffic rules count bytes against <c>limitTotalTrafficMegaByte</c>.</summary>
    public static bool IsTrafficRule(string name) => Find(name)?.Required.Contains(LimitTotalTrafficMegaByte) == true;

    private static RuleTypeSpec Traffic(string name, TargetKind[] targets, bool first = false) => first
        ? new RuleTypeSpec(name, [InactiveTimeoutDateConst], [], Timings.NeverOnly, targets)
        : new RuleTypeSpec(name, [LimitTotalTrafficMegaByte, InactiveTimeoutDateConst], [InactiveTimeoutOffsetMinutes], Timings.NotImmediately, targets);

    private static RuleTypeSpec Total(string name, TargetKind[] targets) =>
        new(name, [LimitTotalTrafficMegaByte, InactiveTimeoutDateConst], [InactiveTimeoutOffsetMinutes, RunOnceAmongTarget], Timings.NotImmediately, targets);

    private static RuleTypeSpec Event(string name, TargetKind[] targets, params string[] filters) =>
        new(name, [InactiveTimeoutDateConst], [.. filters, InactiveTimeoutOffsetMinutes, RunOnceAmongTarget], Timings.All, targets);

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
        new(ImeiLock, [], []),
    }.ToDictionary(s => s.Name, StringComparer.Ordinal);
}
