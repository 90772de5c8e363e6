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
/// decisions are the rule engine's evaluator's (<see cref="RuleEvaluator"/>), unit by unit.
/// </summary>
internal static class HandlerDryRun
{
    public const int MaxUnits = 1000;

    public static async Task<JsonObject> EvaluateAsync(
        SimlaneDb db, Usage.UsageOverlay overlay, EventHandlerRow handler, IReadOnlyCollection<HandlerIgnore> ignores, bool stored, long now, CancellationToken cancellationToken)
    {
        var typed = RuleReads.Typed(handler);
        var rule = typed.Rule.Type;
        if (!rule.Standing)
        {
            return new JsonObject
            {
                ["evaluable"] = false,
                ["reason"] = $"{rule.Name} fires on an event (a change, an expiry, a session, an OTA report or first traffic), not on a standing condition: nothing can fire now",
                ["units"] = new JsonArray(),
                ["truncated"] = false,
            };
        }

        var active = handler.Status == HandlerValidator.Active;
        var states = stored
            ? await db.HandlerUnitStates.AsNoTracking().Where(s => s.HandlerId == handler.HandlerId && s.Generation == handler.RuleGeneration)
                .ToDictionaryAsync(s => s.UnitKey, StringComparer.Ordinal, cancellationToken)
            : new Dictionary<string, HandlerUnitState>(StringComparer.Ordinal);
        var ignored = ignores.Select(RuleReads.Ignore).ToList();
        var units = new JsonArray();
        var truncated = false;
        var nowSeconds = now / 1000;

        // Every unit is the evaluator's decision for the current value, as the engine would take it at this time.
        RuleDecision Decide(Observation observation) => RuleEvaluator.Decide(
            typed, observation, RuleReads.State(states.GetValueOrDefault(RuleEvaluator.UnitKey(typed, observation.Imsi, observation.SimId))),
            ignored, now, fromTimer: false);

        if (rule.Condition == RuleCondition.Charge)
        {
            var month = BillDates.YearMonth(UsageWindows.BucketStart(UsagePeriod.Month, nowSeconds));
            var operatorId = handler.OperatorId;
            var amount = await db.MonthlyCharges.AsNoTracking().Where(c => c.OperatorId == operatorId && c.YearMonth == month)
                .Select(c => (decimal?)c.Amount).SingleOrDefaultAsync(cancellationToken);
            units.Add(Unit(Decide(new ChargeObservation(amount, now)), active));
        }
        else if (rule.Level == UnitLevel.Aggregate)
        {
            var counter = RuleEvaluator.Counter(typed, null, null)!;
            var bucket = UsageWindows.BucketStart(counter.Period, nowSeconds);
            var total = await RuleReads.CounterTotalAsync(db, overlay, counter, bucket, cancellationToken);
            units.Add(Unit(Decide(new CounterObservation(null, null, null, bucket, total, now)), active));
        }
        else
        {
            var subscriberRule = rule.Level == UnitLevel.Subscriber;
            var rows = await TargetSubscriptions(db, handler, subscriberRule, MaxUnits + 1).ToListAsync(cancellationToken);
            truncated = rows.Count > MaxUnits;
            rows = [.. rows.Take(MaxUnits)];
            var first = RuleEvaluator.Counter(typed, "-", "-")!;
            var bucket = UsageWindows.BucketStart(first.Period, nowSeconds);
            var totals = await RuleReads.CounterTotalsAsync(
                db, overlay, first.Scope, first.Period, bucket, [.. rows.Select(r => subscriberRule ? r.Imsi : r.SimId)], cancellationToken);
            foreach (var row in rows)
            {
                // The row is the SIM's primary subscription: its IMSI is the unit's (Subscriber*) or the SIM's primary (Sim*).
                var counter = RuleEvaluator.Counter(typed, row.Imsi, row.SimId)!;
                units.Add(Unit(Decide(new CounterObservation(row.Imsi, row.SimId, row.Imsi, bucket, totals.GetValueOrDefault(counter.ScopeId), now)), active));
            }
        }

        // runOnceAmongTarget: every unit shares the target's one firing, so at most one of them fires (the engine fires
        // whichever unit's event comes first; here, the first in listing order). The others are marked, not hidden.
        var fired = false;
        foreach (var unit in units.OfType<JsonObject>().Where(u => u["unitKey"]?.GetValue<string>() == RuleEvaluator.TargetUnit))
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

    private static JsonObject Unit(RuleDecision decision, bool active)
    {
        var unit = new JsonObject { ["unitKey"] = decision.UnitKey };
        if (decision.Imsi is { } imsi)
        {
            unit["imsi"] = imsi;
        }

        if (decision.SimId is { } simId)
        {
            unit["simId"] = simId;
        }

        unit["observedValue"] = decision.Observed;
        unit["threshold"] = decision.Threshold;
        if (decision.WindowStart is { } start && decision.WindowEnd is { } end)
        {
            unit["windowStart"] = start;
            unit["windowEnd"] = end;
        }

        unit["wouldFire"] = active && decision.Fires;
        unit["armed"] = decision.Armed;
        unit["ignored"] = decision.Ignored;
        return unit;
    }

    /// <summary>A primary subscription the target covers (a class, so that every provider reads it as two columns).</summary>
    private sealed class TargetUnit
    {
        public required string Imsi { get; init; }

        public required string SimId { get; init; }
    }
}
