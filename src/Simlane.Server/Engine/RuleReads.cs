using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Simlane.Core.Handlers;
using Simlane.Core.Usage;
using Simlane.Storage;

namespace Simlane.Server.Engine;

/// <summary>The counter a traffic rule compares: scope, scope ID, period and the limit in MiB.</summary>
internal sealed record TrafficRule(UsageScope Scope, string ScopeId, UsagePeriod Period, long LimitMiB);

/// <summary>
/// The condition logic of the rule engine that does not depend on an event: rule properties, the unit a
/// firing is counted for, the counter a traffic rule reads, ignores and whether a unit is armed. Shared by
/// <see cref="RuleEngine"/> and the dry run (docs/api.md, "Dry run"), so both answer alike.
/// </summary>
internal static class RuleConditions
{
    /// <summary>Whether the rule is a standing condition (a counter or the month's charge) that can be evaluated at any time.</summary>
    public static bool HasStandingCondition(string ruleType) => RuleCatalogue.Get(ruleType).Standing;

    /// <summary>The group/operator total rules and the charge rule: one unit for the whole target, never ignored.</summary>
    public static bool IsAggregate(string ruleType) => RuleCatalogue.Get(ruleType).Level == UnitLevel.Aggregate;

    public static bool IsSubscriberRule(string ruleType) => RuleCatalogue.Get(ruleType).Level == UnitLevel.Subscriber;

    public static JsonObject Properties(EventHandlerRow handler) => JsonNode.Parse(handler.RuleProperties) as JsonObject ?? [];

    public static string? Text(JsonObject properties, string name) =>
        properties[name] is JsonValue v ? (v.TryGetValue<string>(out var s) ? s : v.ToJsonString()) : null;

    /// <summary>The unit a firing is counted for (docs/engine.md): the whole target with runOnceAmongTarget, else per rule.</summary>
    public static string UnitKey(EventHandlerRow handler, JsonObject properties, string? imsi, string? simId)
    {
        var rule = RuleCatalogue.Get(handler.RuleType);
        if (rule.Level == UnitLevel.Aggregate)
        {
            // The total rules count for their target; the charge rule (operator only) for the handler's operator.
            return rule.Counter is null ? $"operator:{handler.OperatorId}"
                : handler.TargetGroupId is { } g ? $"group:{g}" : $"operator:{handler.TargetOperatorId ?? handler.OperatorId}";
        }

        if (Text(properties, RuleCatalogue.RunOnceAmongTarget) == "true")
        {
            return RuleEngine.TargetUnit;
        }

        return rule.Level == UnitLevel.Subscriber ? $"imsi:{imsi}" : $"sim:{simId}";
    }

    /// <summary>The counter a traffic rule reads for the unit, or null for a rule without a traffic limit.</summary>
    public static TrafficRule? Traffic(EventHandlerRow handler, JsonObject properties, string? imsi, string? simId)
    {
        var limit = Text(properties, RuleCatalogue.LimitTotalTrafficMegaByte);
        if (limit is null || RuleCatalogue.Get(handler.RuleType).Counter is not { } counter)
        {
            return null;
        }

        var miB = long.Parse(limit, CultureInfo.InvariantCulture);
        (UsageScope Scope, string? Id) owner = counter.Scope switch
        {
            CounterScope.Imsi => (UsageScope.Subscriber, imsi),
            CounterScope.Sim => (UsageScope.Sim, simId),
            _ => handler.TargetGroupId is { } g ? (UsageScope.Group, g) : (UsageScope.Operator, handler.TargetOperatorId ?? handler.OperatorId),
        };
        return owner.Id is null ? null : new TrafficRule(owner.Scope, owner.Id, counter.Period, miB);
    }

    /// <summary>The counter's bytes (upload + download over all speed classes) in the bucket.</summary>
    public static Task<long> CounterTotalAsync(SimlaneDb db, TrafficRule traffic, long bucket, CancellationToken cancellationToken)
    {
        var (scope, scopeId, period) = (traffic.Scope, traffic.ScopeId, traffic.Period);
        return db.UsageCounters.AsNoTracking()
            .Where(c => c.Scope == scope && c.ScopeId == scopeId && c.Period == period && c.BucketStart == bucket)
            .SumAsync(c => c.UploadBytes + c.DownloadBytes, cancellationToken);
    }

    /// <summary>The bytes of many counters of one scope, period and bucket at once (absent counters are missing from the answer).</summary>
    public static async Task<Dictionary<string, long>> CounterTotalsAsync(
        SimlaneDb db, UsageScope scope, UsagePeriod period, long bucket, IReadOnlyCollection<string> scopeIds, CancellationToken cancellationToken)
    {
        var ids = scopeIds.ToList();
        var rows = await db.UsageCounters.AsNoTracking()
            .Where(c => c.Scope == scope && c.Period == period && c.BucketStart == bucket && ids.Contains(c.ScopeId))
            .GroupBy(c => c.ScopeId)
            .Select(g => new { ScopeId = g.Key, Total = g.Sum(c => c.UploadBytes + c.DownloadBytes) })
            .ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.ScopeId, r => r.Total, StringComparer.Ordinal);
    }

    /// <summary>An ignore of the IMSI that has not lapsed at <paramref name="now"/>.</summary>
    public static bool IsIgnored(IEnumerable<HandlerIgnore> ignores, string? imsi, long now) =>
        imsi is not null && ignores.Any(i => i.Imsi == imsi && (i.Until is null || i.Until > now));

    /// <summary>
    /// Whether a crossing may be recorded for a unit with <paramref name="state"/>: never fired, or re-armed
    /// by <paramref name="now"/> and (for an event, not a re-evaluation timer) not the window it last fired in.
    /// </summary>
    public static bool IsArmed(HandlerUnitState? state, long now, long? window, bool fromTimer)
    {
        if (state is null)
        {
            return true;
        }

        var armed = state.ReArmAt is { } reArm && reArm <= now;
        var sameCrossing = !fromTimer && window is { } w && state.Window == w;
        return armed && !sameCrossing;
    }
}
