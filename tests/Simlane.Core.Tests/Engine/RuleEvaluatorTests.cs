using System.Text.Json.Nodes;
using Simlane.Core.Engine;
using Simlane.Core.Events;
using Simlane.Core.Handlers;
using Simlane.Core.Usage;

namespace Simlane.Core.Tests.Engine;

/// <summary>The pure rule evaluator, per rule type and per rule (unit keys, counters, ignores, armed/re-arm), in milliseconds.</summary>
public class RuleEvaluatorTests
{
    /// <summary>2026-03-10T12:00:00Z.</summary>
    private const long T0 = 1_773_144_000_000;

    private const long Day = 86_400_000;
    private const long MiB = 1_048_576;
    private const string Imsi = "001010000000001";
    private const string SimId = "8981000000000000001";

    private static readonly RuleIgnore[] NoIgnores = [];

    /// <summary>A handler of <paramref name="type"/> with the given normalised properties (strings, hasImei a boolean).</summary>
    internal static TypedHandler Handler(
        string type, string properties, TargetKind target = TargetKind.Operator, string targetId = "op", string owner = "op") =>
        new("h1", owner, target, targetId, HandlerRule.From(RuleCatalogue.Get(type), JsonNode.Parse(properties)!.AsObject()), []);

    private static CounterObservation Usage(long bytes, long bucket = T0 / 1000 / 86_400 * 86_400, string? imsi = Imsi, string? simId = SimId) =>
        new(imsi, simId, Imsi, bucket, bytes, T0);

    private static EventObservation Event(string type, string? old = null, string? @new = null, string? imsi = Imsi, string? simId = SimId) =>
        new(type, imsi, simId, Imsi, old, @new, T0);

    private static bool Fires(TypedHandler handler, Observation observation) =>
        RuleEvaluator.Evaluate(handler, observation, null, NoIgnores, T0, fromTimer: false) is not null;

    private const string Limit1 = """{"limitTotalTrafficMegaByte":"1","inactiveTimeoutDateConst":"BEGINNING_OF_NEXT_DAY"}""";

    /// <summary>
    /// For every rule type: a handler and observations with the expected answer (fires / does not / the edge
    /// of its filter or threshold). A rule type without an entry here fails <see cref="EveryRuleType_HasAnEvaluatorCase"/>.
    /// </summary>
    private static readonly Dictionary<string, (TypedHandler Handler, (string Case, Observation Observation, bool Fires)[] Cases)> Cases = new()
    {
        [RuleCatalogue.SubscriberFirstTraffic] = (Handler(RuleCatalogue.SubscriberFirstTraffic, """{"inactiveTimeoutDateConst":"NEVER"}"""),
            [("first traffic", Event(DomainEventTypes.FirstTraffic, @new: "{}"), true)]),
        [RuleCatalogue.SubscriberDailyTraffic] = Traffic(RuleCatalogue.SubscriberDailyTraffic),
        [RuleCatalogue.SubscriberMonthlyTraffic] = Traffic(RuleCatalogue.SubscriberMonthlyTraffic),
        [RuleCatalogue.SubscriberCumulativeTraffic] = Traffic(RuleCatalogue.SubscriberCumulativeTraffic),
        [RuleCatalogue.SubscriberStatusAttribute] = Status(RuleCatalogue.SubscriberStatusAttribute),
        [RuleCatalogue.SimStatusAttribute] = Status(RuleCatalogue.SimStatusAttribute),
        [RuleCatalogue.SubscriberSpeedClassAttribute] = SpeedClass(RuleCatalogue.SubscriberSpeedClassAttribute),
        [RuleCatalogue.SimSpeedClassAttribute] = SpeedClass(RuleCatalogue.SimSpeedClassAttribute),
        [RuleCatalogue.SubscriberExpired] = Unfiltered(RuleCatalogue.SubscriberExpired, DomainEventTypes.Expired),
        [RuleCatalogue.SimExpired] = Unfiltered(RuleCatalogue.SimExpired, DomainEventTypes.Expired),
        [RuleCatalogue.SubscriberImeiMismatched] = Unfiltered(RuleCatalogue.SubscriberImeiMismatched, DomainEventTypes.ImeiMismatched),
        [RuleCatalogue.SimImeiMismatched] = Unfiltered(RuleCatalogue.SimImeiMismatched, DomainEventTypes.ImeiMismatched),
        [RuleCatalogue.SimDailyTotalTraffic] = Traffic(RuleCatalogue.SimDailyTotalTraffic),
        [RuleCatalogue.SimMonthlyTotalTraffic] = Traffic(RuleCatalogue.SimMonthlyTotalTraffic),
        [RuleCatalogue.SimCumulativeTotalTraffic] = Traffic(RuleCatalogue.SimCumulativeTotalTraffic),
        [RuleCatalogue.SimSubscriptionStatus] = (
            Handler(RuleCatalogue.SimSubscriptionStatus, """{"inactiveTimeoutDateConst":"NEVER","targetOtaStatus":"finished"}"""),
            [
                ("OTA finished", Event(DomainEventTypes.OtaStatusChanged, "001010000000009", "finished", imsi: null), true),
                ("OTA started, filter finished", Event(DomainEventTypes.OtaStatusChanged, "001010000000009", "started", imsi: null), false),
                ("OTA failed, filter finished", Event(DomainEventTypes.OtaStatusChanged, "001010000000009", "failed", imsi: null), false),
            ]),
        [RuleCatalogue.DailyTotalTraffic] = Traffic(RuleCatalogue.DailyTotalTraffic, TargetKind.Group),
        [RuleCatalogue.MonthlyTotalTraffic] = Traffic(RuleCatalogue.MonthlyTotalTraffic, TargetKind.Group),
        [RuleCatalogue.MonthlyCharge] = (
            Handler(RuleCatalogue.MonthlyCharge, """{"limitTotalAmount":"100","inactiveTimeoutDateConst":"BEGINNING_OF_NEXT_MONTH"}"""),
            [
                ("charge over the limit", new ChargeObservation(100.01m, T0), true),
                ("charge below the limit", new ChargeObservation(99m, T0), false),
                ("charge equal to the limit does not exceed it", new ChargeObservation(100m, T0), false),
                ("no charge aggregated yet", new ChargeObservation(null, T0), false),
                ("charge event over the limit", Event(DomainEventTypes.MonthlyChargeAggregated, @new: "100.5", imsi: null, simId: null), true),
                ("charge event equal to the limit", Event(DomainEventTypes.MonthlyChargeAggregated, @new: "100", imsi: null, simId: null), false),
            ]),
        [RuleCatalogue.SubscriberSessionStatus] = (
            Handler(RuleCatalogue.SubscriberSessionStatus, """{"inactiveTimeoutDateConst":"NEVER","sessionStatus":"Created","hasImei":true}"""),
            [
                ("session created with an IMEI", Event(DomainEventTypes.SessionCreated, @new: "352099001761481"), true),
                ("session deleted, filter Created", Event(DomainEventTypes.SessionDeleted), false),
                ("session created without an IMEI, hasImei true", Event(DomainEventTypes.SessionCreated), false),
            ]),
    };

    public static TheoryData<string> RuleTypes() => [.. RuleCatalogue.Types.Keys];

    [Theory]
    [MemberData(nameof(RuleTypes))]
    public void EveryRuleType_HasAnEvaluatorCase(string type)
    {
        Cases.ContainsKey(type).ShouldBeTrue($"{type} has no evaluator case: add one to RuleEvaluatorTests.Cases");
        var (handler, cases) = Cases[type];
        cases.ShouldContain(c => c.Fires, $"{type}: no observation that fires");

        // A rule with a threshold or a filter has an observation that does not fire; the unfiltered event rules fire on
        // every event of their unit and are held back only by arming (EveryRuleType_IsNotArmedAgainBeforeItsReArmTime).
        var spec = RuleCatalogue.Get(type);
        string[] filters = [RuleCatalogue.SourceStatus, RuleCatalogue.TargetStatus, RuleCatalogue.TargetSpeedClass, RuleCatalogue.TargetOtaStatus, RuleCatalogue.SessionStatus];
        if (spec.Standing || filters.Any(spec.Accepts))
        {
            cases.ShouldContain(c => !c.Fires, $"{type}: no observation that does not fire");
        }

        foreach (var (name, observation, fires) in cases)
        {
            Fires(handler, observation).ShouldBe(fires, $"{type}: {name}");
        }
    }

    [Theory]
    [MemberData(nameof(RuleTypes))]
    public void EveryRuleType_IsNotArmedAgainBeforeItsReArmTime(string type)
    {
        var (handler, cases) = Cases[type];
        var firing = cases.First(c => c.Fires).Observation;
        var notYet = new UnitState(T0 + 1, null);
        RuleEvaluator.Evaluate(handler, firing, notYet, NoIgnores, T0, fromTimer: false).ShouldBeNull();
        RuleEvaluator.Evaluate(handler, firing, new UnitState(null, null), NoIgnores, T0, fromTimer: false).ShouldBeNull("NEVER: never armed again");
        RuleEvaluator.Evaluate(handler, firing, new UnitState(T0, null), NoIgnores, T0, fromTimer: false).ShouldNotBeNull("re-armed at now");
    }

    private static (TypedHandler, (string, Observation, bool)[]) Traffic(string type, TargetKind target = TargetKind.Operator)
    {
        var handler = Handler(type, Limit1, target, target == TargetKind.Group ? "g1" : "op");
        return (handler,
        [
            ("one byte over 1 MiB", Usage(MiB + 1), true),
            ("below the limit", Usage(1000), false),
            ("exactly 1 MiB does not exceed it", Usage(MiB), false),
            ("nothing counted", Usage(0), false),
        ]);
    }

    private static (TypedHandler, (string, Observation, bool)[]) Status(string type) => (
        Handler(type, """{"inactiveTimeoutDateConst":"NEVER","sourceStatus":"active","targetStatus":"suspended"}"""),
        [
            ("active to suspended", Event(DomainEventTypes.StatusChanged, "active", "suspended", imsi: Level(type)), true),
            ("active to inactive, target suspended", Event(DomainEventTypes.StatusChanged, "active", "inactive", imsi: Level(type)), false),
            ("ready to suspended, source active", Event(DomainEventTypes.StatusChanged, "ready", "suspended", imsi: Level(type)), false),
        ]);

    private static (TypedHandler, (string, Observation, bool)[]) SpeedClass(string type) => (
        Handler(type, """{"inactiveTimeoutDateConst":"NEVER","targetSpeedClass":"s1.fast"}"""),
        [
            ("to s1.fast", Event(DomainEventTypes.SpeedClassChanged, "s1.slow", "s1.fast", imsi: Level(type)), true),
            ("to s1.minimum, target s1.fast", Event(DomainEventTypes.SpeedClassChanged, "s1.fast", "s1.minimum", imsi: Level(type)), false),
        ]);

    private static (TypedHandler, (string, Observation, bool)[]) Unfiltered(string type, string eventType)
    {
        var handler = Handler(type, """{"inactiveTimeoutDateConst":"NEVER"}""");
        return (handler,
        [
            ("the event", Event(eventType, "old", "new", imsi: Level(type)), true),
            ("an event of another SIM", Event(eventType, "old", "new", imsi: Level(type), simId: "other"), true),
        ]);
    }

    /// <summary>Subscriber* rules read per-IMSI rows; Sim* rules SIM-level rows (no IMSI).</summary>
    private static string? Level(string type) => RuleCatalogue.Get(type).Level == UnitLevel.Subscriber ? Imsi : null;

    [Fact]
    public void Unfiltered_EventRules_DoNotFireTwiceInOneUnitWhileNotReArmed()
    {
        foreach (var type in new[] { RuleCatalogue.SubscriberExpired, RuleCatalogue.SimImeiMismatched })
        {
            var (handler, cases) = Cases[type];
            RuleEvaluator.Evaluate(handler, cases[0].Observation, new UnitState(null, null), NoIgnores, T0, fromTimer: false).ShouldBeNull(type);
        }
    }

    [Fact]
    public void OmittedFilters_MatchAnything()
    {
        var status = Handler(RuleCatalogue.SubscriberStatusAttribute, """{"inactiveTimeoutDateConst":"NEVER"}""");
        Fires(status, Event(DomainEventTypes.StatusChanged, "ready", "terminated")).ShouldBeTrue();
        var speed = Handler(RuleCatalogue.SimSpeedClassAttribute, """{"inactiveTimeoutDateConst":"NEVER"}""");
        Fires(speed, Event(DomainEventTypes.SpeedClassChanged, "s1.fast", "s1.slow", imsi: null)).ShouldBeTrue();
        var ota = Handler(RuleCatalogue.SimSubscriptionStatus, """{"inactiveTimeoutDateConst":"NEVER"}""");
        Fires(ota, Event(DomainEventTypes.OtaStatusChanged, "001010000000009", "failed", imsi: null)).ShouldBeTrue();
        var onlyTarget = Handler(RuleCatalogue.SimStatusAttribute, """{"inactiveTimeoutDateConst":"NEVER","targetStatus":"active"}""");
        Fires(onlyTarget, Event(DomainEventTypes.StatusChanged, "standby", "active", imsi: null)).ShouldBeTrue();
    }

    [Fact]
    public void Session_WithoutHasImei_FiresWithoutAnImei_AndDeletedFires()
    {
        var created = Handler(RuleCatalogue.SubscriberSessionStatus, """{"inactiveTimeoutDateConst":"NEVER","sessionStatus":"Created"}""");
        var firing = RuleEvaluator.Evaluate(created, Event(DomainEventTypes.SessionCreated), null, NoIgnores, T0, false)!;
        firing.New.ShouldBe("Created");
        firing.Imei.ShouldBe("", "a session without an IMEI substitutes nothing for ${imei}");
        var deleted = Handler(RuleCatalogue.SubscriberSessionStatus, """{"inactiveTimeoutDateConst":"NEVER","sessionStatus":"Deleted"}""");
        var gone = RuleEvaluator.Evaluate(deleted, Event(DomainEventTypes.SessionDeleted, @new: "ignored"), null, NoIgnores, T0, false)!;
        gone.New.ShouldBe("Deleted");
        gone.Imei.ShouldBe("", "a deleted session carries no IMEI");
        Fires(deleted, Event(DomainEventTypes.SessionCreated, @new: "352099001761481")).ShouldBeFalse();
    }

    [Fact]
    public void Firing_CarriesTheObservedValueThresholdAndWindow()
    {
        var daily = Handler(RuleCatalogue.SubscriberDailyTraffic, Limit1);
        var bucket = T0 / 1000 / 86_400 * 86_400;
        var firing = RuleEvaluator.Evaluate(daily, Usage(MiB + 1, bucket), null, NoIgnores, T0, false)!;
        firing.Observed.ShouldBe("1048577");
        firing.Threshold.ShouldBe("1048576");
        firing.WindowStart.ShouldBe(bucket * 1000);
        firing.WindowEnd.ShouldBe((bucket + 86_400) * 1000);
        firing.Window.ShouldBe(bucket);
        firing.FiredTime.ShouldBe(T0);

        var cumulative = Handler(RuleCatalogue.SubscriberCumulativeTraffic, Limit1);
        var forever = RuleEvaluator.Evaluate(cumulative, Usage(MiB + 1, 0), null, NoIgnores, T0, false)!;
        forever.WindowStart.ShouldBeNull();
        forever.Window.ShouldBeNull("a cumulative counter has no window: once re-armed, being over the limit is a new firing");

        var charge = Handler(RuleCatalogue.MonthlyCharge, """{"limitTotalAmount":"100","inactiveTimeoutDateConst":"NEVER"}""");
        var monthly = RuleEvaluator.Evaluate(charge, new ChargeObservation(120.50m, T0), null, NoIgnores, T0, false)!;
        monthly.Observed.ShouldBe("120.5", "the stored charge is shown normalised");
        monthly.Threshold.ShouldBe("100");
        monthly.WindowStart.ShouldBe(1_772_323_200_000, "2026-03-01T00:00Z");
        monthly.WindowEnd.ShouldBe(1_775_001_600_000, "2026-04-01T00:00Z");
        monthly.Window.ShouldBeNull();
    }

    [Fact]
    public void EventFirings_CarryOldAndNewValues()
    {
        var (handler, cases) = Cases[RuleCatalogue.SimStatusAttribute];
        var firing = RuleEvaluator.Evaluate(handler, cases[0].Observation, null, NoIgnores, T0, false)!;
        (firing.Old, firing.New).ShouldBe(("active", "suspended"));
        firing.Imsi.ShouldBeNull("Sim* firings are SIM-level");
        firing.SimId.ShouldBe(SimId);
    }

    [Fact]
    public void UnitKeys_PerImsi_PerSim_WholeTarget_GroupAndOperator()
    {
        RuleEvaluator.UnitKey(Handler(RuleCatalogue.SubscriberDailyTraffic, Limit1), Imsi, SimId).ShouldBe($"imsi:{Imsi}");
        RuleEvaluator.UnitKey(Handler(RuleCatalogue.SimDailyTotalTraffic, Limit1), Imsi, SimId).ShouldBe($"sim:{SimId}");
        RuleEvaluator.UnitKey(Handler(RuleCatalogue.SimStatusAttribute, """{"inactiveTimeoutDateConst":"NEVER"}"""), null, SimId).ShouldBe($"sim:{SimId}");
        var once = Handler(RuleCatalogue.SimDailyTotalTraffic, """{"limitTotalTrafficMegaByte":"1","inactiveTimeoutDateConst":"NEVER","runOnceAmongTarget":"true"}""", TargetKind.Group, "g1");
        RuleEvaluator.UnitKey(once, Imsi, SimId).ShouldBe(RuleEvaluator.TargetUnit);
        var each = Handler(RuleCatalogue.SubscriberStatusAttribute, """{"inactiveTimeoutDateConst":"NEVER","runOnceAmongTarget":"false"}""");
        RuleEvaluator.UnitKey(each, Imsi, SimId).ShouldBe($"imsi:{Imsi}");
        RuleEvaluator.UnitKey(Handler(RuleCatalogue.DailyTotalTraffic, Limit1, TargetKind.Group, "g1"), Imsi, SimId).ShouldBe("group:g1");
        RuleEvaluator.UnitKey(Handler(RuleCatalogue.MonthlyTotalTraffic, Limit1, TargetKind.Operator, "op"), Imsi, SimId).ShouldBe("operator:op");
        var charge = Handler(RuleCatalogue.MonthlyCharge, """{"limitTotalAmount":"1","inactiveTimeoutDateConst":"NEVER","runOnceAmongTarget":"true"}""");
        RuleEvaluator.UnitKey(charge, null, null).ShouldBe("operator:op", "aggregate rules count for their target; runOnceAmongTarget has no effect");
    }

    [Fact]
    public void Firings_NameTheirImsiAndSimByUnitLevel()
    {
        var subscriber = RuleEvaluator.Evaluate(Handler(RuleCatalogue.SubscriberDailyTraffic, Limit1), Usage(MiB + 1), null, NoIgnores, T0, false)!;
        (subscriber.Imsi, subscriber.SimId).ShouldBe((Imsi, SimId));
        var sim = RuleEvaluator.Evaluate(Handler(RuleCatalogue.SimDailyTotalTraffic, Limit1), Usage(MiB + 1), null, NoIgnores, T0, false)!;
        (sim.Imsi, sim.SimId).ShouldBe((null, SimId));
        var total = RuleEvaluator.Evaluate(Handler(RuleCatalogue.DailyTotalTraffic, Limit1, TargetKind.Group, "g1"), Usage(MiB + 1), null, NoIgnores, T0, false)!;
        (total.Imsi, total.SimId).ShouldBe((null, null));
    }

    [Fact]
    public void Counters_ByRuleAndTarget()
    {
        RuleEvaluator.Counter(Handler(RuleCatalogue.SubscriberMonthlyTraffic, Limit1), Imsi, SimId)
            .ShouldBe(new CounterRef(UsageScope.Subscriber, Imsi, UsagePeriod.Month));
        RuleEvaluator.Counter(Handler(RuleCatalogue.SimCumulativeTotalTraffic, Limit1), Imsi, SimId)
            .ShouldBe(new CounterRef(UsageScope.Sim, SimId, UsagePeriod.AllTime));
        RuleEvaluator.Counter(Handler(RuleCatalogue.DailyTotalTraffic, Limit1, TargetKind.Group, "g1"), Imsi, SimId)
            .ShouldBe(new CounterRef(UsageScope.Group, "g1", UsagePeriod.Day));
        RuleEvaluator.Counter(Handler(RuleCatalogue.MonthlyTotalTraffic, Limit1, TargetKind.Operator, "op2"), Imsi, SimId)
            .ShouldBe(new CounterRef(UsageScope.Operator, "op2", UsagePeriod.Month));
        RuleEvaluator.Counter(Handler(RuleCatalogue.SubscriberDailyTraffic, Limit1), null, SimId).ShouldBeNull("a SIM-level row has no IMSI counter");
        RuleEvaluator.Counter(Handler(RuleCatalogue.SimStatusAttribute, """{"inactiveTimeoutDateConst":"NEVER"}"""), Imsi, SimId).ShouldBeNull();
    }

    [Fact]
    public void UsageBuckets_EveryBucketTheRecordSpanTouches_Capped()
    {
        var dayStart = T0 / 1000 / 86_400 * 86_400;
        RuleEvaluator.UsageBuckets(UsagePeriod.Day, $$"""{"fromUnixtime":{{dayStart + 10}},"toUnixtime":{{dayStart + (2 * 86_400) + 5}}}""")
            .ShouldBe([dayStart, dayStart + 86_400, dayStart + (2 * 86_400)]);
        RuleEvaluator.UsageBuckets(UsagePeriod.Day, $$"""{"fromUnixtime":{{dayStart + 10}}}""").ShouldBe([dayStart]);
        RuleEvaluator.UsageBuckets(UsagePeriod.AllTime, $$"""{"fromUnixtime":{{dayStart}},"toUnixtime":{{dayStart + (9 * 86_400)}}}""").Count().ShouldBe(1);
        RuleEvaluator.UsageBuckets(UsagePeriod.Day, $$"""{"fromUnixtime":0,"toUnixtime":{{1000L * 86_400}}}""").Count().ShouldBe(RuleEvaluator.MaxBucketsPerEvent);
    }

    [Fact]
    public void Armed_NeverFired_ReArmed_SameWindow_AndTimer()
    {
        RuleEvaluator.IsArmed(null, T0, 5, fromTimer: false).ShouldBeTrue("never fired");
        RuleEvaluator.IsArmed(new UnitState(null, null), T0, null, fromTimer: true).ShouldBeFalse("NEVER re-arms");
        RuleEvaluator.IsArmed(new UnitState(T0 + 1, null), T0, null, fromTimer: false).ShouldBeFalse("not yet re-armed");
        RuleEvaluator.IsArmed(new UnitState(T0, 5), T0, 5, fromTimer: false).ShouldBeFalse("an event in the window it last fired in");
        RuleEvaluator.IsArmed(new UnitState(T0, 5), T0, 5, fromTimer: true).ShouldBeTrue("the re-evaluation timer fires again in the same window");
        RuleEvaluator.IsArmed(new UnitState(T0, 5), T0, 6, fromTimer: false).ShouldBeTrue("a new window");
        RuleEvaluator.IsArmed(new UnitState(T0, null), T0, null, fromTimer: false).ShouldBeTrue("cumulative: re-armed is armed");
    }

    [Fact]
    public void SameWindow_DoesNotFireFromAnEvent_ButFromTheTimer()
    {
        var daily = Handler(RuleCatalogue.SubscriberDailyTraffic, Limit1);
        var bucket = T0 / 1000 / 86_400 * 86_400;
        var state = new UnitState(T0 - 1, bucket);
        RuleEvaluator.Evaluate(daily, Usage(MiB + 1, bucket), state, NoIgnores, T0, fromTimer: false).ShouldBeNull();
        RuleEvaluator.Evaluate(daily, Usage(MiB + 1, bucket), state, NoIgnores, T0, fromTimer: true).ShouldNotBeNull();
        RuleEvaluator.Evaluate(daily, Usage(MiB + 1, bucket + 86_400), state, NoIgnores, T0, fromTimer: false).ShouldNotBeNull();
    }

    [Fact]
    public void ReArmTime_AndReEvaluationTimer()
    {
        var daily = Handler(RuleCatalogue.SubscriberDailyTraffic, """{"limitTotalTrafficMegaByte":"1","inactiveTimeoutDateConst":"BEGINNING_OF_NEXT_DAY","inactiveTimeoutOffsetMinutes":"30"}""");
        var firing = RuleEvaluator.Evaluate(daily, Usage(MiB + 1), null, NoIgnores, T0, false)!;
        var nextDay = ((T0 / Day) + 1) * Day;
        firing.ReArmAt.ShouldBe(nextDay + (30 * 60_000));
        firing.ReEvaluateAt.ShouldBe(firing.ReArmAt, "a standing condition is evaluated again when it re-arms");

        var never = RuleEvaluator.Evaluate(Handler(RuleCatalogue.SubscriberCumulativeTraffic, """{"limitTotalTrafficMegaByte":"1","inactiveTimeoutDateConst":"NEVER"}"""), Usage(MiB + 1, 0), null, NoIgnores, T0, false)!;
        (never.ReArmAt, never.ReEvaluateAt).ShouldBe((null, null));

        var immediately = RuleEvaluator.Evaluate(Handler(RuleCatalogue.MonthlyCharge, """{"limitTotalAmount":"1","inactiveTimeoutDateConst":"IMMEDIATELY"}"""), new ChargeObservation(2, T0), null, NoIgnores, T0, false)!;
        immediately.ReArmAt.ShouldBe(T0);
        immediately.ReEvaluateAt.ShouldBeNull("IMMEDIATELY re-arms at once: the next event evaluates it, no timer");

        var afterDay = RuleEvaluator.Evaluate(Handler(RuleCatalogue.SimStatusAttribute, """{"inactiveTimeoutDateConst":"AFTER_ONE_DAY"}"""), Event(DomainEventTypes.StatusChanged, "a", "b", imsi: null), null, NoIgnores, T0, false)!;
        afterDay.ReArmAt.ShouldBe(T0 + Day);
        afterDay.ReEvaluateAt.ShouldBeNull("an event rule has nothing to evaluate again");

        var once = Handler(RuleCatalogue.SimDailyTotalTraffic, """{"limitTotalTrafficMegaByte":"1","inactiveTimeoutDateConst":"AFTER_ONE_DAY","runOnceAmongTarget":"true"}""");
        var target = RuleEvaluator.Evaluate(once, Usage(MiB + 1), null, NoIgnores, T0, false)!;
        target.ReArmAt.ShouldBe(T0 + Day);
        target.ReEvaluateAt.ShouldBeNull("the whole target's unit is not re-evaluated by timer");
    }

    [Fact]
    public void Ignores_OfTheImsi_OrTheSimsPrimary_UntilTheyLapse_NeverAggregates()
    {
        RuleIgnore[] ignores = [new(Imsi, null)];
        var subscriber = Handler(RuleCatalogue.SubscriberDailyTraffic, Limit1);
        var decision = RuleEvaluator.Decide(subscriber, Usage(MiB + 1), null, ignores, T0, false);
        (decision.Ignored, decision.Holds, decision.Armed, decision.Fires).ShouldBe((true, true, true, false));
        RuleEvaluator.Evaluate(subscriber, Usage(MiB + 1, imsi: "001010000000002"), null, ignores, T0, false).ShouldNotBeNull("another IMSI");

        // A SIM-level unit is ignored through its primary IMSI.
        var sim = Handler(RuleCatalogue.SimStatusAttribute, """{"inactiveTimeoutDateConst":"NEVER"}""");
        RuleEvaluator.Evaluate(sim, Event(DomainEventTypes.StatusChanged, "a", "b", imsi: null), null, ignores, T0, false).ShouldBeNull();

        RuleIgnore[] lapsed = [new(Imsi, T0)];
        RuleEvaluator.Evaluate(subscriber, Usage(MiB + 1), null, lapsed, T0, false).ShouldNotBeNull("an ignore until now has lapsed");
        RuleIgnore[] later = [new(Imsi, T0 + 1)];
        RuleEvaluator.Evaluate(subscriber, Usage(MiB + 1), null, later, T0, false).ShouldBeNull();

        var total = Handler(RuleCatalogue.DailyTotalTraffic, Limit1, TargetKind.Group, "g1");
        RuleEvaluator.Evaluate(total, Usage(MiB + 1), null, ignores, T0, false).ShouldNotBeNull("group/operator units are never ignored");
    }

    [Fact]
    public void UnknownObservations_AreRefused()
    {
        var status = Handler(RuleCatalogue.SubscriberStatusAttribute, """{"inactiveTimeoutDateConst":"NEVER"}""");
        Should.Throw<ArgumentException>(() => RuleEvaluator.Decide(status, Event(DomainEventTypes.UsageRecorded), null, NoIgnores, T0, false));
        Should.Throw<ArgumentException>(() => RuleEvaluator.Decide(status, Usage(1), null, NoIgnores, T0, false));
    }

    [Fact]
    public void StoredHandler_TypesLikeTheValidatorsDefinition()
    {
        var request = new JsonObject
        {
            ["name"] = "h",
            ["status"] = "active",
            ["targetGroupId"] = "g1",
            ["ruleConfig"] = new JsonObject
            {
                ["type"] = "SubscriberSessionStatusRule",
                ["properties"] = new JsonObject
                {
                    ["sessionStatus"] = "Created", ["hasImei"] = "true", ["inactiveTimeoutDateConst"] = "AFTER_ONE_DAY",
                    ["inactiveTimeoutOffsetMinutes"] = 15,
                },
            },
            ["actionConfigList"] = new JsonArray(new JsonObject
            {
                ["type"] = "ImeiLockAction",
                ["properties"] = new JsonObject { ["executionDateTimeConst"] = "BEGINNING_OF_NEXT_DAY", ["executionOffsetMinutes"] = "5" },
            }),
        };
        var definition = HandlerValidator.Validate(request, new HandlerLimits());
        definition.Rule.ShouldBe(new HandlerRule(RuleCatalogue.Get(RuleCatalogue.SubscriberSessionStatus), Timings.AfterOneDay, 15, SessionStatus: "Created", HasImei: true));
        definition.TypedActions.Single().Type.ShouldBe(ActionCatalogue.ImeiLock);
        (definition.TypedActions[0].ExecutionTime, definition.TypedActions[0].ExecutionOffsetMinutes).ShouldBe((Timings.BeginningOfNextDay, 5));

        var stored = TypedHandler.FromStored("h1", "op", TargetKind.Group, "g1", definition.RuleType, definition.RuleProperties.ToJsonString(), definition.Actions.ToJsonString());
        stored.Rule.ShouldBe(definition.Rule);
        stored.Actions.Single().ExecutionTime.ShouldBe(Timings.BeginningOfNextDay);
        stored.Actions[0].Properties.ToJsonString().ShouldBe(definition.TypedActions[0].Properties.ToJsonString());

        var traffic = HandlerRule.From(RuleCatalogue.Get(RuleCatalogue.MonthlyCharge), JsonNode.Parse("""{"limitTotalAmount":"2147483647","inactiveTimeoutDateConst":"NEVER"}""")!.AsObject());
        (traffic.LimitAmount, traffic.LimitMiB, traffic.InactiveTimeoutOffsetMinutes, traffic.RunOnceAmongTarget).ShouldBe((2147483647m, null, 0, false));
    }
}
