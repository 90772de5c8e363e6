using System.Net;
using Simlane.Server.Tests.Infrastructure;
using Simlane.Server.Tests.Usage;

namespace Simlane.Server.Tests.Engine;

/// <summary>Re-evaluation through the sandbox clock: these tests move the clock days ahead, so they have their own fixture.</summary>
public abstract class RuleEngineClockTests(ServerFixture server)
{
    [Fact]
    public async Task SubscriberDaily_NextDayWithOffset_ReArmsAt0005_AndFiresAgainWhenExceededAgain()
    {
        var op = await server.NewOperatorAsync();
        var imsi = (await op.CreateRegisteredSimAsync()).Imsi();
        var id = await op.CreateHandlerAsync("targetImsi", imsi, "SubscriberDailyTrafficRule",
            """{"limitTotalTrafficMegaByte":"1","inactiveTimeoutDateConst":"BEGINNING_OF_NEXT_DAY","inactiveTimeoutOffsetMinutes":"5"}""");
        await server.TrafficAsync(op, imsi, EngineTestKit.MiB + 1);
        (await op.FiringsAsync(id)).ShouldBe(1);

        // Next day 00:04: over the limit again, but not re-armed until 00:05.
        var nextDay = EngineTestKit.NextDayStartMs(await op.NowMsAsync());
        await op.SetClockAsync(nextDay + (4 * 60_000));
        await server.TrafficAsync(op, imsi, EngineTestKit.MiB + 1);
        (await op.FiringsAsync(id)).ShouldBe(1);

        // 00:05: re-armed and re-evaluated; today's traffic is over the limit, so it fires again.
        await op.SetClockAsync(nextDay + (5 * 60_000));
        var executions = await op.ExecutionsAsync(id);
        executions.Count.ShouldBe(2);
        executions[0]!["firedTime"]!.GetValue<long>().ShouldBe(nextDay + (5 * 60_000));
        executions[0]!["windowStart"]!.GetValue<long>().ShouldBe(nextDay);

        // The day after: the re-evaluation at 00:05 finds nothing; a new crossing fires.
        var third = nextDay + 86_400_000;
        await op.SetClockAsync(third + (6 * 60_000));
        (await op.FiringsAsync(id)).ShouldBe(2);
        await server.TrafficAsync(op, imsi, EngineTestKit.MiB);
        (await op.FiringsAsync(id)).ShouldBe(2);
        await server.TrafficAsync(op, imsi, 1);
        (await op.FiringsAsync(id)).ShouldBe(3);
    }

    [Fact]
    public async Task SubscriberCumulative_FiresAgainAtEveryReEvaluationWhileOver()
    {
        var op = await server.NewOperatorAsync();
        var imsi = (await op.CreateRegisteredSimAsync()).Imsi();
        var id = await op.CreateHandlerAsync("targetImsi", imsi, "SubscriberCumulativeTrafficRule",
            """{"limitTotalTrafficMegaByte":"2","inactiveTimeoutDateConst":"AFTER_ONE_DAY"}""");
        await server.TrafficAsync(op, imsi, 2 * EngineTestKit.MiB);
        (await op.FiringsAsync(id)).ShouldBe(0);
        await server.TrafficAsync(op, imsi, 1);
        var first = (await op.ExecutionsAsync(id)).Single()!["firedTime"]!.GetValue<long>();

        await server.TrafficAsync(op, imsi, EngineTestKit.MiB);
        (await op.FiringsAsync(id)).ShouldBe(1);

        await op.SetClockAsync(first + (3 * 86_400_000) + 1000);
        var executions = await op.ExecutionsAsync(id);
        executions.Select(e => e!["firedTime"]!.GetValue<long>()).ShouldBe([first + (3 * 86_400_000), first + (2 * 86_400_000), first + 86_400_000, first]);
        executions[0]!["windowStart"].ShouldBeNull();
    }

    [Fact]
    public async Task ExpiredRules_FireWhenTheExpiryPasses()
    {
        var op = await server.NewOperatorAsync();
        var created = await op.CreateRegisteredSimAsync();
        var simId = created.Str("simId");
        var sim = await op.CreateHandlerAsync("targetSimId", simId, "SimExpiredRule", """{"inactiveTimeoutDateConst":"NEVER"}""");
        var subscriber = await op.CreateHandlerAsync("targetImsi", created.Imsi(), "SubscriberExpiredRule", """{"inactiveTimeoutDateConst":"NEVER"}""");
        var expiry = await op.NowMsAsync() + 60_000;
        (await op.PostAsync($"/v1/sims/{simId}/set_expiry_time", new { expiryTime = expiry, expiryAction = "doNothing" })).ShouldBe(HttpStatusCode.OK);
        await op.DrainAsync();
        (await op.FiringsAsync(sim)).ShouldBe(0);

        await op.PostAsync("/v1/sandbox/clock", new { advanceSeconds = 120 });
        var execution = (await op.ExecutionsAsync(sim)).Single()!;
        execution["unitKey"]!.GetValue<string>().ShouldBe($"sim:{simId}");
        execution["firedTime"]!.GetValue<long>().ShouldBeGreaterThanOrEqualTo(expiry); // the Expired event carries the time the expiry timer ran
        (await op.ExecutionsAsync(subscriber)).Single()!["unitKey"]!.GetValue<string>().ShouldBe($"imsi:{created.Imsi()}");
    }

    [Fact]
    public async Task MonthlyCharge_FiresWhenTheAggregatedChargeExceedsTheLimit_OncePerMonth()
    {
        var op = await server.NewOperatorAsync();
        var simId = (await op.CreateRegisteredSimAsync()).Str("simId");
        (await op.PostAsync($"/v1/sims/{simId}/activate")).ShouldBe(HttpStatusCode.OK);
        var high = await op.CreateHandlerAsync("targetOperatorId", op.OperatorId!, "MonthlyChargeRule", """{"limitTotalAmount":"100000","inactiveTimeoutDateConst":"BEGINNING_OF_NEXT_MONTH"}""");
        var low = await op.CreateHandlerAsync("targetOperatorId", op.OperatorId!, "MonthlyChargeRule", """{"limitTotalAmount":"1","inactiveTimeoutDateConst":"BEGINNING_OF_NEXT_MONTH"}""");
        var immediately = await op.CreateHandlerAsync("targetOperatorId", op.OperatorId!, "MonthlyChargeRule", """{"limitTotalAmount":"1","inactiveTimeoutDateConst":"IMMEDIATELY"}""");
        await op.PostAsync("/v1/sandbox/clock", new { advanceSeconds = 2 * 3600 });
        await op.PostAsync("/v1/sandbox/clock", new { advanceSeconds = 2 * 3600 });
        var bill = (await op.GetAsync("/v1/bills/latest")).ShouldBe(HttpStatusCode.OK);
        var execution = (await op.ExecutionsAsync(low)).Single()!;
        execution["unitKey"]!.GetValue<string>().ShouldBe($"operator:{op.OperatorId}");
        execution["threshold"]!.GetValue<string>().ShouldBe("1");
        decimal.Parse(execution["observedValue"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThan(1m, bill.Text);
        (await op.FiringsAsync(high)).ShouldBe(0);
        (await op.FiringsAsync(immediately)).ShouldBeGreaterThan(1, "IMMEDIATELY re-arms at once: every aggregation over the limit fires");
    }

    [Fact]
    public async Task SubscriberCumulative_ReEvaluationMissedWhileInactive_FiresOnTheNextTrafficOnceActiveAgain()
    {
        var op = await server.NewOperatorAsync();
        var imsi = (await op.CreateRegisteredSimAsync()).Imsi();
        const string Rule = """{"limitTotalTrafficMegaByte":"1","inactiveTimeoutDateConst":"AFTER_ONE_DAY"}""";
        var id = await op.CreateHandlerAsync("targetImsi", imsi, "SubscriberCumulativeTrafficRule", Rule);
        await server.TrafficAsync(op, imsi, EngineTestKit.MiB + 1);
        (await op.FiringsAsync(id)).ShouldBe(1);

        (await op.PutAsync($"/v1/event_handlers/{id}", EngineTestKit.HandlerBody("targetImsi", imsi, "SubscriberCumulativeTrafficRule", Rule, status: "inactive"))).ShouldBe(HttpStatusCode.OK);
        await op.PostAsync("/v1/sandbox/clock", new { advanceSeconds = 2 * 86_400 });
        (await op.FiringsAsync(id)).ShouldBe(1);

        (await op.PutAsync($"/v1/event_handlers/{id}", EngineTestKit.HandlerBody("targetImsi", imsi, "SubscriberCumulativeTrafficRule", Rule))).ShouldBe(HttpStatusCode.OK);
        await server.TrafficAsync(op, imsi, 1);
        (await op.FiringsAsync(id)).ShouldBe(2);
        await server.TrafficAsync(op, imsi, 1);
        (await op.FiringsAsync(id)).ShouldBe(2);
    }

    [Fact]
    public async Task SubscriberMonthly_NextMonth_FiresOncePerMonth()
    {
        var op = await server.NewOperatorAsync();
        var imsi = (await op.CreateRegisteredSimAsync()).Imsi();
        var id = await op.CreateHandlerAsync("targetImsi", imsi, "SubscriberMonthlyTrafficRule",
            """{"limitTotalTrafficMegaByte":"1","inactiveTimeoutDateConst":"BEGINNING_OF_NEXT_MONTH"}""");
        await server.TrafficAsync(op, imsi, EngineTestKit.MiB + 1);
        await op.PostAsync("/v1/sandbox/clock", new { advanceSeconds = 86_400 });
        await server.TrafficAsync(op, imsi, EngineTestKit.MiB + 1);
        (await op.FiringsAsync(id)).ShouldBe(1);

        var nextMonth = EngineTestKit.NextMonthStartMs(await op.NowMsAsync());
        await op.SetClockAsync(nextMonth + 3_600_000);
        (await op.FiringsAsync(id)).ShouldBe(1);
        await server.TrafficAsync(op, imsi, EngineTestKit.MiB + 1);
        var executions = await op.ExecutionsAsync(id);
        executions.Count.ShouldBe(2);
        executions[0]!["windowStart"]!.GetValue<long>().ShouldBe(nextMonth);
    }

    [Fact]
    public async Task IgnoreWithUntil_LapsesByItself()
    {
        var op = await server.NewOperatorAsync();
        var imsi = (await op.CreateRegisteredSimAsync()).Imsi();
        var id = await op.CreateHandlerAsync("targetOperatorId", op.OperatorId!, "SubscriberCumulativeTrafficRule",
            """{"limitTotalTrafficMegaByte":"1","inactiveTimeoutDateConst":"NEVER"}""");
        var until = await op.NowMsAsync() + 3_600_000;
        (await op.PostAsync($"/v1/event_handlers/{id}/subscribers/{imsi}/ignore", new { until, reason = "maintenance" })).ShouldBe(HttpStatusCode.OK);
        await server.TrafficAsync(op, imsi, EngineTestKit.MiB + 1);
        (await op.FiringsAsync(id)).ShouldBe(0);

        await op.SetClockAsync(until + 1);
        await server.TrafficAsync(op, imsi, 1);
        (await op.FiringsAsync(id)).ShouldBe(1);
    }

    [Fact]
    public async Task SubscriberCumulative_Never_FiresOnlyOnce()
    {
        var op = await server.NewOperatorAsync();
        var imsi = (await op.CreateRegisteredSimAsync()).Imsi();
        var id = await op.CreateHandlerAsync("targetImsi", imsi, "SubscriberCumulativeTrafficRule",
            """{"limitTotalTrafficMegaByte":"1","inactiveTimeoutDateConst":"NEVER"}""");
        await server.TrafficAsync(op, imsi, EngineTestKit.MiB + 1);
        await op.PostAsync("/v1/sandbox/clock", new { advanceSeconds = 3 * 86_400 });
        await server.TrafficAsync(op, imsi, EngineTestKit.MiB);
        (await op.FiringsAsync(id)).ShouldBe(1);
    }
}

public sealed class RuleEngineClockTests_Sqlite(SqliteServer server) : RuleEngineClockTests(server), IClassFixture<SqliteServer>;

public sealed class RuleEngineClockTests_Postgres(PostgresServer server) : RuleEngineClockTests(server), IClassFixture<PostgresServer>;
