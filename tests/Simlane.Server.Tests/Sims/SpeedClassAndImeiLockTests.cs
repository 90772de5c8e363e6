using System.Net;
using Simlane.Server.Tests.Infrastructure;

namespace Simlane.Server.Tests.Sims;

/// <summary>update_speed_class, set_imei_lock and unset_imei_lock through /sims and /subscribers.</summary>
public abstract class SpeedClassAndImeiLockTests(ServerFixture server)
{
    [Theory]
    [InlineData("sims", "plan01s", "s1.minimum")]
    [InlineData("sims", "plan01s", "s1.slow")]
    [InlineData("sims", "plan01s", "s1.fast")]
    [InlineData("sims", "plan-D", "s1.4xfast")]
    [InlineData("subscribers", "plan01s", "s1.4xfast")]
    [InlineData("subscribers", "plan-K2", "s1.minimum")]
    [InlineData("sims", "plan-DU", "u1.slow")]
    [InlineData("subscribers", "plan-DU", "u1.slow")]
    public async Task UpdateSpeedClass_ValidForPlan_Answers200AndRecordsHistory(string route, string plan, string speedClass)
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.NewSimAsync(plan);
        var oldClass = (await sim.GetAsync()).Str("speedClass");
        server.Clock.Advance(TimeSpan.FromSeconds(30));

        var response = (await sim.PostAsync(route, "update_speed_class", new { speedClass })).ShouldBe(HttpStatusCode.OK);
        response.Str("speedClass").ShouldBe(speedClass);
        response.Json["lastModifiedTime"]!.GetValue<long>().ShouldBe(server.NowMs());
        if (route == "subscribers")
        {
            response.Str("type").ShouldBe(speedClass);
        }

        (await sim.GetAsync()).Str("speedClass").ShouldBe(speedClass);
        var history = await server.HistoryAsync(sim.SimId);
        history.Count.ShouldBe(1);
        history[0].SpeedClass.ShouldBe(speedClass);
        history[0].Status.ShouldBe("ready");
        var events = await server.EventsAsync(sim.SimId);
        events.Where(e => e.Type == "SpeedClassChanged").ShouldAllBe(e => e.OldValue == oldClass && e.NewValue == speedClass);
        events.Count(e => e.Type == "SpeedClassChanged").ShouldBe(2);
    }

    [Theory]
    [InlineData("sims", "plan01s", "u1.slow")]
    [InlineData("subscribers", "plan01s", "u1.standard")]
    [InlineData("sims", "plan01s", "s1.8xfast")]
    [InlineData("subscribers", "plan-DU", "s1.fast")]
    [InlineData("sims", "plan-KM1", "s1.standard")]
    public async Task UpdateSpeedClass_InvalidForPlan_Answers400AndChangesNothing(string route, string plan, string speedClass)
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.NewSimAsync(plan);
        var before = await server.SnapshotAsync(sim);
        server.Clock.Advance(TimeSpan.FromSeconds(30));

        (await sim.PostAsync(route, "update_speed_class", new { speedClass })).ShouldBe(HttpStatusCode.BadRequest, "SEM0007");
        (await server.SnapshotAsync(sim)).ShouldBe(before);
    }

    [Theory]
    [MemberData(nameof(SimTestKit.Routes), MemberType = typeof(SimTestKit))]
    public async Task UpdateSpeedClass_UnknownValue_Answers400(string route)
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.NewSimAsync();
        var before = await server.SnapshotAsync(sim);

        (await sim.PostAsync(route, "update_speed_class", new { speedClass = "s1.warp" })).ShouldBe(HttpStatusCode.BadRequest, "COM0004");
        (await sim.PostAsync(route, "update_speed_class", new { speedClass = "t1.standard" })).ShouldBe(HttpStatusCode.BadRequest, "COM0004");
        (await server.SnapshotAsync(sim)).ShouldBe(before);
    }

    [Theory]
    [MemberData(nameof(SimTestKit.Routes), MemberType = typeof(SimTestKit))]
    public async Task UpdateSpeedClass_MissingSpeedClass_Answers400(string route)
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.NewSimAsync();

        var response = (await sim.PostAsync(route, "update_speed_class", new { })).ShouldBe(HttpStatusCode.BadRequest, "COM0002");
        response.Str("message").ShouldContain("speedClass");
        (await sim.PostAsync(route, "update_speed_class")).ShouldBe(HttpStatusCode.BadRequest, "COM0002");
        (await sim.GetAsync()).Str("speedClass").ShouldBe("s1.standard");
    }

    [Theory]
    [MemberData(nameof(SimTestKit.Routes), MemberType = typeof(SimTestKit))]
    public async Task UpdateSpeedClass_SameClass_Answers200AndWritesNothing(string route)
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.NewSimAsync();
        var before = await server.SnapshotAsync(sim);
        server.Clock.Advance(TimeSpan.FromSeconds(30));

        (await sim.PostAsync(route, "update_speed_class", new { speedClass = "s1.standard" })).ShouldBe(HttpStatusCode.OK).Str("speedClass").ShouldBe("s1.standard");
        (await server.SnapshotAsync(sim)).ShouldBe(before);
    }

    [Theory]
    [InlineData("sims", "123456789012345")]
    [InlineData("subscribers", "123456789012345")]
    [InlineData("sims", "353456789012345|ANONYMOUS")]
    [InlineData("subscribers", "000000000000000|ANONYMOUS")]
    public async Task SetImeiLock_ValidImei_LocksAndRecordsEvent(string route, string imei)
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.NewSimAsync();
        server.Clock.Advance(TimeSpan.FromSeconds(30));

        var response = (await sim.PostAsync(route, "set_imei_lock", new { imei })).ShouldBe(HttpStatusCode.OK);
        response.Json["imeiLock"]!["imei"]!.GetValue<string>().ShouldBe(imei);
        response.Json["lastModifiedTime"]!.GetValue<long>().ShouldBe(server.NowMs());
        (await sim.GetAsync()).Json["imeiLock"]!["imei"]!.GetValue<string>().ShouldBe(imei);
        var events = (await server.EventsAsync(sim.SimId)).Where(e => e.Type == "ImeiLockChanged").ToList();
        events.Count.ShouldBe(2);
        events.ShouldAllBe(e => e.OldValue == null && e.NewValue == imei);

        // Same lock again: 200, nothing written.
        var before = await server.SnapshotAsync(sim);
        server.Clock.Advance(TimeSpan.FromSeconds(30));
        (await sim.PostAsync(route, "set_imei_lock", new { imei })).ShouldBe(HttpStatusCode.OK);
        (await server.SnapshotAsync(sim)).ShouldBe(before);
    }

    [Theory]
    [InlineData("sims", "12345678901234")]
    [InlineData("sims", "1234567890123456")]
    [InlineData("subscribers", "12345678901234a")]
    [InlineData("subscribers", "123456789012345|anonymous")]
    [InlineData("sims", "123456789012345|")]
    [InlineData("sims", " 123456789012345")]
    [InlineData("subscribers", "")]
    public async Task SetImeiLock_MalformedImei_Answers400AndChangesNothing(string route, string imei)
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.NewSimAsync();
        var before = await server.SnapshotAsync(sim);

        (await sim.PostAsync(route, "set_imei_lock", new { imei })).ShouldBe(HttpStatusCode.BadRequest, "SEM0008");
        (await server.SnapshotAsync(sim)).ShouldBe(before);
    }

    [Theory]
    [MemberData(nameof(SimTestKit.Routes), MemberType = typeof(SimTestKit))]
    public async Task SetImeiLock_NoImeiWhileOffline_Answers400(string route)
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.NewSimInStatusAsync("active");
        var before = await server.SnapshotAsync(sim);

        (await sim.PostAsync(route, "set_imei_lock")).ShouldBe(HttpStatusCode.BadRequest, "SEM0009");
        (await sim.PostAsync(route, "set_imei_lock", new { })).ShouldBe(HttpStatusCode.BadRequest, "SEM0009");
        (await server.SnapshotAsync(sim)).ShouldBe(before);
    }

    [Theory]
    [MemberData(nameof(SimTestKit.Routes), MemberType = typeof(SimTestKit))]
    public async Task UnsetImeiLock_Locked_ClearsLockAndRecordsEvent(string route)
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.NewSimAsync();
        (await sim.PostAsync(route, "set_imei_lock", new { imei = "123456789012345" })).ShouldBe(HttpStatusCode.OK);
        server.Clock.Advance(TimeSpan.FromSeconds(30));

        var response = (await sim.PostAsync(route, "unset_imei_lock")).ShouldBe(HttpStatusCode.OK);
        response.Json["imeiLock"].ShouldBeNull();
        response.Json["lastModifiedTime"]!.GetValue<long>().ShouldBe(server.NowMs());
        (await sim.GetAsync()).Json["imeiLock"].ShouldBeNull();
        var events = (await server.EventsAsync(sim.SimId)).Where(e => e.Type == "ImeiLockChanged").ToList();
        events.Count.ShouldBe(4);
        events.Skip(2).ShouldAllBe(e => e.OldValue == "123456789012345" && e.NewValue == null);

        // Not locked any more: 200, nothing written.
        var before = await server.SnapshotAsync(sim);
        server.Clock.Advance(TimeSpan.FromSeconds(30));
        (await sim.PostAsync(route, "unset_imei_lock")).ShouldBe(HttpStatusCode.OK).Json["imeiLock"].ShouldBeNull();
        (await server.SnapshotAsync(sim)).ShouldBe(before);
    }
}

public sealed class SpeedClassAndImeiLockTests_Sqlite(SqliteServer server) : SpeedClassAndImeiLockTests(server), IClassFixture<SqliteServer>;

public sealed class SpeedClassAndImeiLockTests_Postgres(PostgresServer server) : SpeedClassAndImeiLockTests(server), IClassFixture<PostgresServer>;
