using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
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
public sealed class RuleEngine(IOptions<SimlaneOptions> options) : IDomainEventConsumer, ITimerHandler
{
    public const string TargetUnit = "target";

    /// <summary>Every event type some rule type listens to (<see cref="RuleTypeSpec.Events"/>).</summary>
    private static readonly HashSet<string> ListenedTypes = [.. RuleCatalogue.Types.Values.SelectMany(t => t.Events)];

    /// <summary>Action properties whose <c>${…}</c> variables are expanded (domain.md 1.7.3).</summary>
    private static readonly HashSet<string> ExpandedProperties =
        ["title", "message", "url", "headers", "body", "parameter1", "parameter2", "parameter3", "parameter4", "parameter5"];

    private readonly string coverage = options.Value.Coverage;

    /// <summary>The handler catalog of the last batch (only the outbox consumer's single loop reads and replaces it).</summary>
    private HandlerCatalog? catalog;

    public string Kind => TimerKinds.HandlerReArm;

    public async Task ConsumeAsync(SimlaneDb db, IReadOnlyList<DomainEvent> batch, long now, CancellationToken cancellationToken)
    {
        var events = batch.Where(e => ListenedTypes.Contains(e.Type)).ToList();
        if (events.Count == 0)
        {
            return;
        }

        var catalog = await CatalogAsync(db, cancellationToken);

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
        var context = new BatchContext(db, catalog.Rows, catalog.Ignores, now, catalog.Properties);

        var work = new List<(DomainEvent Event, string? Primary, EventHandlerRow Handler)>();
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
                work.Add((e, primary, catalog.Rows[candidate.HandlerId]));
            }
        }

        if (work.Count == 0)
        {
            return;
        }

        // The unit states the batch can touch, in one query; a key known absent is not asked for again.
        var keys = work.Select(w => (w.Handler.HandlerId, w.Handler.RuleGeneration, RuleConditions.UnitKey(w.Handler, context.Properties(w.Handler), w.Event.Imsi, w.Event.SimId))).ToHashSet();
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
            await EvaluateAsync(context, handler, e, primary, cancellationToken);
        }
    }

    /// <summary>
    /// The active handlers of every operator, indexed, with their ignores and parsed rule properties: kept
    /// between batches and reloaded when the handlers stamp moved (any handler or ignore change, in this
    /// process or another, moves it in its own transaction). Read inside the batch's transaction, before
    /// the handlers, so a change committed meanwhile is at worst reloaded once more on the next batch.
    /// </summary>
    private async Task<HandlerCatalog> CatalogAsync(SimlaneDb db, CancellationToken cancellationToken)
    {
        var stamp = await db.EngineCursors.AsNoTracking().Where(c => c.Name == EngineCursors.HandlersStamp)
            .Select(c => (long?)c.Position).SingleOrDefaultAsync(cancellationToken) ?? 0;
        if (catalog is { } cached && cached.Stamp == stamp)
        {
            return cached;
        }

        var handlers = await db.EventHandlers.AsNoTracking().Where(h => h.Status == HandlerValidator.Active).ToListAsync(cancellationToken);
        var rows = handlers.ToDictionary(h => h.HandlerId, StringComparer.Ordinal);
        var ignores = (await db.HandlerIgnores.AsNoTracking().ToListAsync(cancellationToken))
            .Where(i => rows.ContainsKey(i.HandlerId)).ToLookup(i => i.HandlerId, StringComparer.Ordinal);
        var properties = handlers.ToDictionary(h => h.HandlerId, Properties, StringComparer.Ordinal);
        return catalog = new HandlerCatalog(stamp, rows, new HandlerIndex(handlers.Select(ToIndexed)), ignores, properties);
    }

    /// <summary>Re-evaluates a fired (handler, unit) at its re-arm time and fires again while the standing condition holds.</summary>
    public async Task FireAsync(SimlaneDb db, ScheduledTimer timer, long now, CancellationToken cancellationToken)
    {
        var payload = JsonSerializer.Deserialize<ReArmPayload>(timer.Payload, Json.Options);
        if (payload is null)
        {
            return;
        }

        var handler = await db.EventHandlers.AsNoTracking().SingleOrDefaultAsync(h => h.HandlerId == payload.HandlerId, cancellationToken);
        if (handler is null || handler.Status != HandlerValidator.Active || handler.RuleGeneration != payload.Generation)
        {
            return;
        }

        var state = await db.HandlerUnitStates.FindAsync([handler.HandlerId, handler.RuleGeneration, payload.UnitKey], cancellationToken);
        if (state is null || state.ReArmAt != timer.DueTime)
        {
            return;
        }

        var ignores = (await db.HandlerIgnores.AsNoTracking().Where(i => i.HandlerId == handler.HandlerId).ToListAsync(cancellationToken))
            .ToLookup(i => i.HandlerId, StringComparer.Ordinal);
        var context = new BatchContext(db, new Dictionary<string, EventHandlerRow>(StringComparer.Ordinal) { [handler.HandlerId] = handler }, ignores, timer.DueTime, null);
        var sim = payload.SimId is { } simId ? await context.SimAsync(simId, cancellationToken) : null;
        if (payload.SimId is not null && sim is null)
        {
            return;
        }

        var primary = sim?.Subscriptions.FirstOrDefault(s => s.IsPrimary)?.Imsi;
        if (IsIgnored(context, handler, payload.Imsi ?? primary) || (handler.TargetGroupId is { } groupId && sim is not null && sim.GroupId != groupId))
        {
            // Ignored meanwhile, or the SIM left the target group: no re-evaluation for this unit any more.
            return;
        }

        var properties = Properties(handler);
        var firedTime = timer.DueTime;
        if (RuleCatalogue.Get(handler.RuleType).Condition == RuleCondition.Charge)
        {
            var monthStart = UsageWindows.BucketStart(UsagePeriod.Month, firedTime / 1000);
            var month = BillDates.YearMonth(monthStart);
            var amount = await db.MonthlyCharges.AsNoTracking().Where(c => c.OperatorId == handler.OperatorId && c.YearMonth == month)
                .Select(c => (decimal?)c.Amount).SingleOrDefaultAsync(cancellationToken);
            var limit = decimal.Parse(Text(properties, RuleCatalogue.LimitTotalAmount)!, CultureInfo.InvariantCulture);
            if (amount is { } a && Thresholds.ChargeExceeds(a, limit))
            {
                await FireAsync(context, handler, new Firing(payload.UnitKey, null, null, firedTime)
                {
                    Observed = PriceTable.Normalize(a).ToString(CultureInfo.InvariantCulture), Threshold = limit.ToString(CultureInfo.InvariantCulture),
                    WindowStart = monthStart * 1000, WindowEnd = UsageWindows.NextBucketStart(UsagePeriod.Month, monthStart) * 1000,
                }, payload.SimId, primary, fromTimer: true, cancellationToken);
            }

            return;
        }

        if (RuleConditions.Traffic(handler, properties, payload.Imsi, payload.SimId) is not { } traffic)
        {
            return;
        }

        var bucket = UsageWindows.BucketStart(traffic.Period, firedTime / 1000);
        await FireTrafficAsync(context, handler, traffic, bucket, payload.UnitKey, payload.Imsi, payload.SimId, firedTime, primary, fromTimer: true, cancellationToken);
    }

    private static IndexedHandler ToIndexed(EventHandlerRow h)
    {
        var (kind, id) = h switch
        {
            { TargetImsi: { } imsi } => (TargetKind.Imsi, imsi),
            { TargetSimId: { } simId } => (TargetKind.Sim, simId),
            { TargetGroupId: { } groupId } => (TargetKind.Group, groupId),
            _ => (TargetKind.Operator, h.TargetOperatorId ?? h.OperatorId),
        };
        return new IndexedHandler(h.HandlerId, h.OperatorId, h.RuleType, kind, id);
    }

    private async Task EvaluateAsync(BatchContext context, EventHandlerRow handler, DomainEvent e, string? primary, CancellationToken cancellationToken)
    {
        var properties = context.Properties(handler);
        var rule = handler.RuleType;
        var aggregate = RuleConditions.IsAggregate(rule);
        var subscriberRule = RuleConditions.IsSubscriberRule(rule);
        if (!aggregate && IsIgnored(context, handler, subscriberRule ? e.Imsi : primary))
        {
            return;
        }

        // Subscriber* firings name their IMSI; Sim* firings are SIM-level (Imsi null); total and charge firings name neither.
        var unitKey = RuleConditions.UnitKey(handler, properties, e.Imsi, e.SimId);
        var firingImsi = subscriberRule ? e.Imsi : null;
        var firingSimId = aggregate ? null : e.SimId;
        var firing = new Firing(unitKey, firingImsi, firingSimId, e.OccurredTime);
        switch (e.Type)
        {
            case DomainEventTypes.UsageRecorded:
                var traffic = RuleConditions.Traffic(handler, properties, e.Imsi, e.SimId)!;
                var (from, to) = UsageSpan(e.NewValue);
                var bucket = UsageWindows.BucketStart(traffic.Period, from);
                var last = UsageWindows.BucketStart(traffic.Period, to);
                for (var i = 0; bucket <= last && i < 400; i++, bucket = UsageWindows.NextBucketStart(traffic.Period, bucket))
                {
                    await FireTrafficAsync(context, handler, traffic, bucket, unitKey, firingImsi, firingSimId, e.OccurredTime, primary, fromTimer: false, cancellationToken);
                }

                return;
            case DomainEventTypes.StatusChanged:
                if (!Matches(properties, RuleCatalogue.SourceStatus, e.OldValue) || !Matches(properties, RuleCatalogue.TargetStatus, e.NewValue))
                {
                    return;
                }

                firing = firing with { Old = e.OldValue, New = e.NewValue };
                break;
            case DomainEventTypes.SpeedClassChanged:
                if (!Matches(properties, RuleCatalogue.TargetSpeedClass, e.NewValue))
                {
                    return;
                }

                firing = firing with { Old = e.OldValue, New = e.NewValue };
                break;
            case DomainEventTypes.OtaStatusChanged:
                if (!Matches(properties, RuleCatalogue.TargetOtaStatus, e.NewValue))
                {
                    return;
                }

                firing = firing with { Old = e.OldValue, New = e.NewValue };
                break;
            case DomainEventTypes.SessionCreated or DomainEventTypes.SessionDeleted:
                var status = e.Type == DomainEventTypes.SessionCreated ? "Created" : "Deleted";
                var hasImei = properties[RuleCatalogue.HasImei] is JsonValue v && v.TryGetValue<bool>(out var b) && b;
                var imei = e.Type == DomainEventTypes.SessionCreated ? e.NewValue : null;
                if (Text(properties, RuleCatalogue.SessionStatus) != status || (hasImei && imei is null))
                {
                    return;
                }

                firing = firing with { New = status, Imei = imei ?? "" };
                break;
            case DomainEventTypes.MonthlyChargeAggregated:
                var amount = decimal.Parse(e.NewValue ?? "0", CultureInfo.InvariantCulture);
                var limit = decimal.Parse(Text(properties, RuleCatalogue.LimitTotalAmount)!, CultureInfo.InvariantCulture);
                if (!Thresholds.ChargeExceeds(amount, limit))
                {
                    return;
                }

                var monthStart = UsageWindows.BucketStart(UsagePeriod.Month, e.OccurredTime / 1000);
                firing = firing with
                {
                    Observed = amount.ToString(CultureInfo.InvariantCulture), Threshold = limit.ToString(CultureInfo.InvariantCulture),
                    WindowStart = monthStart * 1000, WindowEnd = UsageWindows.NextBucketStart(UsagePeriod.Month, monthStart) * 1000,
                };
                break;
            case DomainEventTypes.Expired or DomainEventTypes.ImeiMismatched:
                firing = firing with { Old = e.OldValue, New = e.NewValue };
                break;
            case DomainEventTypes.FirstTraffic:
                break;
            default:
                return;
        }

        await FireAsync(context, handler, firing, e.SimId, primary, fromTimer: false, cancellationToken);
    }

    private async Task FireTrafficAsync(
        BatchContext context, EventHandlerRow handler, TrafficRule traffic, long bucket, string unitKey, string? imsi, string? simId, long firedTime,
        string? primary, bool fromTimer, CancellationToken cancellationToken)
    {
        var scopeId = traffic.ScopeId;
        var scope = traffic.Scope;
        var period = traffic.Period;
        var counter = (scope, scopeId, period, bucket);
        if (!context.Counters.TryGetValue(counter, out var total))
        {
            total = await RuleConditions.CounterTotalAsync(context.Db, traffic, bucket, cancellationToken);
            context.Counters[counter] = total;
        }

        if (!Thresholds.Exceeds(total, traffic.LimitMiB))
        {
            return;
        }

        var windowed = period != UsagePeriod.AllTime;
        await FireAsync(context, handler, new Firing(unitKey, imsi, simId, firedTime)
        {
            Observed = total.ToString(CultureInfo.InvariantCulture),
            Threshold = Thresholds.LimitBytes(traffic.LimitMiB).ToString(CultureInfo.InvariantCulture),
            WindowStart = windowed ? bucket * 1000 : null,
            WindowEnd = windowed ? UsageWindows.NextBucketStart(period, bucket) * 1000 : null,
            // Cumulative counters never reset: once armed again, being over the limit is a new firing (domain.md 4.3 item 3),
            // also when the re-evaluation timer was skipped (handler inactive at that time). Windowed rules fire once per window
            // from events; their re-evaluation at the re-arm time is the timer's.
            Window = windowed ? bucket : null,
        }, simId, primary, fromTimer, cancellationToken);
    }

    /// <summary>Records the firing if the unit is armed: the execution, the unit state and, for standing conditions, the re-evaluation timer.</summary>
    private async Task FireAsync(BatchContext context, EventHandlerRow handler, Firing firing, string? eventSimId, string? primary, bool fromTimer, CancellationToken cancellationToken)
    {
        var db = context.Db;
        var key = (handler.HandlerId, handler.RuleGeneration, firing.UnitKey);
        if (!context.States.TryGetValue(key, out var state))
        {
            state = await db.HandlerUnitStates.FindAsync([handler.HandlerId, handler.RuleGeneration, firing.UnitKey], cancellationToken);
        }

        if (!RuleConditions.IsArmed(state, context.Now, firing.Window, fromTimer))
        {
            return;
        }

        // The SIM of the event (also for group/operator firings: its tags and primary IMSI feed the variables).
        var sim = eventSimId is null ? null : await context.SimAsync(eventSimId, cancellationToken);
        var properties = context.Properties(handler);
        var rule = RuleCatalogue.Get(handler.RuleType);
        var timeout = Text(properties, RuleCatalogue.InactiveTimeoutDateConst) ?? Timings.Never;
        var offset = int.Parse(Text(properties, RuleCatalogue.InactiveTimeoutOffsetMinutes) ?? "0", CultureInfo.InvariantCulture);
        var reArmAt = Timing.ReArmAt(timeout, offset, firing.FiredTime);

        var variables = new VariableContext
        {
            Imsi = firing.Imsi ?? primary,
            SimId = firing.SimId,
            OperatorId = handler.OperatorId,
            MatchTime = firing.FiredTime,
            Tags = sim?.Tags.ToDictionary(t => t.Name, t => t.Value, StringComparer.Ordinal),
            Coverage = coverage,
            OldStatus = rule.Variables.HasFlag(RuleVariables.Status) ? firing.Old : null,
            NewStatus = rule.Variables.HasFlag(RuleVariables.Status) ? firing.New : null,
            OldSpeedClass = rule.Variables.HasFlag(RuleVariables.SpeedClass) ? firing.Old : null,
            NewSpeedClass = rule.Variables.HasFlag(RuleVariables.SpeedClass) ? firing.New : null,
            OtaStatus = rule.Variables.HasFlag(RuleVariables.Subscription) ? firing.New : null,
            Subscription = rule.Variables.HasFlag(RuleVariables.Subscription) ? sim?.Subscriptions.FirstOrDefault(s => s.Imsi == firing.Old)?.Plan : null,
            PrimaryImsi = primary,
            SessionStatus = rule.Variables.HasFlag(RuleVariables.SessionStatus) ? firing.New : null,
            Imei = firing.Imei,
        };
        if (rule.Variables.HasFlag(RuleVariables.Subscription))
        {
            variables = variables with { Imsi = firing.New == "finished" ? firing.Old : primary };
        }

        var planned = PlannedActions(handler, firing.FiredTime, variables);
        db.HandlerExecutions.Add(new HandlerExecution
        {
            HandlerId = handler.HandlerId,
            OperatorId = handler.OperatorId,
            UnitKey = firing.UnitKey,
            Imsi = firing.Imsi,
            SimId = firing.SimId,
            RuleType = handler.RuleType,
            ObservedValue = firing.Observed,
            Threshold = firing.Threshold,
            OldValue = firing.Old,
            NewValue = firing.New,
            WindowStart = firing.WindowStart,
            WindowEnd = firing.WindowEnd,
            FiredTime = firing.FiredTime,
            PlannedActions = planned.ToJsonString(),
            Deliveries = DeliveryPlanner.Plan(planned, handler.HandlerId, handler.OperatorId, variables.Imsi, firing.SimId, string.IsNullOrEmpty(firing.Imei) ? null : firing.Imei, context.Now),
        });

        if (state is null)
        {
            state = new HandlerUnitState
            {
                HandlerId = handler.HandlerId, Generation = handler.RuleGeneration, UnitKey = firing.UnitKey,
                FiredTime = firing.FiredTime, ReArmAt = reArmAt, Window = firing.Window,
            };
            db.HandlerUnitStates.Add(state);
            context.States[key] = state;
        }
        else
        {
            state.FiredTime = firing.FiredTime;
            state.ReArmAt = reArmAt;
            state.Window = firing.Window;
        }

        if (reArmAt is { } due && timeout != Timings.Immediately && firing.UnitKey != TargetUnit && rule.Standing)
        {
            db.Timers.Add(new ScheduledTimer
            {
                Key = TimerKinds.HandlerReArmKey(handler.HandlerId, handler.RuleGeneration, firing.UnitKey, due),
                Kind = TimerKinds.HandlerReArm,
                DueTime = due,
                Payload = JsonSerializer.Serialize(new ReArmPayload(handler.HandlerId, handler.RuleGeneration, firing.UnitKey, firing.Imsi, firing.SimId), Json.Options),
                CreatedTime = context.Now,
            });
        }
    }

    private static JsonArray PlannedActions(EventHandlerRow handler, long firedTime, VariableContext variables)
    {
        var planned = new JsonArray();
        var actions = JsonNode.Parse(handler.Actions) as JsonArray ?? [];
        foreach (var action in actions.OfType<JsonObject>())
        {
            var properties = action["properties"] as JsonObject ?? [];
            var when = Text(properties, "executionDateTimeConst") ?? Timings.Immediately;
            var offset = int.Parse(Text(properties, "executionOffsetMinutes") ?? "0", CultureInfo.InvariantCulture);
            var expanded = new JsonObject();
            foreach (var (name, value) in properties)
            {
                expanded[name] = ExpandedProperties.Contains(name) ? Expand(value, variables) : value?.DeepClone();
            }

            planned.Add(new JsonObject
            {
                ["type"] = action["type"]?.DeepClone(),
                ["dueTime"] = Timing.ActionDueAt(when, offset, firedTime),
                ["properties"] = expanded,
            });
        }

        return planned;
    }

    private static JsonNode? Expand(JsonNode? value, VariableContext variables) => value switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => JsonValue.Create(Variables.Expand(s, variables)),
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, Expand(p.Value, variables)))),
        _ => value?.DeepClone(),
    };

    /// <summary>The earliest and latest record time (epoch seconds) of a usage event.</summary>
    private static (long From, long To) UsageSpan(string? json)
    {
        var node = json is null ? null : JsonNode.Parse(json);
        var from = node?["fromUnixtime"]?.GetValue<long>() ?? 0;
        var to = node?["toUnixtime"]?.GetValue<long>() ?? from;
        return (from, Math.Max(from, to));
    }

    private static bool IsIgnored(BatchContext context, EventHandlerRow handler, string? imsi) =>
        RuleConditions.IsIgnored(context.Ignores[handler.HandlerId], imsi, context.Now);

    /// <summary>An omitted (or null) filter property matches anything.</summary>
    private static bool Matches(JsonObject properties, string name, string? value) =>
        Text(properties, name) is not { } wanted || wanted == value;

    private static JsonObject Properties(EventHandlerRow handler) => RuleConditions.Properties(handler);

    private static string? Text(JsonObject properties, string name) => RuleConditions.Text(properties, name);

    /// <summary>What one batch (or one timer) shares: the context, handlers, ignores, and caches of unit states, counters, SIMs and parsed rule properties.</summary>
    private sealed record BatchContext(
        SimlaneDb Db, Dictionary<string, EventHandlerRow> Handlers, ILookup<string, HandlerIgnore> Ignores, long Now,
        Dictionary<string, JsonObject>? ParsedProperties)
    {
        /// <summary>Unit states by (handler, generation, unit); a null value = known to have no row.</summary>
        public Dictionary<(string HandlerId, int Generation, string UnitKey), HandlerUnitState?> States { get; } = [];

        /// <summary>Counter sums (committed before the batch's events, so constant for the batch).</summary>
        public Dictionary<(UsageScope, string, UsagePeriod, long), long> Counters { get; } = [];

        /// <summary>Whole SIMs (with tags and subscriptions) of the firings, loaded on the first firing that needs one.</summary>
        private Dictionary<string, Sim?> Sims { get; } = new(StringComparer.Ordinal);

        private Dictionary<string, JsonObject> Parsed { get; } = ParsedProperties ?? new(StringComparer.Ordinal);

        public JsonObject Properties(EventHandlerRow handler)
        {
            if (!Parsed.TryGetValue(handler.HandlerId, out var properties))
            {
                Parsed[handler.HandlerId] = properties = RuleEngine.Properties(handler);
            }

            return properties;
        }

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

    /// <summary>The active handlers, indexed, with their ignores and parsed properties, as of <see cref="Stamp"/>.</summary>
    private sealed record HandlerCatalog(
        long Stamp, Dictionary<string, EventHandlerRow> Rows, HandlerIndex Index, ILookup<string, HandlerIgnore> Ignores, Dictionary<string, JsonObject> Properties);

    /// <summary>What candidate matching needs of an event's SIM.</summary>
    private sealed record SimUnit(string SimId, string? GroupId, string? PrimaryImsi);

    private sealed record Firing(string UnitKey, string? Imsi, string? SimId, long FiredTime)
    {
        public string? Observed { get; init; }

        public string? Threshold { get; init; }

        public string? Old { get; init; }

        public string? New { get; init; }

        public long? WindowStart { get; init; }

        public long? WindowEnd { get; init; }

        public long? Window { get; init; }

        public string? Imei { get; init; }
    }

    /// <summary>The payload of a <see cref="TimerKinds.HandlerReArm"/> timer.</summary>
    private sealed record ReArmPayload(string HandlerId, int Generation, string UnitKey, string? Imsi, string? SimId);
}
