using System.Net;
using System.Text.Json.Nodes;
using Simlane.Server.Tests.Engine;
using Simlane.Server.Tests.Infrastructure;
using Simlane.Server.Tests.Usage;

namespace Simlane.Server.Tests.Actions;

/// <summary>
/// SIM actions of event handlers (issue 6, part 3) and the delivery history, end to end through public calls:
/// traffic through the gateway, the sandbox clock for every execution time.
/// </summary>
public abstract class SimActionTests(ServerFixture server)
{
    private const string MonthlyOver1 = """{"limitTotalTrafficMegaByte":"1","inactiveTimeoutDateConst":"BEGINNING_OF_NEXT_MONTH"}""";

    private static JsonObject Action(string type, string when = "IMMEDIATELY", string? offset = null, string? speedClass = null)
    {
        var properties = new JsonObject { ["executionDateTimeConst"] = when };
        if (offset is not null)
        {
            properties["executionOffsetMinutes"] = offset;
        }

        if (speedClass is not null)
        {
            properties["speedClass"] = speedClass;
        }

        return new JsonObject { ["type"] = type, ["properties"] = properties };
    }

    private static async Task<JsonObject> SubscriberAsync(ApiClient op, string imsi) =>
        (await op.GetAsync($"/v1/subscribers/{imsi}")).ShouldBe(HttpStatusCode.OK).Json.AsObject();

    [Fact]
    public async Task ThrottleNow_RestoreNextMonth_AppliesBothThroughTheLifecycle_AndTheHistoryShowsEach()
    {
        var op = await server.NewOperatorAsync();
        var imsi = (await op.CreateRegisteredSimAsync()).Imsi();
        var id = await op.CreateHandlerAsync("targetImsi", imsi, "SubscriberMonthlyTrafficRule", MonthlyOver1, actions: new JsonArray(
            Action("ChangeSpeedClassAction", speedClass: "s1.minimum"),
            Action("ChangeSpeedClassAction", "BEGINNING_OF_NEXT_MONTH", speedClass: "s1.fast")));

        await server.TrafficAsync(op, imsi, EngineTestKit.MiB + 1);
        (await SubscriberAsync(op, imsi))["speedClass"]!.GetValue<string>().ShouldBe("s1.minimum");
        var execution = (await op.ExecutionsAsync(id)).Single()!;
        var throttle = EngineTestKit.ActionState(execution, 0);
        throttle["state"]!.GetValue<string>().ShouldBe("succeeded");
        throttle["attempts"]!.GetValue<int>().ShouldBe(1);
        throttle["deliveryId"]!.GetValue<string>().ShouldStartWith("dlv-");
        var restore = EngineTestKit.ActionState(execution, 1);
        restore["state"]!.GetValue<string>().ShouldBe("scheduled");
        var due = restore["dueTime"]!.GetValue<long>();
        due.ShouldBe(EngineTestKit.NextMonthStartMs(execution["firedTime"]!.GetValue<long>()));
        restore["nextAttemptTime"]!.GetValue<long>().ShouldBe(due);

        await op.SetClockAsync(due - 1);
        (await SubscriberAsync(op, imsi))["speedClass"]!.GetValue<string>().ShouldBe("s1.minimum");

        await op.SetClockAsync(due);
        (await SubscriberAsync(op, imsi))["speedClass"]!.GetValue<string>().ShouldBe("s1.fast");
        restore = EngineTestKit.ActionState((await op.ExecutionsAsync(id)).Single()!, 1);
        restore["state"]!.GetValue<string>().ShouldBe("succeeded");
        restore["completedTime"]!.GetValue<long>().ShouldBe(due);
    }

    [Theory]
    [InlineData("BEGINNING_OF_NEXT_DAY", null)]
    [InlineData("BEGINNING_OF_NEXT_DAY", "90")]
    [InlineData("AFTER_ONE_DAY", null)]
    [InlineData("AFTER_ONE_DAY", "30")]
    [InlineData("BEGINNING_OF_NEXT_MONTH", "5")]
    public async Task EachExecutionTime_RunsTheActionAtItsDueTime_NotBefore(string when, string? offset)
    {
        var op = await server.NewOperatorAsync();
        var imsi = (await op.CreateRegisteredSimAsync()).Imsi();
        var id = await op.CreateHandlerAsync("targetImsi", imsi, "SubscriberMonthlyTrafficRule", MonthlyOver1,
            actions: new JsonArray(Action("ActivationAction", when, offset)));
        await server.TrafficAsync(op, imsi, EngineTestKit.MiB + 1);
        var execution = (await op.ExecutionsAsync(id)).Single()!;
        var fired = execution["firedTime"]!.GetValue<long>();
        var minutes = offset is null ? 0 : long.Parse(offset, System.Globalization.CultureInfo.InvariantCulture);
        var expected = when switch
        {
            "BEGINNING_OF_NEXT_DAY" => EngineTestKit.NextDayStartMs(fired),
            "AFTER_ONE_DAY" => fired + 86_400_000,
            _ => EngineTestKit.NextMonthStartMs(fired),
        } + (minutes * 60_000);
        EngineTestKit.ActionState(execution, 0)["dueTime"]!.GetValue<long>().ShouldBe(expected);

        await op.SetClockAsync(expected - 1);
        (await SubscriberAsync(op, imsi))["status"]!.GetValue<string>().ShouldBe("ready");
        await op.SetClockAsync(expected);
        (await SubscriberAsync(op, imsi))["status"]!.GetValue<string>().ShouldBe("active");
        EngineTestKit.ActionState((await op.ExecutionsAsync(id)).Single()!, 0)["state"]!.GetValue<string>().ShouldBe("succeeded");
    }

    [Fact]
    public async Task Never_IsRecordedAsSkipped_AndNeverRuns_WhileTheOthersOfTheFiringRun()
    {
        var op = await server.NewOperatorAsync();
        var imsi = (await op.CreateRegisteredSimAsync()).Imsi();
        var id = await op.CreateHandlerAsync("targetImsi", imsi, "SubscriberMonthlyTrafficRule", MonthlyOver1, actions: new JsonArray(
            Action("SuspendAction", "NEVER"), Action("StandbyAction")));
        await server.TrafficAsync(op, imsi, EngineTestKit.MiB + 1);
        var execution = (await op.ExecutionsAsync(id)).Single()!;
        EngineTestKit.ActionState(execution, 0)["state"]!.GetValue<string>().ShouldBe("skipped");
        EngineTestKit.ActionState(execution, 0)["dueTime"].ShouldBeNull();
        EngineTestKit.ActionState(execution, 0)["attempts"]!.GetValue<int>().ShouldBe(0);
        EngineTestKit.ActionState(execution, 1)["state"]!.GetValue<string>().ShouldBe("succeeded");
        (await SubscriberAsync(op, imsi))["status"]!.GetValue<string>().ShouldBe("standby");
    }

    [Fact]
    public async Task ASimActionsChange_IsSeenByOtherHandlers()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var imsi = sim.Imsi();
        await op.CreateHandlerAsync("targetImsi", imsi, "SubscriberMonthlyTrafficRule", MonthlyOver1,
            actions: new JsonArray(Action("ChangeSpeedClassAction", speedClass: "s1.slow")));
        var watcher = await op.CreateHandlerAsync("targetSimId", sim.Str("simId"), "SimSpeedClassAttributeRule",
            """{"targetSpeedClass":"s1.slow","inactiveTimeoutDateConst":"IMMEDIATELY"}""");
        await server.TrafficAsync(op, imsi, EngineTestKit.MiB + 1);
        var seen = (await op.ExecutionsAsync(watcher)).Single()!;
        seen["newValue"]!.GetValue<string>().ShouldBe("s1.slow");
        seen["oldValue"]!.GetValue<string>().ShouldBe("s1.standard");
    }

    /// <summary>A SIM, a handler that fires when it is terminated with <paramref name="actionType"/>, and the termination, drained.</summary>
    private async Task<(ApiClient Op, string SimId, string HandlerId)> TerminatedSimWithHandlerAsync(string actionType)
    {
        var op = await server.NewOperatorAsync();
        var simId = (await op.CreateRegisteredSimAsync()).Str("simId");
        var id = await op.CreateHandlerAsync("targetSimId", simId, "SimStatusAttributeRule",
            """{"targetStatus":"terminated","inactiveTimeoutDateConst":"IMMEDIATELY"}""", actions: new JsonArray(Action(actionType)));
        (await op.PostAsync($"/v1/sims/{simId}/enable_termination")).ShouldBe(HttpStatusCode.OK);
        (await op.PostAsync($"/v1/sims/{simId}/terminate")).ShouldBe(HttpStatusCode.OK);
        await op.DrainAsync();
        return (op, simId, id);
    }

    [Fact]
    public async Task ASimActionTheLifecycleRefuses_IsFailedWithTheReason_AndChangesNothing()
    {
        var (op, simId, id) = await TerminatedSimWithHandlerAsync("ActivationAction");

        var action = EngineTestKit.ActionState((await op.ExecutionsAsync(id)).Single()!, 0);
        action["state"]!.GetValue<string>().ShouldBe("failed");
        action["lastError"]!.GetValue<string>().ShouldStartWith("SEM0003");
        action["attempts"]!.GetValue<int>().ShouldBe(1);
        (await op.GetAsync($"/v1/sims/{simId}")).ShouldBe(HttpStatusCode.OK).Str("status").ShouldBe("terminated");
    }

    [Fact]
    public async Task RetryingAFailedAction_AttemptsItAgain_WithTheSameDeliveryId()
    {
        var (op, _, id) = await TerminatedSimWithHandlerAsync("StandbyAction");
        var execution = (await op.ExecutionsAsync(id)).Single()!;
        var executionId = execution["executionId"]!.GetValue<string>();
        var deliveryId = EngineTestKit.ActionState(execution, 0)["deliveryId"]!.GetValue<string>();

        // The answer is the firing; the new attempt may already have been made by the time it is built.
        var retried = (await op.PostAsync($"/v1/event_handlers/{id}/executions/{executionId}/actions/0/retry")).ShouldBe(HttpStatusCode.OK);
        retried.Str("executionId").ShouldBe(executionId);
        EngineTestKit.ActionState(retried.Json, 0)["state"]!.GetValue<string>().ShouldBeOneOf("scheduled", "failed");
        await op.DrainAsync();
        var again = EngineTestKit.ActionState((await op.ExecutionsAsync(id)).Single()!, 0);
        again["state"]!.GetValue<string>().ShouldBe("failed");
        again["attempts"]!.GetValue<int>().ShouldBe(2);
        again["deliveryId"]!.GetValue<string>().ShouldBe(deliveryId);
    }

    [Fact]
    public async Task Retry_RefusesWhatCannotBeRetried_AndAnswersLikeMissingForOthersExecutions()
    {
        var op = await server.NewOperatorAsync();
        var imsi = (await op.CreateRegisteredSimAsync()).Imsi();
        var id = await op.CreateHandlerAsync("targetImsi", imsi, "SubscriberMonthlyTrafficRule", MonthlyOver1, actions: new JsonArray(
            Action("ActivationAction"), Action("SuspendAction", "NEVER"), Action("StandbyAction", "BEGINNING_OF_NEXT_MONTH")));
        await server.TrafficAsync(op, imsi, EngineTestKit.MiB + 1);
        var executionId = (await op.ExecutionsAsync(id)).Single()!["executionId"]!.GetValue<string>();

        foreach (var index in new[] { 0, 1, 2 })
        {
            (await op.PostAsync($"/v1/event_handlers/{id}/executions/{executionId}/actions/{index}/retry"))
                .ShouldBe(HttpStatusCode.BadRequest, "EHM0021");
        }

        (await op.PostAsync($"/v1/event_handlers/{id}/executions/{executionId}/actions/3/retry")).ShouldBe(HttpStatusCode.NotFound, "EHM0020");
        (await op.PostAsync($"/v1/event_handlers/{id}/executions/999999999/actions/0/retry")).ShouldBe(HttpStatusCode.NotFound, "EHM0020");
        (await op.PostAsync($"/v1/event_handlers/{id}/executions/abc/actions/0/retry")).ShouldBe(HttpStatusCode.NotFound, "EHM0020");
        (await op.PostAsync($"/v1/event_handlers/{id}/executions/{executionId}/actions/-1/retry")).ShouldBe(HttpStatusCode.NotFound, "EHM0020");

        // Another operator's handler and execution look exactly like missing ones.
        var other = await server.NewOperatorAsync();
        var foreign = await other.PostAsync($"/v1/event_handlers/{id}/executions/{executionId}/actions/0/retry");
        var missing = await other.PostAsync($"/v1/event_handlers/no-such-handler/executions/{executionId}/actions/0/retry");
        foreign.ShouldBe(HttpStatusCode.NotFound, "EHM0001");
        missing.ShouldBe(HttpStatusCode.NotFound, "EHM0001");

        // Another handler of the same operator does not reach this execution.
        var second = await op.CreateHandlerAsync("targetImsi", imsi, "SubscriberDailyTrafficRule", """{"limitTotalTrafficMegaByte":"100","inactiveTimeoutDateConst":"NEVER"}""");
        (await op.PostAsync($"/v1/event_handlers/{second}/executions/{executionId}/actions/0/retry")).ShouldBe(HttpStatusCode.NotFound, "EHM0020");
    }

    [Fact]
    public async Task ASimActionOfAGroupTotalFiring_FailsForWantOfOneSim()
    {
        var op = await server.NewOperatorAsync();
        var groupId = await op.CreateGroupAsync();
        var sim = await op.CreateRegisteredSimAsync();
        (await op.PostAsync($"/v1/sims/{sim.Str("simId")}/set_group", new { groupId })).ShouldBe(HttpStatusCode.OK);
        var id = await op.CreateHandlerAsync("targetGroupId", groupId, "DailyTotalTrafficRule",
            """{"limitTotalTrafficMegaByte":"1","inactiveTimeoutDateConst":"BEGINNING_OF_NEXT_DAY"}""", actions: new JsonArray(Action("SuspendAction")));
        await server.TrafficAsync(op, sim.Imsi(), EngineTestKit.MiB + 1);
        var action = EngineTestKit.ActionState((await op.ExecutionsAsync(id)).Single()!, 0);
        action["state"]!.GetValue<string>().ShouldBe("failed");
        action["lastError"]!.GetValue<string>().ShouldContain("not one SIM");
        (await SubscriberAsync(op, sim.Imsi()))["status"]!.GetValue<string>().ShouldBe("ready");
    }
}

public sealed class SimActionTests_Sqlite(SqliteServer server) : SimActionTests(server), IClassFixture<SqliteServer>;

public sealed class SimActionTests_Postgres(PostgresServer server) : SimActionTests(server), IClassFixture<PostgresServer>;
