using System.Globalization;
using System.Text.Json.Nodes;
using Simlane.Core.Billing;
using Simlane.Core.Events;
using Simlane.Core.Handlers;
using Simlane.Core.Usage;

namespace Simlane.Core.Engine;

/// <summary>The firing state of one (handler, unit) as the evaluator reads it: when it re-arms and the window it last fired in.</summary>
public sealed record UnitState(long? ReArmAt, long? Window);

/// <summary>An ignore of one IMSI by a handler, until <paramref name="Until"/> (epoch ms) or for good.</summary>
public sealed record RuleIgnore(string Imsi, long? Until);

/// <summary>The usage counter a traffic rule reads for a unit: whose and over which period.</summary>
public sealed record CounterRef(UsageScope Scope, string ScopeId, UsagePeriod Period);

/// <summary>
/// What the I/O shell loaded for one evaluation: the unit (<paramref name="Imsi"/>, <paramref name="SimId"/>,
/// the SIM's <paramref name="PrimaryImsi"/>) and the time (epoch ms) the firing would carry.
/// </summary>
public abstract record Observation(string? Imsi, string? SimId, string? PrimaryImsi, long Time);

/// <summary>A domain event an event rule (or the charge rule) listens to, with its old/new values.</summary>
public sealed record EventObservation(string Type, string? Imsi, string? SimId, string? PrimaryImsi, string? OldValue, string? NewValue, long Time)
    : Observation(Imsi, SimId, PrimaryImsi, Time);

/// <summary>A counter's bytes (upload + download) in the bucket starting at <paramref name="Bucket"/> (epoch seconds).</summary>
public sealed record CounterObservation(string? Imsi, string? SimId, string? PrimaryImsi, long Bucket, long TotalBytes, long Time)
    : Observation(Imsi, SimId, PrimaryImsi, Time);

/// <summary>The owner's charge for the month containing <paramref name="Time"/> (null: no charge aggregated yet).</summary>
public sealed record ChargeObservation(decimal? Amount, long Time) : Observation(null, null, null, Time);

/// <summary>
/// The evaluator's answer for one unit: whether it is ignored, whether the condition holds, whether the unit
/// is armed, and what a firing records (observed value, threshold, old/new values, window, re-arm time and
/// the re-evaluation timer). <see cref="Fires"/> when not ignored, holding and armed.
/// </summary>
public sealed record RuleDecision(string UnitKey, string? Imsi, string? SimId, long FiredTime)
{
    public bool Ignored { get; init; }

    public bool Holds { get; init; }

    public bool Armed { get; init; }

    public bool Fires => !Ignored && Holds && Armed;

    public string? Observed { get; init; }

    public string? Threshold { get; init; }

    public string? Old { get; init; }

    public string? New { get; init; }

    /// <summary>The window of the observed value, epoch ms (windowed counters and the charge's month).</summary>
    public long? WindowStart { get; init; }

    public long? WindowEnd { get; init; }

    /// <summary>The bucket (epoch seconds) a windowed counter fired in: one firing per window from events.</summary>
    public long? Window { get; init; }

    /// <summary>The session's IMEI (empty when the session reported none), SubscriberSessionStatusRule only.</summary>
    public string? Imei { get; init; }

    /// <summary>When the unit is armed again (<see cref="Timing.ReArmAt"/>); null: NEVER.</summary>
    public long? ReArmAt { get; init; }

    /// <summary>When a re-evaluation timer is due: standing conditions with a later re-arm time, per unit (not for the whole target).</summary>
    public long? ReEvaluateAt { get; init; }
}

/// <summary>
/// The pure rule evaluator (docs/engine.md "Rule engine"): <c>(typed handler, observation, unit state, ignores,
/// now, fromTimer) → decision</c>. It owns the event filters, the threshold comparisons, the unit a firing
/// is counted for, ignores, armed/window logic, the counter a traffic rule reads and the re-arm time.
/// The server's RuleEngine loads the inputs and stages the outputs; the dry run asks it for every unit.
/// </summary>
public static class RuleEvaluator
{
    /// <summary>The unit key of runOnceAmongTarget: one firing for the whole target.</summary>
    public const string TargetUnit = "target";

    /// <summary>At most this many buckets are evaluated for one usage event (a span of records).</summary>
    public const int MaxBucketsPerEvent = 400;

    /// <summary>The unit a firing is counted for (docs/engine.md): the whole target with runOnceAmongTarget, else per rule.</summary>
    public static string UnitKey(TypedHandler handler, string? imsi, string? simId)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var rule = handler.Rule.Type;
        if (rule.Level == UnitLevel.Aggregate)
        {
            // The total rules count for their target; the charge rule (operator only) for the handler's operator.
            return rule.Counter is null ? $"operator:{handler.OperatorId}"
                : handler.TargetKind == TargetKind.Group ? $"group:{handler.TargetId}" : $"operator:{handler.TargetId}";
        }

        if (handler.Rule.RunOnceAmongTarget)
        {
            return TargetUnit;
        }

        return rule.Level == UnitLevel.Subscriber ? $"imsi:{imsi}" : $"sim:{simId}";
    }

    /// <summary>The counter a traffic rule reads for the unit, or null for a rule without one (or a unit without that owner).</summary>
    public static CounterRef? Counter(TypedHandler handler, string? imsi, string? simId)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (handler.Rule.LimitMiB is null || handler.Rule.Type.Counter is not { } counter)
        {
            return null;
        }

        (UsageScope Scope, string? Id) owner = counter.Scope switch
        {
            CounterScope.Imsi => (UsageScope.Subscriber, imsi),
            CounterScope.Sim => (UsageScope.Sim, simId),
            _ => (AggregateScope(handler), handler.TargetId),
        };
        return owner.Id is null ? null : new CounterRef(owner.Scope, owner.Id, counter.Period);
    }

    /// <summary>The buckets (epoch seconds) of <paramref name="period"/> a usage event's record span touches, at most <see cref="MaxBucketsPerEvent"/>.</summary>
    public static IEnumerable<long> UsageBuckets(UsagePeriod period, string? usagePayload)
    {
        var node = usagePayload is null ? null : JsonNode.Parse(usagePayload);
        var from = node?["fromUnixtime"]?.GetValue<long>() ?? 0;
        var to = Math.Max(from, node?["toUnixtime"]?.GetValue<long>() ?? from);
        var bucket = UsageWindows.BucketStart(period, from);
        var last = UsageWindows.BucketStart(period, to);
        for (var i = 0; bucket <= last && i < MaxBucketsPerEvent; i++, bucket = UsageWindows.NextBucketStart(period, bucket))
        {
            yield return bucket;
        }
    }

    /// <summary>An ignore of the IMSI that has not lapsed at <paramref name="now"/>.</summary>
    public static bool IsIgnored(IEnumerable<RuleIgnore> ignores, string? imsi, long now) =>
        imsi is not null && ignores.Any(i => i.Imsi == imsi && (i.Until is null || i.Until > now));

    /// <summary>
    /// Whether the unit of <paramref name="observation"/> is ignored: the IMSI of a Subscriber* unit, the primary
    /// IMSI of a SIM unit; group/operator (aggregate) units are never ignored.
    /// </summary>
    public static bool IsIgnored(TypedHandler handler, Observation observation, IEnumerable<RuleIgnore> ignores, long now)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(observation);
        var level = handler.Rule.Type.Level;
        return level != UnitLevel.Aggregate && IsIgnored(ignores, level == UnitLevel.Subscriber ? observation.Imsi : observation.PrimaryImsi, now);
    }

    /// <summary>
    /// Whether a crossing may be recorded for a unit with <paramref name="state"/>: never fired, or re-armed
    /// by <paramref name="now"/> and (for an event, not a re-evaluation timer) not the window it last fired in.
    /// </summary>
    public static bool IsArmed(UnitState? state, long now, long? window, bool fromTimer)
    {
        if (state is null)
        {
            return true;
        }

        var armed = state.ReArmAt is { } reArm && reArm <= now;
        var sameCrossing = !fromTimer && window is { } w && state.Window == w;
        return armed && !sameCrossing;
    }

    /// <summary>The firing for the observation, or null when the unit is ignored, the condition does not hold or the unit is not armed.</summary>
    public static RuleDecision? Evaluate(
        TypedHandler handler, Observation observation, UnitState? state, IEnumerable<RuleIgnore> ignores, long now, bool fromTimer) =>
        Decide(handler, observation, state, ignores, now, fromTimer) is { Fires: true } firing ? firing : null;

    /// <summary>The full decision for the observation (the dry run shows every unit, firing or not).</summary>
    public static RuleDecision Decide(
        TypedHandler handler, Observation observation, UnitState? state, IEnumerable<RuleIgnore> ignores, long now, bool fromTimer)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(observation);
        ArgumentNullException.ThrowIfNull(ignores);
        var rule = handler.Rule;
        var level = rule.Type.Level;

        // Subscriber* firings name their IMSI; Sim* firings are SIM-level (Imsi null); total and charge firings name neither.
        var decision = new RuleDecision(
            UnitKey(handler, observation.Imsi, observation.SimId),
            level == UnitLevel.Subscriber ? observation.Imsi : null,
            level == UnitLevel.Aggregate ? null : observation.SimId,
            observation.Time)
        {
            Ignored = IsIgnored(handler, observation, ignores, now),
        };

        decision = observation switch
        {
            CounterObservation counter => Traffic(rule, counter, decision),
            ChargeObservation charge => Charge(rule, charge.Amount, charge.Amount is { } a ? PriceTable.Normalize(a).ToString(CultureInfo.InvariantCulture) : null, charge.Time, decision),
            EventObservation e => Event(rule, e, decision),
            _ => throw new ArgumentException($"Unknown observation {observation.GetType().Name}", nameof(observation)),
        };

        var reArmAt = Timing.ReArmAt(rule.InactiveTimeout, rule.InactiveTimeoutOffsetMinutes, decision.FiredTime);
        return decision with
        {
            Armed = IsArmed(state, now, decision.Window, fromTimer),
            ReArmAt = reArmAt,
            ReEvaluateAt = reArmAt is { } due && rule.InactiveTimeout != Timings.Immediately && decision.UnitKey != TargetUnit && rule.Type.Standing
                ? due : null,
        };
    }

    private static RuleDecision Traffic(HandlerRule rule, CounterObservation counter, RuleDecision decision)
    {
        if (rule.Type.Counter is not { } spec || rule.LimitMiB is not { } limit)
        {
            throw new ArgumentException($"{rule.Type.Name} reads no usage counter", nameof(counter));
        }

        var windowed = spec.Period != UsagePeriod.AllTime;
        return decision with
        {
            Holds = Thresholds.Exceeds(counter.TotalBytes, limit),
            Observed = counter.TotalBytes.ToString(CultureInfo.InvariantCulture),
            Threshold = Thresholds.LimitBytes(limit).ToString(CultureInfo.InvariantCulture),
            WindowStart = windowed ? counter.Bucket * 1000 : null,
            WindowEnd = windowed ? UsageWindows.NextBucketStart(spec.Period, counter.Bucket) * 1000 : null,

            // Cumulative counters never reset: once armed again, being over the limit is a new firing (domain.md 4.3 item 3),
            // also when the re-evaluation timer was skipped (handler inactive at that time). Windowed rules fire once per window
            // from events; their re-evaluation at the re-arm time is the timer's.
            Window = windowed ? counter.Bucket : null,
        };
    }

    private static RuleDecision Charge(HandlerRule rule, decimal? amount, string? observed, long time, RuleDecision decision)
    {
        var limit = rule.LimitAmount ?? throw new ArgumentException($"{rule.Type.Name} has no charge limit", nameof(rule));
        var monthStart = UsageWindows.BucketStart(UsagePeriod.Month, time / 1000);
        return decision with
        {
            Holds = amount is { } a && Thresholds.ChargeExceeds(a, limit),
            Observed = observed,
            Threshold = limit.ToString(CultureInfo.InvariantCulture),
            WindowStart = monthStart * 1000,
            WindowEnd = UsageWindows.NextBucketStart(UsagePeriod.Month, monthStart) * 1000,
        };
    }

    private static RuleDecision Event(HandlerRule rule, EventObservation e, RuleDecision decision)
    {
        var changed = decision with { Old = e.OldValue, New = e.NewValue };
        switch (e.Type)
        {
            case DomainEventTypes.StatusChanged:
                return changed with { Holds = Matches(rule.SourceStatus, e.OldValue) && Matches(rule.TargetStatus, e.NewValue) };
            case DomainEventTypes.SpeedClassChanged:
                return changed with { Holds = Matches(rule.TargetSpeedClass, e.NewValue) };
            case DomainEventTypes.OtaStatusChanged:
                return changed with { Holds = Matches(rule.TargetOtaStatus, e.NewValue) };
            case DomainEventTypes.SessionCreated or DomainEventTypes.SessionDeleted:
                var status = e.Type == DomainEventTypes.SessionCreated ? "Created" : "Deleted";
                var imei = e.Type == DomainEventTypes.SessionCreated ? e.NewValue : null;
                return decision with { Holds = rule.SessionStatus == status && !(rule.HasImei && imei is null), New = status, Imei = imei ?? "" };
            case DomainEventTypes.MonthlyChargeAggregated:
                var amount = decimal.Parse(e.NewValue ?? "0", CultureInfo.InvariantCulture);
                return Charge(rule, amount, amount.ToString(CultureInfo.InvariantCulture), e.Time, decision);
            case DomainEventTypes.Expired or DomainEventTypes.ImeiMismatched:
                return changed with { Holds = true };
            case DomainEventTypes.FirstTraffic:
                return decision with { Holds = true };
            default:
                throw new ArgumentException($"{rule.Type.Name} has no evaluation for a {e.Type} event (usage is a CounterObservation)", nameof(e));
        }
    }

    /// <summary>An omitted filter property matches anything.</summary>
    private static bool Matches(string? wanted, string? value) => wanted is null || wanted == value;

    /// <summary>Whose counter a group/operator total reads: the target group's, or the target operator's.</summary>
    private static UsageScope AggregateScope(TypedHandler handler) => handler.TargetKind == TargetKind.Group ? UsageScope.Group : UsageScope.Operator;
}
