using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Simlane.Server.Tests.Infrastructure;
using Simlane.Server.Tests.Usage;

namespace Simlane.Server.Tests.Engine;

/// <summary>
/// The rule engine end to end on group and operator targets (runOnceAmongTarget, SIMs leaving a group),
/// speed-class filters and the MonthlyChargeRule's re-evaluation. These move the sandbox clock days and
/// months ahead, so they have their own fixture; every test first moves the clock to a known hour of a
/// new day or month, so it never straddles a UTC boundary by chance.
/// </summary>
public abstract class RuleEngineTargetTests(ServerFixture server)
{
    private const long Hour = 3_600_000;
    private const long Day = 86_400_000;
    private const long MiB = EngineTestKit.MiB;

    private static string Bytes(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Moves the clock to 01:00 UTC of the next day and answers that day's start (ms).</summary>
    private static async Task<long> NextDayAt0100Async(ApiClient op)
    {
        var day = EngineTestKit.NextDayStartMs(await op.NowMsAsync());
        await op.SetClockAsync(day + Hour);
        return day;
    }

    private static async Task<ApiResponse> SimInGroupAsync(ApiClient op, string groupId)
    {
        var sim = await op.CreateRegisteredSimAsync();
        (await op.PostAsync($"/v1/sims/{sim.Str("simId")}/set_group", new { groupId })).ShouldBe(HttpStatusCode.OK);
        return sim;
    }

    private static async Task<List<string?>> FiredSimsAsync(ApiClient op, string handlerId) =>
        [.. (await op.ExecutionsAsync(handlerId)).Select(e => e!["simId"]?.GetValue<string>()).Reverse()];

    private static JsonObject Rule(string limitMiB, string timeout, string? offset = null, string? runOnce = null)
    {
        var rule = new JsonObject { ["limitTotalTrafficMegaByte"] = limitMiB, ["inactiveTimeoutDateConst"] = timeout };
        if (offset is not null)
        {
            rule["inactiveTimeoutOffsetMinutes"] = offset;
        }

        if (runOnce is not null)
        {
            rule["runOnceAmongTarget"] = runOnce;
        }

        return rule;
    }

    // ---- runOnceAmongTarget on traffic rules (decisions.md 1, S32) ----

    [Fact]
    public async Task SimDailyTotal_RunOnceAmongTarget_OnAGroup_FiresOnceForTheGroupUntilTheNextDay_FalseFiresPerSim()
    {
        var op = await server.NewOperatorAsync();
        var day = await NextDayAt0100Async(op);
        var groupId = await op.CreateGroupAsync();
        var a = await SimInGroupAsync(op, groupId);
        var b = await SimInGroupAsync(op, groupId);
        var c = await SimInGroupAsync(op, groupId);
        var outside = await op.CreateRegisteredSimAsync();
        var once = await op.CreateHandlerAsync("targetGroupId", groupId, "SimDailyTotalTrafficRule", Rule("1", "BEGINNING_OF_NEXT_DAY", runOnce: "true").ToJsonString());
        var each = await op.CreateHandlerAsync("targetGroupId", groupId, "SimDailyTotalTrafficRule", Rule("1", "BEGINNING_OF_NEXT_DAY", runOnce: "false").ToJsonString());

        await server.TrafficAsync(op, outside.Imsi(), MiB + 1);
        await server.TrafficAsync(op, a.Imsi(), MiB + 1);
        var first = (await op.ExecutionsAsync(once)).Single()!;
        first["unitKey"]!.GetValue<string>().ShouldBe("target");
        first["simId"]!.GetValue<string>().ShouldBe(a.Str("simId"));
        first["imsi"].ShouldBeNull();
        first["windowStart"]!.GetValue<long>().ShouldBe(day);
        first["observedValue"]!.GetValue<string>().ShouldBe(Bytes(MiB + 1));
        (await op.ExecutionsAsync(each)).Single()!["unitKey"]!.GetValue<string>().ShouldBe($"sim:{a.Str("simId")}");

        // Another SIM of the group crosses the same day: the target has fired already; per SIM it is a new unit.
        await server.TrafficAsync(op, b.Imsi(), MiB + 1);
        (await op.FiringsAsync(once)).ShouldBe(1);
        (await FiredSimsAsync(op, each)).ShouldBe([a.Str("simId"), b.Str("simId")]);

        // Next day: the target is armed again (but not re-evaluated: S32); nothing fires until a SIM crosses again.
        await op.SetClockAsync(day + Day + Hour);
        (await op.FiringsAsync(once)).ShouldBe(1);
        (await op.FiringsAsync(each)).ShouldBe(2, "today's counters are empty at the re-evaluation");
        await server.TrafficAsync(op, c.Imsi(), MiB + 1);
        await server.TrafficAsync(op, b.Imsi(), MiB + 1);
        (await FiredSimsAsync(op, once)).ShouldBe([a.Str("simId"), c.Str("simId")]);
        (await op.ExecutionsAsync(once))[0]!["windowStart"]!.GetValue<long>().ShouldBe(day + Day);
        (await FiredSimsAsync(op, each)).ShouldBe([a.Str("simId"), b.Str("simId"), c.Str("simId"), b.Str("simId")]);
    }

    [Fact]
    public async Task SimCumulativeTotal_RunOnceAmongTarget_OnTheOperator_ReArmsWithoutReEvaluation_FalseReEvaluatesEachSim()
    {
        var op = await server.NewOperatorAsync();
        await NextDayAt0100Async(op);
        var a = await op.CreateRegisteredSimAsync();
        var b = await op.CreateRegisteredSimAsync();
        var once = await op.CreateHandlerAsync("targetOperatorId", op.OperatorId!, "SimCumulativeTotalTrafficRule", Rule("1", "AFTER_ONE_DAY", runOnce: "true").ToJsonString());
        var each = await op.CreateHandlerAsync("targetOperatorId", op.OperatorId!, "SimCumulativeTotalTrafficRule", Rule("1", "AFTER_ONE_DAY", runOnce: "false").ToJsonString());

        await server.TrafficAsync(op, a.Imsi(), MiB + 1);
        await server.TrafficAsync(op, b.Imsi(), MiB + 1);
        var fired = (await op.ExecutionsAsync(once)).Single()!;
        fired["simId"]!.GetValue<string>().ShouldBe(a.Str("simId"));
        fired["windowStart"].ShouldBeNull();
        var firedTime = fired["firedTime"]!.GetValue<long>();
        (await FiredSimsAsync(op, each)).ShouldBe([a.Str("simId"), b.Str("simId")]);

        // Still within the day: more traffic fires nothing.
        await op.SetClockAsync(firedTime + Day - 1000);
        await server.TrafficAsync(op, b.Imsi(), 1);
        (await op.FiringsAsync(once)).ShouldBe(1);
        (await op.FiringsAsync(each)).ShouldBe(2);

        // A day on: each SIM is re-evaluated and still over; the target is armed, not re-evaluated.
        await op.SetClockAsync(firedTime + Day + 60_000);
        (await op.FiringsAsync(once)).ShouldBe(1);
        var reEvaluated = await op.ExecutionsAsync(each);
        reEvaluated.Count.ShouldBe(4);
        reEvaluated.Take(2).Select(e => e!["firedTime"]!.GetValue<long>()).ShouldAllBe(t => t == firedTime + Day);

        // The next traffic of any SIM over the limit fires the target once more.
        await server.TrafficAsync(op, b.Imsi(), 1);
        await server.TrafficAsync(op, a.Imsi(), 1);
        (await FiredSimsAsync(op, once)).ShouldBe([a.Str("simId"), b.Str("simId")]);
        (await op.FiringsAsync(each)).ShouldBe(4);
    }

    [Fact]
    public async Task SimMonthlyTotal_RunOnceAmongTarget_OnAGroup_FiresOnceForTheGroupUntilTheNextMonth()
    {
        var op = await server.NewOperatorAsync();
        await NextDayAt0100Async(op);
        var groupId = await op.CreateGroupAsync();
        var a = await SimInGroupAsync(op, groupId);
        var b = await SimInGroupAsync(op, groupId);
        var once = await op.CreateHandlerAsync("targetGroupId", groupId, "SimMonthlyTotalTrafficRule", Rule("2", "BEGINNING_OF_NEXT_MONTH", runOnce: "true").ToJsonString());

        await server.TrafficAsync(op, a.Imsi(), (2 * MiB) + 1);
        await server.TrafficAsync(op, b.Imsi(), (2 * MiB) + 1);
        await op.PostAsync("/v1/sandbox/clock", new { advanceSeconds = 3600 });
        await server.TrafficAsync(op, b.Imsi(), MiB);
        (await FiredSimsAsync(op, once)).ShouldBe([a.Str("simId")]);

        var nextMonth = EngineTestKit.NextMonthStartMs(await op.NowMsAsync());
        await op.SetClockAsync(nextMonth + Hour);
        (await op.FiringsAsync(once)).ShouldBe(1);
        await server.TrafficAsync(op, b.Imsi(), (2 * MiB) + 1);
        await server.TrafficAsync(op, a.Imsi(), (2 * MiB) + 1);
        (await FiredSimsAsync(op, once)).ShouldBe([a.Str("simId"), b.Str("simId")]);
        (await op.ExecutionsAsync(once))[0]!["windowStart"]!.GetValue<long>().ShouldBe(nextMonth);
    }

    /// <summary>The total rules' unit is already the group or operator: runOnceAmongTarget changes nothing, and they are re-evaluated at the re-arm time.</summary>
    [Fact]
    public async Task DailyAndMonthlyTotal_RunOnceAmongTarget_HasNoEffect_TheTargetIsReEvaluatedAtTheReArmTime()
    {
        // From 01:00 on the 1st, so that the next day is in the same month.
        var op = await server.NewOperatorAsync();
        var day = EngineTestKit.NextMonthStartMs(await op.NowMsAsync());
        await op.SetClockAsync(day + Hour);
        var groupId = await op.CreateGroupAsync();
        var a = await SimInGroupAsync(op, groupId);
        var b = await SimInGroupAsync(op, groupId);
        var dailyOnce = await op.CreateHandlerAsync("targetGroupId", groupId, "DailyTotalTrafficRule", Rule("2", "BEGINNING_OF_NEXT_DAY", "60", "true").ToJsonString());
        var dailyEach = await op.CreateHandlerAsync("targetGroupId", groupId, "DailyTotalTrafficRule", Rule("2", "BEGINNING_OF_NEXT_DAY", "60", "false").ToJsonString());
        var monthlyOnce = await op.CreateHandlerAsync("targetOperatorId", op.OperatorId!, "MonthlyTotalTrafficRule", Rule("3", "BEGINNING_OF_NEXT_MONTH", "60", "true").ToJsonString());

        await server.TrafficAsync(op, a.Imsi(), MiB);
        await server.TrafficAsync(op, b.Imsi(), MiB + 1);
        await server.TrafficAsync(op, a.Imsi(), MiB);
        foreach (var id in new[] { dailyOnce, dailyEach })
        {
            var execution = (await op.ExecutionsAsync(id)).Single()!;
            execution["unitKey"]!.GetValue<string>().ShouldBe($"group:{groupId}");
            execution["observedValue"]!.GetValue<string>().ShouldBe(Bytes((2 * MiB) + 1));
        }

        var monthly = (await op.ExecutionsAsync(monthlyOnce)).Single()!;
        monthly["unitKey"]!.GetValue<string>().ShouldBe($"operator:{op.OperatorId}");
        monthly["observedValue"]!.GetValue<string>().ShouldBe(Bytes((3 * MiB) + 1));

        // Next day 00:30, over again but re-armed only at 01:00, where the re-evaluation fires.
        await op.SetClockAsync(day + Day + (30 * 60_000));
        await server.TrafficAsync(op, a.Imsi(), (2 * MiB) + 1);
        (await op.FiringsAsync(dailyOnce)).ShouldBe(1);
        await op.SetClockAsync(day + Day + Hour);
        foreach (var id in new[] { dailyOnce, dailyEach })
        {
            var executions = await op.ExecutionsAsync(id);
            executions.Count.ShouldBe(2);
            executions[0]!["firedTime"]!.GetValue<long>().ShouldBe(day + Day + Hour);
            executions[0]!["windowStart"]!.GetValue<long>().ShouldBe(day + Day);
            executions[0]!["unitKey"]!.GetValue<string>().ShouldBe($"group:{groupId}");
        }

        // The operator's monthly total, likewise at 01:00 of the next month.
        var nextMonth = EngineTestKit.NextMonthStartMs(await op.NowMsAsync());
        await op.SetClockAsync(nextMonth + (30 * 60_000));
        await server.TrafficAsync(op, b.Imsi(), (3 * MiB) + 1);
        (await op.FiringsAsync(monthlyOnce)).ShouldBe(1);
        await op.SetClockAsync(nextMonth + Hour);
        var again = await op.ExecutionsAsync(monthlyOnce);
        again.Count.ShouldBe(2);
        again[0]!["firedTime"]!.GetValue<long>().ShouldBe(nextMonth + Hour);
        again[0]!["windowStart"]!.GetValue<long>().ShouldBe(nextMonth);
    }

    // ---- a SIM that left the target group (docs/engine.md "Re-evaluation") ----

    [Fact]
    public async Task SimCumulativeTotal_OnAGroup_ASimThatLeftIsNotReEvaluated_OneThatStayedIs()
    {
        var op = await server.NewOperatorAsync();
        await NextDayAt0100Async(op);
        var groupId = await op.CreateGroupAsync();
        var left = await SimInGroupAsync(op, groupId);
        var stayed = await SimInGroupAsync(op, groupId);
        var id = await op.CreateHandlerAsync("targetGroupId", groupId, "SimCumulativeTotalTrafficRule", Rule("1", "AFTER_ONE_DAY").ToJsonString());
        await server.TrafficAsync(op, left.Imsi(), MiB + 1);
        await server.TrafficAsync(op, stayed.Imsi(), MiB + 1);
        var firedTime = (await op.ExecutionsAsync(id))[0]!["firedTime"]!.GetValue<long>();
        (await op.PostAsync($"/v1/sims/{left.Str("simId")}/unset_group")).ShouldBe(HttpStatusCode.OK);

        await op.SetClockAsync(firedTime + Day + 60_000);
        (await FiredSimsAsync(op, id)).ShouldBe([left.Str("simId"), stayed.Str("simId"), stayed.Str("simId")]);
        await op.SetClockAsync(firedTime + (2 * Day) + 60_000);
        (await FiredSimsAsync(op, id)).ShouldBe([left.Str("simId"), stayed.Str("simId"), stayed.Str("simId"), stayed.Str("simId")]);

        // Outside the group its traffic does not reach the handler; back in it, the next traffic while over fires.
        await server.TrafficAsync(op, left.Imsi(), 1);
        (await op.FiringsAsync(id)).ShouldBe(4);
        (await op.PostAsync($"/v1/subscribers/{left.Imsi()}/set_group", new { groupId })).ShouldBe(HttpStatusCode.OK);
        await server.TrafficAsync(op, left.Imsi(), 1);
        var executions = await op.ExecutionsAsync(id);
        executions.Count.ShouldBe(5);
        executions[0]!["simId"]!.GetValue<string>().ShouldBe(left.Str("simId"));
        executions[0]!["observedValue"]!.GetValue<string>().ShouldBe(Bytes(MiB + 3));
    }

    [Fact]
    public async Task SubscriberDaily_OnAGroup_ASimMovedToAnotherGroup_IsNotReEvaluatedForTheOldGroup()
    {
        var op = await server.NewOperatorAsync();
        var day = await NextDayAt0100Async(op);
        var groupId = await op.CreateGroupAsync();
        var otherGroupId = await op.CreateGroupAsync();
        var moved = await SimInGroupAsync(op, groupId);
        var stayed = await SimInGroupAsync(op, groupId);
        var onGroup = await op.CreateHandlerAsync("targetGroupId", groupId, "SubscriberDailyTrafficRule", Rule("1", "BEGINNING_OF_NEXT_DAY", "5").ToJsonString());
        var onOther = await op.CreateHandlerAsync("targetGroupId", otherGroupId, "SubscriberDailyTrafficRule", Rule("1", "BEGINNING_OF_NEXT_DAY", "5").ToJsonString());
        await server.TrafficAsync(op, moved.Imsi(), MiB + 1);
        await server.TrafficAsync(op, stayed.Imsi(), MiB + 1);
        (await op.FiringsAsync(onGroup)).ShouldBe(2);
        (await op.PostAsync($"/v1/sims/{moved.Str("simId")}/set_group", new { groupId = otherGroupId })).ShouldBe(HttpStatusCode.OK);

        // Next day 00:04 both are over again: the moved SIM is a new crossing in its new group.
        await op.SetClockAsync(day + Day + (4 * 60_000));
        await server.TrafficAsync(op, moved.Imsi(), MiB + 1);
        await server.TrafficAsync(op, stayed.Imsi(), MiB + 1);
        (await op.FiringsAsync(onGroup)).ShouldBe(2);
        (await op.ExecutionsAsync(onOther)).Single()!["imsi"]!.GetValue<string>().ShouldBe(moved.Imsi());

        // 00:05: the old group's handler re-evaluates only the SIM that stayed.
        await op.SetClockAsync(day + Day + (5 * 60_000));
        var executions = await op.ExecutionsAsync(onGroup);
        executions.Count.ShouldBe(3);
        executions[0]!["imsi"]!.GetValue<string>().ShouldBe(stayed.Imsi());
        executions[0]!["firedTime"]!.GetValue<long>().ShouldBe(day + Day + (5 * 60_000));
        (await op.FiringsAsync(onOther)).ShouldBe(1);
    }

    // ---- speed-class filters and variables ----

    [Fact]
    public async Task SpeedClassRules_TargetSpeedClass_FiresOnAChangeToThatClassOnly_WithOldAndNewSpeedClassVariables()
    {
        var op = await server.NewOperatorAsync();
        var groupId = await op.CreateGroupAsync();
        var sim = await SimInGroupAsync(op, groupId);
        var (simId, imsi) = (sim.Str("simId"), sim.Imsi());
        var initial = sim.Str("speedClass");
        initial.ShouldNotBe("s1.slow");
        initial.ShouldNotBe("s1.fast");
        var subscriberAction = EngineTestKit.MailAction();
        subscriberAction["properties"]!["message"] = "${oldSpeedClass} -> ${newSpeedClass} on ${imsi} ${oldStatus}";
        var simAction = EngineTestKit.MailAction();
        simAction["properties"]!["title"] = "${simId} now ${newSpeedClass}, was ${oldSpeedClass}";
        var toSlow = await op.CreateHandlerAsync("targetImsi", imsi, "SubscriberSpeedClassAttributeRule",
            """{"targetSpeedClass":"s1.slow","inactiveTimeoutDateConst":"IMMEDIATELY"}""", actions: [subscriberAction]);
        var toFast = await op.CreateHandlerAsync("targetGroupId", groupId, "SimSpeedClassAttributeRule",
            """{"targetSpeedClass":"s1.fast","inactiveTimeoutDateConst":"NEVER"}""", actions: [simAction]);

        (await op.PostAsync($"/v1/subscribers/{imsi}/update_speed_class", new { speedClass = "s1.fast" })).ShouldBe(HttpStatusCode.OK);
        await op.DrainAsync();
        (await op.FiringsAsync(toSlow)).ShouldBe(0);
        var fast = (await op.ExecutionsAsync(toFast)).Single()!;
        fast["unitKey"]!.GetValue<string>().ShouldBe($"sim:{simId}");
        (fast["oldValue"]!.GetValue<string>(), fast["newValue"]!.GetValue<string>()).ShouldBe((initial, "s1.fast"));
        fast["plannedActions"]![0]!["properties"]!["title"]!.GetValue<string>().ShouldBe($"{simId} now s1.fast, was {initial}");

        (await op.PostAsync($"/v1/sims/{simId}/update_speed_class", new { speedClass = "s1.slow" })).ShouldBe(HttpStatusCode.OK);
        (await op.PostAsync($"/v1/sims/{simId}/update_speed_class", new { speedClass = "s1.slow" })).ShouldBe(HttpStatusCode.OK); // no change, no event
        await op.DrainAsync();
        var slow = (await op.ExecutionsAsync(toSlow)).Single()!;
        slow["unitKey"]!.GetValue<string>().ShouldBe($"imsi:{imsi}");
        slow["imsi"]!.GetValue<string>().ShouldBe(imsi);
        (slow["oldValue"]!.GetValue<string>(), slow["newValue"]!.GetValue<string>()).ShouldBe(("s1.fast", "s1.slow"));
        slow["plannedActions"]![0]!["properties"]!["message"]!.GetValue<string>().ShouldBe($"s1.fast -> s1.slow on {imsi} ${{oldStatus}}");
        (await op.FiringsAsync(toFast)).ShouldBe(1);

        // Away and back: IMMEDIATELY fires on every change to s1.slow; NEVER fired once for good.
        foreach (var speedClass in new[] { "s1.minimum", "s1.fast", "s1.slow" })
        {
            (await op.PostAsync($"/v1/sims/{simId}/update_speed_class", new { speedClass })).ShouldBe(HttpStatusCode.OK);
        }

        await op.DrainAsync();
        var slows = await op.ExecutionsAsync(toSlow);
        slows.Count.ShouldBe(2);
        slows[0]!["plannedActions"]![0]!["properties"]!["message"]!.GetValue<string>().ShouldBe($"s1.fast -> s1.slow on {imsi} ${{oldStatus}}");
        (await op.FiringsAsync(toFast)).ShouldBe(1);
    }

    // ---- MonthlyChargeRule: event and re-evaluation by timer ----

    /// <summary>
    /// One active plan01s SIM costs 11 JPY a day (docs/billing.md), so the month's charge after the
    /// aggregation at 01:00 of day n is 11 × n. A limit of 11 is exactly equal on day 1 (no firing) and
    /// exceeded on day 2; a limit of 5 is exceeded from day 1, so its re-evaluation at the next month's
    /// 01:30 (BEGINNING_OF_NEXT_MONTH + 90 min) finds the new month's charge over the limit again.
    /// </summary>
    [Fact]
    public async Task MonthlyCharge_NextMonthWithOffset_IsReEvaluatedByTimer_FiresOnlyWhileOver_AndNeverOnAnEqualAmount()
    {
        var op = await server.NewOperatorAsync();
        var month = EngineTestKit.NextMonthStartMs(await op.NowMsAsync());
        await op.SetClockAsync(month + (30 * 60_000));
        var simId = (await op.CreateRegisteredSimAsync()).Str("simId");
        (await op.PostAsync($"/v1/sims/{simId}/activate")).ShouldBe(HttpStatusCode.OK);
        const string Rule = """{"limitTotalAmount":"LIMIT","inactiveTimeoutDateConst":"BEGINNING_OF_NEXT_MONTH","inactiveTimeoutOffsetMinutes":"90"}""";
        var low = await op.CreateHandlerAsync("targetOperatorId", op.OperatorId!, "MonthlyChargeRule", Rule.Replace("LIMIT", "5", StringComparison.Ordinal));
        var equal = await op.CreateHandlerAsync("targetOperatorId", op.OperatorId!, "MonthlyChargeRule", Rule.Replace("LIMIT", "11", StringComparison.Ordinal));

        async Task<decimal> LatestAsync() =>
            decimal.Parse((await op.GetAsync("/v1/bills/latest")).ShouldBe(HttpStatusCode.OK).Json["amount"]!.ToJsonString(), CultureInfo.InvariantCulture);

        // Day 1, 01:00: 11 JPY. Over 5, equal to 11.
        await op.SetClockAsync(month + Hour);
        (await LatestAsync()).ShouldBe(11m);
        var first = (await op.ExecutionsAsync(low)).Single()!;
        (first["observedValue"]!.GetValue<string>(), first["threshold"]!.GetValue<string>()).ShouldBe(("11", "5"));
        first["firedTime"]!.GetValue<long>().ShouldBe(month + Hour);
        first["windowStart"]!.GetValue<long>().ShouldBe(month);
        (await op.FiringsAsync(equal)).ShouldBe(0);

        // Day 2: 22 JPY exceeds 11; the low handler already fired this month.
        await op.SetClockAsync(month + Day + Hour);
        (await LatestAsync()).ShouldBe(22m);
        (await op.ExecutionsAsync(equal)).Single()!["observedValue"]!.GetValue<string>().ShouldBe("22");
        (await op.FiringsAsync(low)).ShouldBe(1);

        // Next month 01:00: the aggregation reports 11 JPY, but neither handler is armed before 01:30.
        var next = EngineTestKit.NextMonthStartMs(month);
        await op.SetClockAsync(next + Hour);
        (await LatestAsync()).ShouldBe(11m);
        (await op.FiringsAsync(low)).ShouldBe(1);
        (await op.FiringsAsync(equal)).ShouldBe(1);

        // 01:30: re-evaluated. 11 > 5 fires again; 11 = 11 does not.
        await op.SetClockAsync(next + Hour + (30 * 60_000));
        var lows = await op.ExecutionsAsync(low);
        lows.Count.ShouldBe(2);
        lows[0]!["firedTime"]!.GetValue<long>().ShouldBe(next + Hour + (30 * 60_000));
        lows[0]!["observedValue"]!.GetValue<string>().ShouldBe("11");
        lows[0]!["windowStart"]!.GetValue<long>().ShouldBe(next);
        (await op.FiringsAsync(equal)).ShouldBe(1);

        // Day 2 of the new month: 22 JPY. The equal handler, armed since 01:30, fires on the aggregation; the low one waits for the month after.
        await op.SetClockAsync(next + Day + Hour);
        var equals = await op.ExecutionsAsync(equal);
        equals.Count.ShouldBe(2);
        equals[0]!["firedTime"]!.GetValue<long>().ShouldBe(next + Day + Hour);
        equals[0]!["windowStart"]!.GetValue<long>().ShouldBe(next);
        (await op.FiringsAsync(low)).ShouldBe(2);
    }
}

public sealed class RuleEngineTargetTests_Sqlite(SqliteServer server) : RuleEngineTargetTests(server), IClassFixture<SqliteServer>;

public sealed class RuleEngineTargetTests_Postgres(PostgresServer server) : RuleEngineTargetTests(server), IClassFixture<PostgresServer>;
