using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Simlane.Core.Billing;
using Simlane.Core.Engine;
using Simlane.Core.Handlers;
using Simlane.Core.Sims;
using Simlane.Core.Usage;
using Simlane.Server.Engine;
using Simlane.Storage;

namespace Simlane.Server.Handlers;

/// <summary>
/// <c>POST /v1/event_handlers/dry_run</c> (docs/api.md, "Dry run"): which units of a handler's target would
/// fire now, given the current counters, the month's charge, ignores and firing states. Reads only; the
/// conditions are the rule engine's (<see cref="RuleConditions"/>).
/// </summary>
internal static class HandlerDryRun
{
    public const int MaxUnits = 1000;

    public static async Task<JsonObject> EvaluateAsync(
        SimlaneDb db, EventHandlerRow handler, IReadOnlyCollection<HandlerIgnore> ignores, bool stored, long now, CancellationToken cancellationToken)
    {
        var rule = handler.RuleType;
        if (!RuleConditions.HasStandingCondition(rule))
        {
            return new JsonObject
            {
                ["evaluable"] = false,
                ["reason"] = $"{rule} fires on an event (a change, an expiry, a session, an OTA report or first traffic), not on a standing condition: nothing can fire now",
                ["units"] = new JsonArray(),
                ["truncated"] = false,
            };
        }

        var properties = RuleConditions.Properties(handler);
        var active = handler.Status == HandlerValidator.Active;
        var states = stored
            ? await db.HandlerUnitStates.AsNoTracking().Where(s => s.HandlerId == handler.HandlerId && s.Generation == handler.RuleGeneration)
                .ToDictionaryAsync(s => s.UnitKey, StringComparer.Ordinal, cancellationToken)
            : new Dictionary<string, HandlerUnitState>(StringComparer.Ordinal);
        var units = new JsonArray();
        var truncated = false;
        var nowSeconds = now / 1000;

        if (RuleCatalogue.Get(rule).Condition == RuleCondition.Charge)
        {
            var monthStart = UsageWindows.BucketStart(UsagePeriod.Month, nowSeconds);
            var month = BillDates.YearMonth(monthStart);
            var operatorId = handler.OperatorId;
            var amount = await db.MonthlyCharges.AsNoTracking().Where(c => c.OperatorId == operatorId && c.YearMonth == month)
                .Select(c => (decimal?)c.Amount).SingleOrDefaultAsync(cancellationToken);
            var limit = decimal.Parse(RuleConditions.Text(properties, RuleCatalogue.LimitTotalAmount)!, CultureInfo.InvariantCulture);
            var unitKey = RuleConditions.UnitKey(handler, properties, null, null);
            var armed = RuleConditions.IsArmed(states.GetValueOrDefault(unitKey), now, window: null, fromTimer: false);
            var exceeds = amount is { } a && Thresholds.ChargeExceeds(a, limit);
            units.Add(Unit(unitKey, null, null, amount is { } charge ? PriceTable.Normalize(charge).ToString(CultureInfo.InvariantCulture) : null, limit.ToString(CultureInfo.InvariantCulture),
                monthStart, UsageWindows.NextBucketStart(UsagePeriod.Month, monthStart), active && exceeds && armed, armed, ignored: false));
        }
        else if (RuleConditions.IsAggregate(rule))
        {
            var traffic = RuleConditions.Traffic(handler, properties, null, null)!;
            var bucket = UsageWindows.BucketStart(traffic.Period, nowSeconds);
            var total = await RuleConditions.CounterTotalAsync(db, traffic, bucket, cancellationToken);
            var unitKey = RuleConditions.UnitKey(handler, properties, null, null);
            var armed = RuleConditions.IsArmed(states.GetValueOrDefault(unitKey), now, bucket, fromTimer: false);
            units.Add(TrafficUnit(unitKey, null, null, traffic, bucket, total, active, armed, ignored: false));
        }
        else
        {
            var subscriberRule = RuleConditions.IsSubscriberRule(rule);
            var rows = await TargetSubscriptions(db, handler, subscriberRule, MaxUnits + 1).ToListAsync(cancellationToken);
            truncated = rows.Count > MaxUnits;
            rows = [.. rows.Take(MaxUnits)];
            var first = RuleConditions.Traffic(handler, properties, "-", "-")!;
            var bucket = UsageWindows.BucketStart(first.Period, nowSeconds);
            var totals = await RuleConditions.CounterTotalsAsync(
                db, first.Scope, first.Period, bucket, [.. rows.Select(r => subscriberRule ? r.Imsi : r.SimId)], cancellationToken);
            foreach (var row in rows)
            {
                var (imsi, simId) = (row.Imsi, row.SimId);
                var traffic = RuleConditions.Traffic(handler, properties, imsi, simId)!;
                var unitKey = RuleConditions.UnitKey(handler, properties, imsi, simId);
                var ignored = RuleConditions.IsIgnored(ignores, imsi, now);
                var armed = RuleConditions.IsArmed(states.GetValueOrDefault(unitKey), now, traffic.Period == UsagePeriod.AllTime ? null : bucket, fromTimer: false);
                units.Add(TrafficUnit(unitKey, subscriberRule ? imsi : null, simId, traffic, bucket, totals.GetValueOrDefault(traffic.ScopeId), active, armed, ignored));
            }
        }

        // runOnceAmongTarget: every unit shares the target's one firing, so at most one of them fires (the engine fires
        // whichever unit's event comes first; here, the first in listing order). The others are marked, not hidden.
        var fired = false;
        foreach (var unit in units.OfType<JsonObject>().Where(u => u["unitKey"]?.GetValue<string>() == Engine.RuleEngine.TargetUnit))
        {
            if (unit["wouldFire"]!.GetValue<bool>())
            {
                unit["wouldFire"] = !fired;
                unit["sharesTargetFiring"] = fired;
                fired = true;
            }
        }

        var result = new JsonObject { ["evaluable"] = true };
        if (!active)
        {
            result["reason"] = "The handler is inactive: nothing fires while its status is inactive";
        }

        result["units"] = units;
        result["truncated"] = truncated;
        return result;
    }

    /// <summary>The primary subscription (IMSI, SIM ID) of the first <paramref name="take"/> SIMs the target covers, by IMSI for Subscriber* rules, else by SIM ID.</summary>
    private static IQueryable<TargetUnit> TargetSubscriptions(SimlaneDb db, EventHandlerRow handler, bool byImsi, int take)
    {
        var operatorId = handler.OperatorId;
        var sims = db.Sims.AsNoTracking().Where(s => s.OperatorId == operatorId);
        if (handler.TargetSimId is { } simId)
        {
            sims = sims.Where(s => s.SimId == simId);
        }
        else if (handler.TargetGroupId is { } groupId)
        {
            sims = sims.Where(s => s.GroupId == groupId);
        }

        var subscriptions = db.Subscriptions.AsNoTracking().Where(s => s.IsPrimary && sims.Any(sim => sim.SimId == s.SimId));
        if (handler.TargetImsi is { } imsi)
        {
            subscriptions = subscriptions.Where(s => s.Imsi == imsi);
        }

        var ordered = byImsi ? subscriptions.OrderBy(s => s.Imsi) : subscriptions.OrderBy(s => s.SimId);
        return ordered.Take(take).Select(s => new TargetUnit { Imsi = s.Imsi, SimId = s.SimId });
    }

    private static JsonObject TrafficUnit(
        string unitKey, string? imsi, string? simId, TrafficRule traffic, long bucket, long total, bool active, bool armed, bool ignored)
    {
        var windowed = traffic.Period != UsagePeriod.AllTime;
        var wouldFire = active && Thresholds.Exceeds(total, traffic.LimitMiB) && armed && !ignored;
        return Unit(unitKey, imsi, simId, total.ToString(CultureInfo.InvariantCulture),
            Thresholds.LimitBytes(traffic.LimitMiB).ToString(CultureInfo.InvariantCulture),
            windowed ? bucket : null, windowed ? UsageWindows.NextBucketStart(traffic.Period, bucket) : null, wouldFire, armed, ignored);
    }

    private static JsonObject Unit(
        string unitKey, string? imsi, string? simId, string? observed, string threshold, long? windowStart, long? windowEnd, bool wouldFire, bool armed, bool ignored)
    {
        var unit = new JsonObject { ["unitKey"] = unitKey };
        if (imsi is not null)
        {
            unit["imsi"] = imsi;
        }

        if (simId is not null)
        {
            unit["simId"] = simId;
        }

        unit["observedValue"] = observed;
        unit["threshold"] = threshold;
        if (windowStart is { } start && windowEnd is { } end)
        {
            unit["windowStart"] = start * 1000;
            unit["windowEnd"] = end * 1000;
        }

        unit["wouldFire"] = wouldFire;
        unit["armed"] = armed;
        unit["ignored"] = ignored;
        return unit;
    }

    /// <summary>A primary subscription the target covers (a class, so that every provider reads it as two columns).</summary>
    private sealed class TargetUnit
    {
        public required string Imsi { get; init; }

        public required string SimId { get; init; }
    }
}
