using System.Net;
using Simlane.Server.Tests.Infrastructure;

namespace Simlane.Server.Tests.Sims;

/// <summary>activate / deactivate / set_to_standby / suspend / terminate through /sims and /subscribers.</summary>
public abstract class StatusTransitionTests(ServerFixture server)
{
    public static TheoryData<string, string, string, string> AllowedMoves()
    {
        var data = new TheoryData<string, string, string, string>();
        (string From, string Action, string To)[] moves =
        [
            ("ready", "activate", "active"), ("ready", "deactivate", "inactive"), ("ready", "set_to_standby", "standby"), ("ready", "suspend", "suspended"),
            ("active", "deactivate", "inactive"), ("active", "set_to_standby", "standby"), ("active", "suspend", "suspended"),
            ("inactive", "activate", "active"), ("inactive", "set_to_standby", "standby"), ("inactive", "suspend", "suspended"),
            ("standby", "activate", "active"), ("standby", "deactivate", "inactive"), ("standby", "suspend", "suspended"),
            ("suspended", "activate", "active"), ("suspended", "deactivate", "inactive"),
        ];
        foreach (var route in new[] { "sims", "subscribers" })
        {
            foreach (var (from, action, to) in moves)
            {
                data.Add(route, from, action, to);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllowedMoves))]
    public async Task StatusAction_AllowedMove_Answers200AndRecordsHistoryAndEvent(string route, string from, string action, string to)
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.NewSimInStatusAsync(from);
        var historyBefore = (await server.HistoryAsync(sim.SimId)).Count;
        var eventsBefore = (await server.EventsAsync(sim.SimId)).Count;
        server.Clock.Advance(TimeSpan.FromSeconds(90));

        var response = (await sim.PostAsync(route, action)).ShouldBe(HttpStatusCode.OK);
        response.Str("status").ShouldBe(to);
        response.Json["lastModifiedTime"]!.GetValue<long>().ShouldBe(server.NowMs());
        if (route == "subscribers")
        {
            response.Str("imsi").ShouldBe(sim.Imsi);
            response.Json["lastModifiedAt"]!.GetValue<long>().ShouldBe(server.NowMs());
        }
        else
        {
            response.Str("simId").ShouldBe(sim.SimId);
            // SimplifiedSubscriber's enum has no inactive/standby/suspended: the subscription stays "active" (S8).
            var subscription = to is "inactive" or "standby" or "suspended" ? "active" : to;
            response.Json["profiles"]![sim.SimId]!["subscribers"]![sim.Imsi]!["status"]!.GetValue<string>().ShouldBe(subscription);
        }

        (await sim.StatusAsync()).ShouldBe(to);
        var history = await server.HistoryAsync(sim.SimId);
        history.Count.ShouldBe(historyBefore + 1);
        history[^1].Status.ShouldBe(to);
        history[^1].AppliedTime.ShouldBe(server.NowMs());
        var events = (await server.EventsAsync(sim.SimId)).Skip(eventsBefore).ToList();
        events.Count.ShouldBe(2);
        events.ShouldAllBe(e => e.Type == "StatusChanged" && e.OldValue == from && e.NewValue == to && e.OccurredTime == server.NowMs());
    }

    [Theory]
    [InlineData("sims", "standby")]
    [InlineData("sims", "suspended")]
    [InlineData("subscribers", "standby")]
    [InlineData("subscribers", "suspended")]
    public async Task StatusAction_ToStandbyOrSuspended_SetsRenewalFeeStatusSetTime(string route, string target)
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.NewSimInStatusAsync("active");
        server.Clock.Advance(TimeSpan.FromMinutes(5));
        var action = target == "standby" ? "set_to_standby" : "suspend";
        (await sim.PostAsync(route, action)).ShouldBe(HttpStatusCode.OK).Json["renewalFeeStatusSetTime"]!.GetValue<long>().ShouldBe(server.NowMs());
    }

    [Theory]
    [InlineData("sims", "ready", "activate")]
    [InlineData("sims", "active", "activate")]
    [InlineData("sims", "inactive", "deactivate")]
    [InlineData("sims", "standby", "set_to_standby")]
    [InlineData("sims", "suspended", "suspend")]
    [InlineData("subscribers", "active", "activate")]
    [InlineData("subscribers", "inactive", "deactivate")]
    [InlineData("subscribers", "standby", "set_to_standby")]
    [InlineData("subscribers", "suspended", "suspend")]
    public async Task StatusAction_SameStatus_Answers200AndWritesNothing(string route, string status, string action)
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.NewSimInStatusAsync(status);
        var expected = status == "ready" ? "active" : status;
        if (status == "ready")
        {
            (await sim.PostAsync(route, action)).ShouldBe(HttpStatusCode.OK);
        }

        var before = await server.SnapshotAsync(sim);
        server.Clock.Advance(TimeSpan.FromMinutes(1));

        (await sim.PostAsync(route, action)).ShouldBe(HttpStatusCode.OK).Str("status").ShouldBe(expected);
        (await server.SnapshotAsync(sim)).ShouldBe(before);
    }

    [Theory]
    [MemberData(nameof(SimTestKit.Routes), MemberType = typeof(SimTestKit))]
    public async Task SetToStandby_FromSuspended_Answers400AndChangesNothing(string route)
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.NewSimInStatusAsync("suspended");
        var before = await server.SnapshotAsync(sim);
        server.Clock.Advance(TimeSpan.FromMinutes(1));

        (await sim.PostAsync(route, "set_to_standby")).ShouldBe(HttpStatusCode.BadRequest, "SEM0005");
        (await server.SnapshotAsync(sim)).ShouldBe(before);
    }

    [Theory]
    [InlineData("sims", "plan-D")]
    [InlineData("sims", "plan-K")]
    [InlineData("sims", "plan-DU")]
    [InlineData("subscribers", "plan-D")]
    [InlineData("subscribers", "plan-K")]
    [InlineData("subscribers", "plan-DU")]
    public async Task SetToStandby_PlanWithoutStandby_Answers400AndChangesNothing(string route, string plan)
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.NewSimInStatusAsync("active", plan);
        var before = await server.SnapshotAsync(sim);
        server.Clock.Advance(TimeSpan.FromMinutes(1));

        (await sim.PostAsync(route, "set_to_standby")).ShouldBe(HttpStatusCode.BadRequest, "SEM0006");
        (await server.SnapshotAsync(sim)).ShouldBe(before);
    }

    [Theory]
    [InlineData("sims", "plan-K2")]
    [InlineData("subscribers", "planX3")]
    public async Task SetToStandby_PlanWithStandby_Answers200(string route, string plan)
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.NewSimInStatusAsync("active", plan);
        (await sim.PostAsync(route, "set_to_standby")).ShouldBe(HttpStatusCode.OK).Str("status").ShouldBe("standby");
    }

    [Theory]
    [InlineData("sims", "ready")]
    [InlineData("sims", "active")]
    [InlineData("subscribers", "inactive")]
    [InlineData("subscribers", "standby")]
    [InlineData("subscribers", "suspended")]
    public async Task Terminate_ProtectionOn_Answers400AndChangesNothing(string route, string status)
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.NewSimInStatusAsync(status);
        var before = await server.SnapshotAsync(sim);
        server.Clock.Advance(TimeSpan.FromMinutes(1));

        (await sim.PostAsync(route, "terminate")).ShouldBe(HttpStatusCode.BadRequest, "SEM0004");
        (await server.SnapshotAsync(sim)).ShouldBe(before);
    }

    [Theory]
    [InlineData("sims", "ready")]
    [InlineData("sims", "active")]
    [InlineData("sims", "suspended")]
    [InlineData("subscribers", "inactive")]
    [InlineData("subscribers", "standby")]
    [InlineData("subscribers", "active")]
    public async Task Terminate_ProtectionOff_TerminatesFromAnyStatus(string route, string status)
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.NewSimInStatusAsync(status);
        (await sim.PostAsync(route, "enable_termination")).ShouldBe(HttpStatusCode.OK).Json["terminationEnabled"]!.GetValue<bool>().ShouldBeTrue();
        server.Clock.Advance(TimeSpan.FromMinutes(1));

        var response = (await sim.PostAsync(route, "terminate")).ShouldBe(HttpStatusCode.OK);
        response.Str("status").ShouldBe("terminated");
        response.Json["lastModifiedTime"]!.GetValue<long>().ShouldBe(server.NowMs());
        (await server.HistoryAsync(sim.SimId))[^1].Status.ShouldBe("terminated");
        (await server.EventsAsync(sim.SimId))[^1].NewValue.ShouldBe("terminated");
    }

    [Theory]
    [MemberData(nameof(SimTestKit.Routes), MemberType = typeof(SimTestKit))]
    public async Task EnableAndDisableTermination_ToggleTerminationEnabled(string route)
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.NewSimAsync();
        server.Clock.Advance(TimeSpan.FromMinutes(1));

        var enabled = (await sim.PostAsync(route, "enable_termination")).ShouldBe(HttpStatusCode.OK);
        enabled.Json["terminationEnabled"]!.GetValue<bool>().ShouldBeTrue();
        enabled.Json["lastModifiedTime"]!.GetValue<long>().ShouldBe(server.NowMs());
        (await sim.GetAsync()).Json["terminationEnabled"]!.GetValue<bool>().ShouldBeTrue();

        var before = await server.SnapshotAsync(sim);
        server.Clock.Advance(TimeSpan.FromMinutes(1));
        (await sim.PostAsync(route, "enable_termination")).ShouldBe(HttpStatusCode.OK).Json["terminationEnabled"]!.GetValue<bool>().ShouldBeTrue();
        (await server.SnapshotAsync(sim)).ShouldBe(before);

        (await sim.PostAsync(route, "disable_termination")).ShouldBe(HttpStatusCode.OK).Json["terminationEnabled"]!.GetValue<bool>().ShouldBeFalse();
        (await sim.PostAsync(route, "terminate")).ShouldBe(HttpStatusCode.BadRequest, "SEM0004");
        (await sim.StatusAsync()).ShouldBe("ready");
    }
}

public sealed class StatusTransitionTests_Sqlite(SqliteServer server) : StatusTransitionTests(server), IClassFixture<SqliteServer>;

public sealed class StatusTransitionTests_Postgres(PostgresServer server) : StatusTransitionTests(server), IClassFixture<PostgresServer>;
