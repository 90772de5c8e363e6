using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Simlane.Core.Billing;
using Simlane.Core.Engine;
using Simlane.Core.Events;
using Simlane.Core.Handlers;
using Simlane.Core.Sims;
using Simlane.Core.Usage;
using Simlane.Server.Actions;
using Simlane.Server.Infrastructure;
using Simlane.Server.Scheduling;
using Simlane.Storage;

namespace Simlane.Server.Engine;

/// <summary>
/// The event-handler rule engine (issue 5, docs/engine.md "Rule engine"). As an outbox consumer it
/// evaluates every active handler whose rule listens to an event and whose target covers the event's unit,
/// and records a firing (a <see cref="HandlerExecution"/> with its planned actions) when the condition holds
/// and the (handler, unit) is armed. As a timer handler it re-evaluates standing conditions (traffic
/// counters, the month's charge) at the re-arm time. Every effect is staged on the caller's context, so it
/// commits with the outbox cursor or the timer's deletion: exactly once across crashes.
/// </summary>
public sealed class RuleEngine(IOptions<SimlaneOptions> options, Usage.UsageOverlay overlay, HandlerCatalogs catalogs, Telemetry.SimlaneMetrics metrics) : IDomainEventConsumer, ITimerHandler
{
    /// <summary>The unit key of runOnceAmongTarget (<see cref="RuleEvaluator.TargetUnit"/>).</summary>
    public const string TargetUnit = RuleEvaluator.TargetUnit;

    /// <summary>Every event type some rule type listens to (<see cref="RuleTypeSpec.Events"/>).</summary>
    private static readonly HashSet<string> ListenedTypes = [.. RuleCatalogue.Types.Values.SelectMany(t => t.Events)];

    private readonly string coverage = options.Value.Coverage;

    public string Kind => TimerKinds.HandlerReArm;

    public async Task ConsumeAsync(SimlaneDb db, IReadOnlyList<DomainEvent> batch, long now, CancellationToken cancellationToken)
    {
        var events = batch.Where(e => ListenedTypes.Contains(e.Type)).ToList();
        if (events.Count == 0)
        {
            return;
        }

        var catalog = await catalogs.CurrentAsync(db, cancellationToken);

        // Only events some handler may match need their SIM: with handlers on a few IMSIs, almost none do.
        events.RemoveAll(e => !catalog.Index.MayMatch(e.Type, e.OperatorId, e.SimId, e.Imsi));
        if (events.Count == 0)
        {
            return;
        }

        var simIds = events.Where(e => e.SimId is not null).Select(e => e.SimId!).Distinct(StringComparer.Ordinal).ToList();
        var sims = (await db.Sims.AsNoTracking().Where(s => simIds.Contains(s.SimId))
            .Select(s => new SimUnit(s.SimId, s.GroupId, s.Subscriptions.Where(x => x.IsPrimary).Select(x => x.Imsi).FirstOrDefault()))
            .ToListAsync(cancellationToken)).ToDictionary(s => s.SimId, StringComparer.Ordinal);
        var context = new BatchContext(db, catalog.Ignores, now);

        var work = new List<(DomainEvent Event, string? Primary, ActiveHandler Handler)>();
        foreach (var e in events)
        {
            SimUnit? sim = null;
            if (e.SimId is { } simId && !sims.TryGetValue(simId, out sim))
            {
                continue;
            }

            var primary = sim?.PrimaryImsi;
            var unit = new EventUnit(e.OperatorId, e.SimId, e.Imsi, sim?.GroupId, e.Imsi is not null && e.Imsi == primary);
            foreach (var candidate in catalog.Index.Candidates(e.Type, unit))
            {
                work.Add((e, primary, catalog.Handlers[candidate.HandlerId]));
            }
        }

        if (work.Count == 0)
        {
            return;
        }

        // The unit states the batch can touch, in one query; a key known absent is not asked for again.
        var keys = work.Select(w => (w.Handler.Row.HandlerId, w.Handler.Row.RuleGeneration, RuleEvaluator.UnitKey(w.Handler.Typed, w.Event.Imsi, w.Event.SimId))).ToHashSet();
        var keyHandlers = keys.Select(k => k.HandlerId).Distinct(StringComparer.Ordinal).ToList();
        var keyUnits = keys.Select(k => k.Item3).Distinct(StringComparer.Ordinal).ToList();
        foreach (var state in await db.HandlerUnitStates.Where(s => keyHandlers.Contains(s.HandlerId) && keyUnits.Contains(s.UnitKey)).ToListAsync(cancellationToken))
        {
            context.States[(state.HandlerId, state.Generation, state.UnitKey)] = state;
        }

        foreach (var key in keys)
        {
            context.States.TryAdd(key, null);
        }

        foreach (var (e, primary, handler) in work)
        {
            context.Cause = e;
            await EvaluateAsync(context, handler, e, primary, cancellationToken);
        }
    }

    /// <summary>Re-evaluates a fired (handler, unit) at its re-arm time and fires again while the standing condition holds.</summary>
    public async Task FireAsync(SimlaneDb db, ScheduledTimer timer, long now, CancellationToken cancellationToken)
    {
        var payload = JsonSerializer.Deserialize<ReArmPayload>(timer.Payload, Json.Options);
        if (payload is null)
        {
            return;
        }

        var row = await db.EventHandlers.AsNoTracking().SingleOrDefaultAsync(h => h.HandlerId == payload.HandlerId, cancellationToken);
        if (row is null || row.Status != HandlerValidator.Active || row.RuleGeneration != payload.Generation)
        {
            return;
        }

        var state = await db.HandlerUnitStates.FindAsync([row.HandlerId, row.RuleGeneration, payload.UnitKey], cancellationToken);
        if (state is null || state.ReArmAt != timer.DueTime)
        {
            return;
        }

        var handler = new ActiveHandler(row, RuleReads.Typed(row));
        var ignores = (await db.HandlerIgnores.AsNoTracking().Where(i => i.HandlerId == row.HandlerId).ToListAsync(cancellationToken))
            .ToLookup(i => i.HandlerId, RuleReads.Ignore, StringComparer.Ordinal);
        var context = new BatchContext(db, ignores, timer.DueTime);
        context.States[(row.HandlerId, row.RuleGeneration, payload.UnitKey)] = state;
        var sim = payload.SimId is { } simId ? await context.SimAsync(simId, cancellationToken) : null;
        if (payload.SimId is not null && sim is null)
        {
            return;
        }

        var primary = sim?.Subscriptions.FirstOrDefault(s => s.IsPrimary)?.Imsi;
        if (RuleEvaluator.IsIgnored(ignores[row.HandlerId], payload.Imsi ?? primary, context.Now)
            || (row.TargetGroupId is { } groupId && sim is not null && sim.GroupId != groupId))
        {
            // Ignored meanwhile, or the SIM left the target group: no re-evaluation for this unit any more.
            return;
        }

        var firedTime = timer.DueTime;
        if (handler.Typed.Rule.Type.Condition == RuleCondition.Charge)
        {
            var month = BillDates.YearMonth(UsageWindows.BucketStart(UsagePeriod.Month, firedTime / 1000));
            var amount = await db.MonthlyCharges.AsNoTracking().Where(c => c.OperatorId == row.OperatorId && c.YearMonth == month)
                .Select(c => (decimal?)c.Amount).SingleOrDefaultAsync(cancellationToken);
            await FireAsync(context, handler, new ChargeObservation(amount, firedTime), payload.SimId, primary, fromTimer: true, cancellationToken);
            return;
        }

        if (RuleEvaluator.Counter(handler.Typed, payload.Imsi, payload.SimId) is not { } counter)
        {
            return;
        }

        var bucket = UsageWindows.BucketStart(counter.Period, firedTime / 1000);
        await FireTrafficAsync(context, handler, counter, bucket, payload.Imsi, payload.SimId, firedTime, primary, fromTimer: true, cancellationToken);
    }

    private async Task EvaluateAsync(BatchContext context, ActiveHandler handler, DomainEvent e, string? primary, CancellationToken cancellationToken)
    {
        var observation = new EventObservation(e.Type, e.Imsi, e.SimId, primary, e.OldValue, e.NewValue, e.OccurredTime);

        // The evaluator checks ignores too; checked first here so that an ignored unit loads no counter.
        if (RuleEvaluator.IsIgnored(handler.Typed, observation, context.Ignores[handler.Row.HandlerId], context.Now))
        {
            return;
        }

        if (e.Type != DomainEventTypes.UsageRecorded)
        {
            await FireAsync(context, handler, observation, e.SimId, primary, fromTimer: false, cancellationToken);
            return;
        }

        if (RuleEvaluator.Counter(handler.Typed, e.Imsi, e.SimId) is not { } counter)
        {
            return;
        }

        foreach (var bucket in RuleEvaluator.UsageBuckets(counter.Period, e.NewValue))
        {
            await FireTrafficAsync(context, handler, counter, bucket, e.Imsi, e.SimId, e.OccurredTime, primary, fromTimer: false, cancellationToken);
        }
    }

    /// <summary>Loads the counter's total for the bucket (once per batch) and evaluates it.</summary>
    private async Task FireTrafficAsync(
        BatchContext context, ActiveHandler handler, CounterRef counter, long bucket, string? imsi, string? simId, long firedTime,
        string? primary, bool fromTimer, CancellationToken cancellationToken)
    {
        var key = (counter.Scope, counter.ScopeId, counter.Period, bucket);
        if (!context.Counters.TryGetValue(key, out var total))
        {
            total = await RuleReads.CounterTotalAsync(context.Db, overlay, counter, bucket, cancellationToken);
            context.Counters[key] = total;
        }

        await FireAsync(context, handler, new CounterObservation(imsi, simId, primary, bucket, total, firedTime), simId, primary, fromTimer, cancellationToken);
    }

    /// <summary>
    /// Evaluates the observation (<see cref="RuleEvaluator"/>) and, on a firing, stages the execution with its
    /// planned actions (<see cref="ActionPlanner"/>) and deliveries, the unit state and the re-evaluation timer.
    /// </summary>
    private async Task FireAsync(
        BatchContext context, ActiveHandler handler, Observation observation, string? eventSimId, string? primary, bool fromTimer, CancellationToken cancellationToken)
    {
        var db = context.Db;
        var row = handler.Row;
        var unitKey = RuleEvaluator.UnitKey(handler.Typed, observation.Imsi, observation.SimId);
        var key = (row.HandlerId, row.RuleGeneration, unitKey);
        if (!context.States.TryGetValue(key, out var state))
        {
            state = await db.HandlerUnitStates.FindAsync([row.HandlerId, row.RuleGeneration, unitKey], cancellationToken);
        }

        if (RuleEvaluator.Evaluate(handler.Typed, observation, RuleReads.State(state), context.Ignores[row.HandlerId], context.Now, fromTimer) is not { } firing)
        {
            return;
        }

        // The SIM of the event (also for group/operator firings: its tags and primary IMSI feed the variables).
        var sim = eventSimId is null ? null : await context.SimAsync(eventSimId, cancellationToken);
        var variables = ActionPlanner.Variables(handler.Typed, firing, sim, primary, coverage);
        var planned = ActionPlanner.Plan(handler.Typed.Actions, firing.FiredTime, variables);
        db.HandlerExecutions.Add(new HandlerExecution
        {
            HandlerId = row.HandlerId,
            OperatorId = row.OperatorId,
            UnitKey = firing.UnitKey,
            Imsi = firing.Imsi,
            SimId = firing.SimId,
            RuleType = row.RuleType,
            ObservedValue = firing.Observed,
            Threshold = firing.Threshold,
            OldValue = firing.Old,
            NewValue = firing.New,
            WindowStart = firing.WindowStart,
            WindowEnd = firing.WindowEnd,
            FiredTime = firing.FiredTime,
            PlannedActions = planned.ToJsonString(),
            Deliveries = DeliveryPlanner.Plan(planned, row.HandlerId, row.OperatorId, variables.Imsi, firing.SimId, string.IsNullOrEmpty(firing.Imei) ? null : firing.Imei, context.Now),
        });
        metrics.FiringStaged(db, row.RuleType, context.Cause?.Type ?? "timer", context.Cause?.OccurredTime, context.Now);

        if (state is null)
        {
            state = new HandlerUnitState
            {
                HandlerId = row.HandlerId, Generation = row.RuleGeneration, UnitKey = firing.UnitKey,
                FiredTime = firing.FiredTime, ReArmAt = firing.ReArmAt, Window = firing.Window,
            };
            db.HandlerUnitStates.Add(state);
            context.States[key] = state;
        }
        else
        {
            state.FiredTime = firing.FiredTime;
            state.ReArmAt = firing.ReArmAt;
            state.Window = firing.Window;
        }

        if (firing.ReEvaluateAt is { } due)
        {
            db.Timers.Add(new ScheduledTimer
            {
                Key = TimerKinds.HandlerReArmKey(row.HandlerId, row.RuleGeneration, firing.UnitKey, due),
                Kind = TimerKinds.HandlerReArm,
                DueTime = due,
                Payload = JsonSerializer.Serialize(new ReArmPayload(row.HandlerId, row.RuleGeneration, firing.UnitKey, firing.Imsi, firing.SimId), Json.Options),
                CreatedTime = context.Now,
            });
        }
    }

    /// <summary>What one batch (or one timer) shares: the context, ignores, and caches of unit states, counters and SIMs.</summary>
    private sealed record BatchContext(SimlaneDb Db, ILookup<string, RuleIgnore> Ignores, long Now)
    {
        /// <summary>The event being evaluated (null on a re-evaluation timer): the cause of a firing, for the metrics.</summary>
        public DomainEvent? Cause { get; set; }

        /// <summary>Unit states by (handler, generation, unit); a null value = known to have no row.</summary>
        public Dictionary<(string HandlerId, int Generation, string UnitKey), HandlerUnitState?> States { get; } = [];

        /// <summary>Counter sums (committed before the batch's events, so constant for the batch).</summary>
        public Dictionary<(UsageScope, string, UsagePeriod, long), long> Counters { get; } = [];

        /// <summary>Whole SIMs (with tags and subscriptions) of the firings, loaded on the first firing that needs one.</summary>
        private Dictionary<string, Sim?> Sims { get; } = new(StringComparer.Ordinal);

        public async Task<Sim?> SimAsync(string simId, CancellationToken cancellationToken)
        {
            if (!Sims.TryGetValue(simId, out var sim))
            {
                Sims[simId] = sim = await Db.Sims.AsNoTracking().Include(s => s.Subscriptions).Include(s => s.Tags).AsSplitQuery()
                    .SingleOrDefaultAsync(s => s.SimId == simId, cancellationToken);
            }

            return sim;
        }
    }

    /// <summary>What candidate matching needs of an event's SIM.</summary>
    private sealed record SimUnit(string SimId, string? GroupId, string? PrimaryImsi);

    /// <summary>The payload of a <see cref="TimerKinds.HandlerReArm"/> timer.</summary>
    private sealed record ReArmPayload(string HandlerId, int Generation, string UnitKey, string? Imsi, string? SimId);
}
