using System.Net;
using Microsoft.EntityFrameworkCore;
using Simlane.Server.Tests.Gateway;
using Simlane.Server.Tests.Infrastructure;
using Simlane.Server.Tests.Usage;
using Simlane.Storage;

namespace Simlane.Server.Tests.Engine;

/// <summary>The rule engine end to end, through public calls only; none of these moves the clock far.</summary>
public abstract class RuleEngineTests(ServerFixture server)
{
    private const string Daily10 = """{"limitTotalTrafficMegaByte":"10","inactiveTimeoutDateConst":"BEGINNING_OF_NEXT_DAY","inactiveTimeoutOffsetMinutes":"5"}""";

    private async Task<(ApiClient Op, string Imsi, string SimId)> OperatorWithSimAsync()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        return (op, sim.Imsi(), sim.Str("simId"));
    }

    [Fact]
    public async Task SubscriberDaily_ExactlyTheLimitDoesNotFire_OneByteMoreFiresOnce_WithObservedValueAndPlannedActions()
    {
        var (op, imsi, simId) = await OperatorWithSimAsync();
        (await op.PutAsync($"/v1/sims/{simId}/tags", new[] { new { tagName = "name", tagValue = "pump-7" } })).ShouldBe(HttpStatusCode.OK);
        var actions = new System.Text.Json.Nodes.JsonArray(EngineTestKit.MailAction(), EngineTestKit.MailAction("BEGINNING_OF_NEXT_DAY", "5"), EngineTestKit.MailAction("NEVER"));
        var id = await op.CreateHandlerAsync("targetImsi", imsi, "SubscriberDailyTrafficRule", Daily10, actions: actions);

        await server.TrafficAsync(op, imsi, 10 * EngineTestKit.MiB);
        (await op.FiringsAsync(id)).ShouldBe(0);

        await server.TrafficAsync(op, imsi, 1);
        var executions = await op.ExecutionsAsync(id);
        executions.Count.ShouldBe(1);
        var execution = executions[0]!;
        execution["unitKey"]!.GetValue<string>().ShouldBe($"imsi:{imsi}");
        execution["imsi"]!.GetValue<string>().ShouldBe(imsi);
        execution["simId"]!.GetValue<string>().ShouldBe(simId);
        execution["ruleType"]!.GetValue<string>().ShouldBe("SubscriberDailyTrafficRule");
        execution["observedValue"]!.GetValue<string>().ShouldBe((10 * EngineTestKit.MiB + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        execution["threshold"]!.GetValue<string>().ShouldBe((10 * EngineTestKit.MiB).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var fired = execution["firedTime"]!.GetValue<long>();
        var dayStart = fired - (fired % 86_400_000);
        execution["windowStart"]!.GetValue<long>().ShouldBe(dayStart);
        execution["windowEnd"]!.GetValue<long>().ShouldBe(dayStart + 86_400_000);

        var planned = execution["plannedActions"]!.AsArray();
        planned.Count.ShouldBe(3);
        planned[0]!["type"]!.GetValue<string>().ShouldBe("SendMailAction");
        planned[0]!["dueTime"]!.GetValue<long>().ShouldBe(fired);
        planned[1]!["dueTime"]!.GetValue<long>().ShouldBe(dayStart + 86_400_000 + (5 * 60_000));
        planned[2]!["dueTime"].ShouldBeNull();
        planned[0]!["properties"]!["title"]!.GetValue<string>().ShouldBe($"Alert {imsi}");
        var date = DateTimeOffset.FromUnixTimeMilliseconds(fired);
        planned[0]!["properties"]!["message"]!.GetValue<string>().ShouldBe($"SIM {simId} tag pump-7 on {date.Year}/{date.Month}/{date.Day} (jp)");
        planned[0]!["properties"]!["to"]!.GetValue<string>().ShouldBe("ops@example.com");

        // Fires once per crossing: more traffic the same day does not fire again.
        await server.TrafficAsync(op, imsi, 5 * EngineTestKit.MiB);
        (await op.FiringsAsync(id)).ShouldBe(1);
        (await op.GetAsync($"/v1/event_handlers/subscribers/{imsi}/executions")).ShouldBe(HttpStatusCode.OK).Array.Count.ShouldBe(1);
    }

    [Fact]
    public async Task SubscriberDaily_AnotherImsi_DoesNotFire_AndAGroupTargetFiresPerImsi()
    {
        var (op, imsi, _) = await OperatorWithSimAsync();
        var other = (await op.CreateRegisteredSimAsync());
        var onImsi = await op.CreateHandlerAsync("targetImsi", imsi, "SubscriberDailyTrafficRule", Daily10);
        var groupId = await op.CreateGroupAsync();
        (await op.PostAsync($"/v1/sims/{other.Str("simId")}/set_group", new { groupId })).ShouldBe(HttpStatusCode.OK);
        var first = await op.CreateRegisteredSimAsync();
        (await op.PostAsync($"/v1/sims/{first.Str("simId")}/set_group", new { groupId })).ShouldBe(HttpStatusCode.OK);
        var onGroup = await op.CreateHandlerAsync("targetGroupId", groupId, "SubscriberDailyTrafficRule", Daily10);

        await server.TrafficAsync(op, other.Imsi(), 11 * EngineTestKit.MiB);
        (await op.FiringsAsync(onImsi)).ShouldBe(0);
        (await op.FiringsAsync(onGroup)).ShouldBe(1);

        await server.TrafficAsync(op, first.Imsi(), 11 * EngineTestKit.MiB);
        var executions = await op.ExecutionsAsync(onGroup);
        executions.Select(e => e!["imsi"]!.GetValue<string>()).ShouldBe([first.Imsi(), other.Imsi()]);
        (await op.FiringsAsync(onImsi)).ShouldBe(0);
    }

    [Fact]
    public async Task SubscriberDaily_IgnoredImsi_DoesNotFire_UntilTheIgnoreIsRemoved()
    {
        var (op, imsi, _) = await OperatorWithSimAsync();
        var other = await op.CreateRegisteredSimAsync();
        var id = await op.CreateHandlerAsync("targetOperatorId", op.OperatorId!, "SubscriberDailyTrafficRule", Daily10);
        (await op.PostAsync($"/v1/event_handlers/{id}/subscribers/{imsi}/ignore")).ShouldBe(HttpStatusCode.OK);

        await server.TrafficAsync(op, imsi, 11 * EngineTestKit.MiB);
        await server.TrafficAsync(op, other.Imsi(), 11 * EngineTestKit.MiB);
        var executions = await op.ExecutionsAsync(id);
        executions.Count.ShouldBe(1);
        executions[0]!["imsi"]!.GetValue<string>().ShouldBe(other.Imsi());

        (await op.DeleteAsync($"/v1/event_handlers/{id}/subscribers/{imsi}/ignore")).ShouldBe(HttpStatusCode.NoContent);
        await server.TrafficAsync(op, imsi, 1);
        (await op.FiringsAsync(id)).ShouldBe(2);
    }

    [Fact]
    public async Task SimRule_IgnoredPrimaryImsi_ExcludesTheSim()
    {
        var (op, imsi, simId) = await OperatorWithSimAsync();
        var other = await op.CreateRegisteredSimAsync();
        var id = await op.CreateHandlerAsync("targetOperatorId", op.OperatorId!, "SimStatusAttributeRule", """{"inactiveTimeoutDateConst":"IMMEDIATELY"}""");
        (await op.PostAsync($"/v1/event_handlers/{id}/subscribers/{imsi}/ignore")).ShouldBe(HttpStatusCode.OK);
        (await op.PostAsync($"/v1/sims/{simId}/activate")).ShouldBe(HttpStatusCode.OK);
        (await op.PostAsync($"/v1/sims/{other.Str("simId")}/activate")).ShouldBe(HttpStatusCode.OK);
        await op.DrainAsync();
        (await op.ExecutionsAsync(id)).Single()!["simId"]!.GetValue<string>().ShouldBe(other.Str("simId"));
    }

    [Fact]
    public async Task SubscriberDaily_InactiveHandler_DoesNotFire()
    {
        var (op, imsi, _) = await OperatorWithSimAsync();
        var id = await op.CreateHandlerAsync("targetImsi", imsi, "SubscriberDailyTrafficRule", Daily10, status: "inactive");
        await server.TrafficAsync(op, imsi, 11 * EngineTestKit.MiB);
        (await op.FiringsAsync(id)).ShouldBe(0);
    }

    [Fact]
    public async Task Deactivating_AHandlerTheEngineHasCached_StopsItAtOnce_AndReactivatingResumesIt()
    {
        var (op, imsi, _) = await OperatorWithSimAsync();
        var immediate = """{"inactiveTimeoutDateConst":"IMMEDIATELY"}""";
        var id = await op.CreateHandlerAsync("targetImsi", imsi, "SubscriberStatusAttributeRule", immediate);
        (await op.PostAsync($"/v1/subscribers/{imsi}/activate")).ShouldBe(HttpStatusCode.OK);
        await op.DrainAsync();
        (await op.FiringsAsync(id)).ShouldBe(1);

        // The engine keeps its handler index between batches; a status change must reach it before the next event.
        var inactive = EngineTestKit.HandlerBody("targetImsi", imsi, "SubscriberStatusAttributeRule", immediate, status: "inactive");
        (await op.PutAsync($"/v1/event_handlers/{id}", inactive)).ShouldBe(HttpStatusCode.OK);
        (await op.PostAsync($"/v1/subscribers/{imsi}/deactivate")).ShouldBe(HttpStatusCode.OK);
        await op.DrainAsync();
        (await op.FiringsAsync(id)).ShouldBe(1);

        var active = EngineTestKit.HandlerBody("targetImsi", imsi, "SubscriberStatusAttributeRule", immediate);
        (await op.PutAsync($"/v1/event_handlers/{id}", active)).ShouldBe(HttpStatusCode.OK);
        (await op.PostAsync($"/v1/subscribers/{imsi}/activate")).ShouldBe(HttpStatusCode.OK);
        await op.DrainAsync();
        (await op.FiringsAsync(id)).ShouldBe(2);
    }

    [Fact]
    public async Task SeveralMatchingHandlers_AllFire()
    {
        var (op, imsi, simId) = await OperatorWithSimAsync();
        var a = await op.CreateHandlerAsync("targetImsi", imsi, "SubscriberDailyTrafficRule", Daily10);
        var b = await op.CreateHandlerAsync("targetSimId", simId, "SubscriberMonthlyTrafficRule", Daily10);
        var c = await op.CreateHandlerAsync("targetOperatorId", op.OperatorId!, "SimDailyTotalTrafficRule", Daily10);
        await server.TrafficAsync(op, imsi, 11 * EngineTestKit.MiB);
        (await op.FiringsAsync(a)).ShouldBe(1);
        (await op.FiringsAsync(b)).ShouldBe(1);
        var sim = (await op.ExecutionsAsync(c)).Single()!;
        sim["unitKey"]!.GetValue<string>().ShouldBe($"sim:{simId}");
    }

    [Fact]
    public async Task Update_ChangingTheRuleResetsFiring_ChangingOnlyTheNameDoesNot()
    {
        var (op, imsi, _) = await OperatorWithSimAsync();
        var id = await op.CreateHandlerAsync("targetImsi", imsi, "SubscriberDailyTrafficRule", Daily10);
        await server.TrafficAsync(op, imsi, 11 * EngineTestKit.MiB);
        (await op.FiringsAsync(id)).ShouldBe(1);

        var renamed = EngineTestKit.HandlerBody("targetImsi", imsi, "SubscriberDailyTrafficRule", Daily10, name: "renamed");
        (await op.PutAsync($"/v1/event_handlers/{id}", renamed)).ShouldBe(HttpStatusCode.OK);
        await server.TrafficAsync(op, imsi, 1);
        (await op.FiringsAsync(id)).ShouldBe(1);

        var lower = EngineTestKit.HandlerBody("targetImsi", imsi, "SubscriberDailyTrafficRule", Daily10.Replace("\"10\"", "\"5\"", StringComparison.Ordinal));
        (await op.PutAsync($"/v1/event_handlers/{id}", lower)).ShouldBe(HttpStatusCode.OK);
        await server.TrafficAsync(op, imsi, 1);
        var executions = await op.ExecutionsAsync(id);
        executions.Count.ShouldBe(2);
        executions[0]!["threshold"]!.GetValue<string>().ShouldBe((5 * EngineTestKit.MiB).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Delete_RemovesTheUnitStatesAndPendingReEvaluations()
    {
        var (op, imsi, _) = await OperatorWithSimAsync();
        var id = await op.CreateHandlerAsync("targetImsi", imsi, "SubscriberCumulativeTrafficRule", """{"limitTotalTrafficMegaByte":"1","inactiveTimeoutDateConst":"AFTER_ONE_DAY"}""");
        await server.TrafficAsync(op, imsi, EngineTestKit.MiB + 1);
        (await op.FiringsAsync(id)).ShouldBe(1);
        await using (var db = DatabaseOptions.Parse(server.Database.ConnectionString).CreateContext())
        {
            (await db.HandlerUnitStates.CountAsync(s => s.HandlerId == id)).ShouldBe(1);
            (await db.Timers.CountAsync(t => t.Key.StartsWith("handler-rearm:" + id))).ShouldBe(1);
        }

        (await op.DeleteAsync($"/v1/event_handlers/{id}")).ShouldBe(HttpStatusCode.NoContent);
        await using (var db = DatabaseOptions.Parse(server.Database.ConnectionString).CreateContext())
        {
            (await db.HandlerUnitStates.CountAsync(s => s.HandlerId == id)).ShouldBe(0);
            (await db.Timers.CountAsync(t => t.Key.StartsWith("handler-rearm:" + id))).ShouldBe(0);
            (await db.HandlerExecutions.CountAsync(e => e.HandlerId == id)).ShouldBe(0);
        }
    }

    [Fact]
    public async Task SubscriberFirstTraffic_FiresOnceOnly()
    {
        var (op, imsi, _) = await OperatorWithSimAsync();
        var id = await op.CreateHandlerAsync("targetImsi", imsi, "SubscriberFirstTrafficRule", """{"inactiveTimeoutDateConst":"NEVER"}""");
        await server.TrafficAsync(op, imsi, 1);
        await server.TrafficAsync(op, imsi, 100 * EngineTestKit.MiB);
        var executions = await op.ExecutionsAsync(id);
        executions.Count.ShouldBe(1);
        executions[0]!["unitKey"]!.GetValue<string>().ShouldBe($"imsi:{imsi}");
    }

    [Fact]
    public async Task StatusAttributeRules_FilterOnSourceAndTargetStatus()
    {
        var (op, imsi, simId) = await OperatorWithSimAsync();
        var action = EngineTestKit.MailAction();
        action["properties"]!["message"] = "${oldStatus} -> ${newStatus} ${imsi} ${oldSpeedClass}";
        var anyChange = await op.CreateHandlerAsync("targetSimId", simId, "SimStatusAttributeRule", """{"inactiveTimeoutDateConst":"IMMEDIATELY"}""", actions: [action]);
        var toActive = await op.CreateHandlerAsync("targetImsi", imsi, "SubscriberStatusAttributeRule", """{"targetStatus":"active","inactiveTimeoutDateConst":"IMMEDIATELY"}""");
        var fromInactive = await op.CreateHandlerAsync("targetSimId", simId, "SimStatusAttributeRule", """{"sourceStatus":"inactive","targetStatus":"active","inactiveTimeoutDateConst":"IMMEDIATELY"}""");

        (await op.PostAsync($"/v1/sims/{simId}/activate")).ShouldBe(HttpStatusCode.OK);
        await op.DrainAsync();
        var sim = (await op.ExecutionsAsync(anyChange)).Single()!;
        sim["unitKey"]!.GetValue<string>().ShouldBe($"sim:{simId}");
        sim["oldValue"]!.GetValue<string>().ShouldBe("ready");
        sim["newValue"]!.GetValue<string>().ShouldBe("active");
        sim["imsi"].ShouldBeNull();
        sim["plannedActions"]![0]!["properties"]!["message"]!.GetValue<string>().ShouldBe($"ready -> active {imsi} ${{oldSpeedClass}}");
        (await op.ExecutionsAsync(toActive)).Single()!["unitKey"]!.GetValue<string>().ShouldBe($"imsi:{imsi}");
        (await op.FiringsAsync(fromInactive)).ShouldBe(0);

        (await op.PostAsync($"/v1/sims/{simId}/deactivate")).ShouldBe(HttpStatusCode.OK);
        (await op.PostAsync($"/v1/sims/{simId}/activate")).ShouldBe(HttpStatusCode.OK);
        await op.DrainAsync();
        (await op.FiringsAsync(anyChange)).ShouldBe(3);
        (await op.FiringsAsync(toActive)).ShouldBe(2);
        (await op.FiringsAsync(fromInactive)).ShouldBe(1);
    }

    [Fact]
    public async Task SpeedClassRule_FiltersOnTargetSpeedClass()
    {
        var (op, imsi, simId) = await OperatorWithSimAsync();
        var toFast = await op.CreateHandlerAsync("targetSimId", simId, "SimSpeedClassAttributeRule", """{"targetSpeedClass":"s1.fast","inactiveTimeoutDateConst":"IMMEDIATELY"}""");
        var any = await op.CreateHandlerAsync("targetImsi", imsi, "SubscriberSpeedClassAttributeRule", """{"inactiveTimeoutDateConst":"IMMEDIATELY"}""");
        (await op.PostAsync($"/v1/sims/{simId}/update_speed_class", new { speedClass = "s1.slow" })).ShouldBe(HttpStatusCode.OK);
        (await op.PostAsync($"/v1/sims/{simId}/update_speed_class", new { speedClass = "s1.fast" })).ShouldBe(HttpStatusCode.OK);
        await op.DrainAsync();
        var fast = (await op.ExecutionsAsync(toFast)).Single()!;
        fast["oldValue"]!.GetValue<string>().ShouldBe("s1.slow");
        fast["newValue"]!.GetValue<string>().ShouldBe("s1.fast");
        (await op.FiringsAsync(any)).ShouldBe(2);
    }

    [Fact]
    public async Task RunOnceAmongTarget_OnAGroup_FiresOnceForTheWholeGroup()
    {
        var op = await server.NewOperatorAsync();
        var groupId = await op.CreateGroupAsync();
        var a = await op.CreateRegisteredSimAsync();
        var b = await op.CreateRegisteredSimAsync();
        (await op.PostAsync($"/v1/sims/{a.Str("simId")}/set_group", new { groupId })).ShouldBe(HttpStatusCode.OK);
        (await op.PostAsync($"/v1/sims/{b.Str("simId")}/set_group", new { groupId })).ShouldBe(HttpStatusCode.OK);
        var once = await op.CreateHandlerAsync("targetGroupId", groupId, "SimStatusAttributeRule", """{"runOnceAmongTarget":"true","inactiveTimeoutDateConst":"NEVER"}""");
        var each = await op.CreateHandlerAsync("targetGroupId", groupId, "SimStatusAttributeRule", """{"runOnceAmongTarget":"false","inactiveTimeoutDateConst":"NEVER"}""");
        (await op.PostAsync($"/v1/sims/{a.Str("simId")}/activate")).ShouldBe(HttpStatusCode.OK);
        (await op.PostAsync($"/v1/sims/{b.Str("simId")}/activate")).ShouldBe(HttpStatusCode.OK);
        await op.DrainAsync();
        (await op.ExecutionsAsync(once)).Single()!["unitKey"]!.GetValue<string>().ShouldBe("target");
        (await op.FiringsAsync(each)).ShouldBe(2);
    }

    [Fact]
    public async Task LateRecord_CountsInItsOwnDay_AndFiresForThatWindow()
    {
        var (op, imsi, _) = await OperatorWithSimAsync();
        var id = await op.CreateHandlerAsync("targetImsi", imsi, "SubscriberDailyTrafficRule", Daily10);
        var now = await op.NowMsAsync();
        var yesterday = EngineTestKit.NextDayStartMs(now) - (2 * 86_400_000);
        await server.TrafficAsync(op, imsi, 11 * EngineTestKit.MiB, (yesterday / 1000) + 3600);
        var execution = (await op.ExecutionsAsync(id)).Single()!;
        execution["windowStart"]!.GetValue<long>().ShouldBe(yesterday);
        execution["observedValue"]!.GetValue<string>().ShouldBe((11 * EngineTestKit.MiB).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task SimMonthlyTotal_SumsTheSimsTraffic_AndFiresPerSim()
    {
        var (op, imsi, simId) = await OperatorWithSimAsync();
        var other = await op.CreateRegisteredSimAsync();
        var id = await op.CreateHandlerAsync("targetOperatorId", op.OperatorId!, "SimMonthlyTotalTrafficRule",
            """{"limitTotalTrafficMegaByte":"3","inactiveTimeoutDateConst":"BEGINNING_OF_NEXT_MONTH"}""");
        await server.TrafficAsync(op, imsi, 2 * EngineTestKit.MiB);
        await server.TrafficAsync(op, other.Imsi(), 2 * EngineTestKit.MiB);
        (await op.FiringsAsync(id)).ShouldBe(0);
        await server.TrafficAsync(op, imsi, EngineTestKit.MiB + 1);
        var execution = (await op.ExecutionsAsync(id)).Single()!;
        execution["unitKey"]!.GetValue<string>().ShouldBe($"sim:{simId}");
        execution["imsi"].ShouldBeNull();
        execution["simId"]!.GetValue<string>().ShouldBe(simId);
        (await op.GetAsync($"/v1/event_handlers/subscribers/{imsi}/executions")).ShouldBe(HttpStatusCode.OK).Array.Count.ShouldBe(1);
        execution["observedValue"]!.GetValue<string>().ShouldBe(((3 * EngineTestKit.MiB) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task DailyTotal_OnAGroup_SumsTheGroupsSims_AndFiresOnceForTheGroup()
    {
        var op = await server.NewOperatorAsync();
        var groupId = await op.CreateGroupAsync();
        var a = await op.CreateRegisteredSimAsync();
        var b = await op.CreateRegisteredSimAsync();
        var outside = await op.CreateRegisteredSimAsync();
        (await op.PostAsync($"/v1/sims/{a.Str("simId")}/set_group", new { groupId })).ShouldBe(HttpStatusCode.OK);
        (await op.PostAsync($"/v1/sims/{b.Str("simId")}/set_group", new { groupId })).ShouldBe(HttpStatusCode.OK);
        var id = await op.CreateHandlerAsync("targetGroupId", groupId, "DailyTotalTrafficRule",
            """{"limitTotalTrafficMegaByte":"10","inactiveTimeoutDateConst":"BEGINNING_OF_NEXT_DAY"}""");
        await op.PostAsync("/v1/sandbox/clock", new { advanceSeconds = 1 });

        await server.TrafficAsync(op, a.Imsi(), 6 * EngineTestKit.MiB);
        await server.TrafficAsync(op, outside.Imsi(), 6 * EngineTestKit.MiB);
        (await op.FiringsAsync(id)).ShouldBe(0);
        await server.TrafficAsync(op, b.Imsi(), 6 * EngineTestKit.MiB);
        await server.TrafficAsync(op, a.Imsi(), 6 * EngineTestKit.MiB);
        var execution = (await op.ExecutionsAsync(id)).Single()!;
        execution["unitKey"]!.GetValue<string>().ShouldBe($"group:{groupId}");
        execution["imsi"].ShouldBeNull();
        execution["simId"].ShouldBeNull();
        execution["observedValue"]!.GetValue<string>().ShouldBe((12 * EngineTestKit.MiB).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task MonthlyTotal_OnTheOperator_AndSimCumulativeTotal_Fire()
    {
        var (op, imsi, simId) = await OperatorWithSimAsync();
        var other = await op.CreateRegisteredSimAsync();
        var total = await op.CreateHandlerAsync("targetOperatorId", op.OperatorId!, "MonthlyTotalTrafficRule",
            """{"limitTotalTrafficMegaByte":"4","inactiveTimeoutDateConst":"BEGINNING_OF_NEXT_MONTH"}""");
        var cumulative = await op.CreateHandlerAsync("targetSimId", simId, "SimCumulativeTotalTrafficRule",
            """{"limitTotalTrafficMegaByte":"3","inactiveTimeoutDateConst":"NEVER"}""");
        await server.TrafficAsync(op, imsi, 3 * EngineTestKit.MiB);
        await server.TrafficAsync(op, other.Imsi(), EngineTestKit.MiB);
        (await op.FiringsAsync(total)).ShouldBe(0);
        (await op.FiringsAsync(cumulative)).ShouldBe(0);

        await server.TrafficAsync(op, other.Imsi(), 1);
        (await op.ExecutionsAsync(total)).Single()!["unitKey"]!.GetValue<string>().ShouldBe($"operator:{op.OperatorId}");
        (await op.FiringsAsync(cumulative)).ShouldBe(0);
        await server.TrafficAsync(op, imsi, 1);
        var execution = (await op.ExecutionsAsync(cumulative)).Single()!;
        execution["windowStart"].ShouldBeNull();
        execution["observedValue"]!.GetValue<string>().ShouldBe(((3 * EngineTestKit.MiB) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        (await op.FiringsAsync(total)).ShouldBe(1);
    }

    [Fact]
    public async Task SessionStatusRule_CreatedWithImei_AndDeleted()
    {
        var (op, imsi, _) = await OperatorWithSimAsync();
        var created = await op.CreateHandlerAsync("targetImsi", imsi, "SubscriberSessionStatusRule", """{"sessionStatus":"Created","hasImei":true,"inactiveTimeoutDateConst":"IMMEDIATELY"}""");
        var deleted = await op.CreateHandlerAsync("targetImsi", imsi, "SubscriberSessionStatusRule", """{"sessionStatus":"Deleted","inactiveTimeoutDateConst":"IMMEDIATELY"}""");
        var gateway = server.Gateway();
        await gateway.AcceptedSessionAsync(imsi, imei: null);
        await op.DrainAsync();
        (await op.FiringsAsync(created)).ShouldBe(0);

        await gateway.AcceptedSessionAsync(imsi, SessionTestKit.Imei1);
        await op.DrainAsync();
        var execution = (await op.ExecutionsAsync(created)).Single()!;
        execution["newValue"]!.GetValue<string>().ShouldBe("Created");
        (await op.FiringsAsync(deleted)).ShouldBe(1);
    }

    [Fact]
    public async Task ImeiMismatchedRules_FireWhenTheLockRefusesASession()
    {
        var (op, imsi, simId) = await OperatorWithSimAsync();
        var sim = await op.CreateHandlerAsync("targetSimId", simId, "SimImeiMismatchedRule", """{"inactiveTimeoutDateConst":"IMMEDIATELY"}""");
        var subscriber = await op.CreateHandlerAsync("targetImsi", imsi, "SubscriberImeiMismatchedRule", """{"inactiveTimeoutDateConst":"NEVER"}""");
        (await op.PostAsync($"/v1/sims/{simId}/set_imei_lock", new { imei = SessionTestKit.Imei1 })).ShouldBe(HttpStatusCode.OK);
        (await server.Gateway().OpenSessionAsync(imsi, SessionTestKit.Imei2)).ShouldBeRefused("imei_mismatch");
        (await server.Gateway().OpenSessionAsync(imsi, SessionTestKit.Imei2)).ShouldBeRefused("imei_mismatch");
        await op.DrainAsync();
        (await op.FiringsAsync(sim)).ShouldBe(2);
        (await op.FiringsAsync(subscriber)).ShouldBe(1);
        (await op.ExecutionsAsync(sim))[0]!["newValue"]!.GetValue<string>().ShouldBe(SessionTestKit.Imei2);
    }

    [Fact]
    public async Task SimSubscriptionStatus_FiltersOnTargetOtaStatus_WithItsVariables_AndSubscriberRulesIgnoreTheSecondaryImsi()
    {
        var (op, primary, simId) = await OperatorWithSimAsync();
        var profile = (await op.PostAsync($"/v1/sims/{simId}/profiles/{simId}/add_subscription", new { subscription = "planX3" })).ShouldBe(HttpStatusCode.OK);
        var added = profile.Json["subscribers"]!.AsObject().Single(s => s.Key != primary).Key;
        var action = EngineTestKit.MailAction();
        action["properties"]!["message"] = "${subscription} ${otaStatus} ${imsi} ${primaryImsi}";
        var finished = await op.CreateHandlerAsync("targetSimId", simId, "SimSubscriptionStatusRule",
            """{"targetOtaStatus":"finished","inactiveTimeoutDateConst":"NEVER"}""", actions: [action]);
        var any = await op.CreateHandlerAsync("targetSimId", simId, "SimSubscriptionStatusRule", """{"inactiveTimeoutDateConst":"AFTER_ONE_DAY"}""");
        var subscriberDaily = await op.CreateHandlerAsync("targetOperatorId", op.OperatorId!, "SubscriberDailyTrafficRule", Daily10);
        var simDaily = await op.CreateHandlerAsync("targetSimId", simId, "SimDailyTotalTrafficRule", Daily10);

        (await server.Gateway().PostAsync("/v1/gateway/ota", new { simId, imsi = added, otaStatus = "started" })).ShouldBe(HttpStatusCode.OK);
        await op.DrainAsync();
        (await op.FiringsAsync(finished)).ShouldBe(0);
        (await op.ExecutionsAsync(any)).Single()!["newValue"]!.GetValue<string>().ShouldBe("started");

        (await server.Gateway().PostAsync("/v1/gateway/ota", new { simId, imsi = added, otaStatus = "finished" })).ShouldBe(HttpStatusCode.OK);
        await op.DrainAsync();
        var execution = (await op.ExecutionsAsync(finished)).Single()!;
        execution["unitKey"]!.GetValue<string>().ShouldBe($"sim:{simId}");
        execution["plannedActions"]![0]!["properties"]!["message"]!.GetValue<string>().ShouldBe($"planX3 finished {added} {primary}");
        (await op.FiringsAsync(any)).ShouldBe(1);

        await server.TrafficAsync(op, added, 11 * EngineTestKit.MiB);
        (await op.FiringsAsync(subscriberDaily)).ShouldBe(0);
        (await op.FiringsAsync(simDaily)).ShouldBe(1);
    }

    [Fact]
    public async Task Restart_BetweenCrossingAndProcessing_YieldsExactlyOneFiring()
    {
        var (op, imsi, _) = await OperatorWithSimAsync();
        var id = await op.CreateHandlerAsync("targetImsi", imsi, "SubscriberDailyTrafficRule", Daily10);
        var now = await op.NowMsAsync();
        (await server.Gateway().PostUsageAsync(UsageTestHelpers.Record(imsi, now / 1000, 0, 11 * EngineTestKit.MiB))).ShouldBe(HttpStatusCode.OK);
        await server.RestartAsync();
        var again = server.Anonymous().WithCredentials(op.ApiKey!, op.Token!, op.OperatorId);
        await again.DrainAsync();
        await again.DrainAsync();
        (await again.FiringsAsync(id)).ShouldBe(1);
    }
}

public sealed class RuleEngineTests_Sqlite(SqliteServer server) : RuleEngineTests(server), IClassFixture<SqliteServer>;

public sealed class RuleEngineTests_Postgres(PostgresServer server) : RuleEngineTests(server), IClassFixture<PostgresServer>;
