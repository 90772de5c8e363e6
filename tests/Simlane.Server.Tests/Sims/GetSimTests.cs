using System.Net;
using Simlane.Server.Tests.Infrastructure;

namespace Simlane.Server.Tests.Sims;

/// <summary>getSim / getSubscriber, and that another operator's SIM is indistinguishable from a missing one.</summary>
public abstract class GetSimTests(ServerFixture server)
{
    [Fact]
    public async Task GetSim_OwnSim_ReturnsSimView()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.NewSimAsync();

        var got = await sim.GetAsync();
        got.Str("simId").ShouldBe(sim.SimId);
        got.Str("operatorId").ShouldBe(op.OperatorId);
        got.Str("status").ShouldBe("ready");
        got.Str("speedClass").ShouldBe("s1.standard");
        got.Str("type").ShouldBe("uicc");
        got.Str("activeProfileId").ShouldBe(sim.SimId);
        got.Json["terminationEnabled"]!.GetValue<bool>().ShouldBeFalse();
        got.Json["imeiLock"].ShouldBeNull();
        got.Json["groupId"].ShouldBeNull();
        got.Json["tags"]!["name"]!.GetValue<string>().ShouldBe("");
        var profile = got.Json["profiles"]![sim.SimId]!;
        profile["primaryImsi"]!.GetValue<string>().ShouldBe(sim.Imsi);
        profile["subscribers"]![sim.Imsi]!["subscription"]!.GetValue<string>().ShouldBe("plan01s");
        profile["subscribers"]![sim.Imsi]!["status"]!.GetValue<string>().ShouldBe("ready");
        got.Json["createdTime"]!.GetValue<long>().ShouldBe(server.NowMs());
    }

    [Fact]
    public async Task GetSubscriber_OwnImsi_ReturnsSubscriberView()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.NewSimAsync();

        var got = (await op.GetAsync($"/v1/subscribers/{sim.Imsi}")).ShouldBe(HttpStatusCode.OK);
        got.Str("imsi").ShouldBe(sim.Imsi);
        got.Str("simId").ShouldBe(sim.SimId);
        got.Str("iccid").ShouldBe(sim.SimId);
        got.Str("operatorId").ShouldBe(op.OperatorId);
        got.Str("status").ShouldBe("ready");
        got.Str("subscription").ShouldBe("plan01s");
        got.Str("apn").ShouldBe("soracom.io");
        got.Json["registeredTime"]!.GetValue<long>().ShouldBe(server.NowMs());
    }

    [Fact]
    public async Task GetSim_UnknownId_Answers404()
    {
        var op = await server.NewOperatorAsync();
        (await op.GetAsync($"/v1/sims/{SimTestKit.UnknownSimId}")).ShouldBe(HttpStatusCode.NotFound, "SEM0001");
    }

    [Fact]
    public async Task GetSubscriber_UnknownImsi_Answers404()
    {
        var op = await server.NewOperatorAsync();
        (await op.GetAsync($"/v1/subscribers/{SimTestKit.UnknownImsi}")).ShouldBe(HttpStatusCode.NotFound, "SEM0002");
    }

    [Fact]
    public async Task GetSim_OtherOperatorsSim_AnswersExactlyLikeMissing()
    {
        var owner = await server.NewOperatorAsync();
        var sim = await owner.NewSimAsync();
        var stranger = await server.NewOperatorAsync();

        var foreign = await stranger.GetAsync($"/v1/sims/{sim.SimId}");
        var missing = await stranger.GetAsync($"/v1/sims/{SimTestKit.UnknownSimId}");
        ShouldLookTheSame(foreign, sim.SimId, missing, SimTestKit.UnknownSimId);
        foreign.ShouldBe(HttpStatusCode.NotFound, "SEM0001");
    }

    [Fact]
    public async Task GetSubscriber_OtherOperatorsImsi_AnswersExactlyLikeMissing()
    {
        var owner = await server.NewOperatorAsync();
        var sim = await owner.NewSimAsync();
        var stranger = await server.NewOperatorAsync();

        var foreign = await stranger.GetAsync($"/v1/subscribers/{sim.Imsi}");
        var missing = await stranger.GetAsync($"/v1/subscribers/{SimTestKit.UnknownImsi}");
        ShouldLookTheSame(foreign, sim.Imsi, missing, SimTestKit.UnknownImsi);
        foreign.ShouldBe(HttpStatusCode.NotFound, "SEM0002");
    }

    [Theory]
    [MemberData(nameof(SimTestKit.Routes), MemberType = typeof(SimTestKit))]
    public async Task Actions_OnOtherOperatorsSim_AnswerLikeMissingAndChangeNothing(string route)
    {
        var owner = await server.NewOperatorAsync();
        var sim = await owner.NewSimAsync();
        var before = await server.SnapshotAsync(sim);
        var stranger = await server.NewOperatorAsync();
        var foreignSim = sim with { Op = stranger };
        var missingSim = new TestSim(stranger, SimTestKit.UnknownSimId, SimTestKit.UnknownImsi);
        var id = route == "sims" ? sim.SimId : sim.Imsi;
        var missingId = route == "sims" ? SimTestKit.UnknownSimId : SimTestKit.UnknownImsi;

        (string Action, object? Body)[] calls =
        [
            ("activate", null), ("deactivate", null), ("set_to_standby", null), ("suspend", null), ("terminate", null),
            ("enable_termination", null), ("disable_termination", null), ("update_speed_class", new { speedClass = "s1.fast" }),
            ("set_imei_lock", new { imei = "123456789012345" }), ("unset_imei_lock", null),
        ];
        foreach (var (action, body) in calls)
        {
            ShouldLookTheSame(await foreignSim.PostAsync(route, action, body), id, await missingSim.PostAsync(route, action, body), missingId);
        }

        var tags = new[] { new { tagName = "a", tagValue = "b" } };
        ShouldLookTheSame(await stranger.PutAsync(foreignSim.Url(route, "tags"), tags), id, await stranger.PutAsync(missingSim.Url(route, "tags"), tags), missingId);
        ShouldLookTheSame(await stranger.DeleteAsync(foreignSim.Url(route, "tags/name")), id, await stranger.DeleteAsync(missingSim.Url(route, "tags/name")), missingId);
        if (route == "sims")
        {
            ShouldLookTheSame(await stranger.GetAsync(foreignSim.Url(route, "statuses/history")), id, await stranger.GetAsync(missingSim.Url(route, "statuses/history")), missingId);
        }

        (await server.SnapshotAsync(sim)).ShouldBe(before);
    }

    private static void ShouldLookTheSame(ApiResponse foreign, string foreignId, ApiResponse missing, string missingId)
    {
        missing.Status.ShouldBe(HttpStatusCode.NotFound, missing.Text);
        foreign.Status.ShouldBe(missing.Status, foreign.Text);
        foreign.Str("code").ShouldBe(missing.Str("code"));
        foreign.Str("message").Replace(foreignId, "<id>", StringComparison.Ordinal)
            .ShouldBe(missing.Str("message").Replace(missingId, "<id>", StringComparison.Ordinal));
    }
}

public sealed class GetSimTests_Sqlite(SqliteServer server) : GetSimTests(server), IClassFixture<SqliteServer>;

public sealed class GetSimTests_Postgres(PostgresServer server) : GetSimTests(server), IClassFixture<PostgresServer>;
