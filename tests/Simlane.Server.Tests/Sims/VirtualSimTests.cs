using System.Net;
using Simlane.Server.Tests.Infrastructure;

namespace Simlane.Server.Tests.Sims;

/// <summary>POST /v1/sims (createSim) and what virtual SIMs may and may not do.</summary>
public abstract class VirtualSimTests(ServerFixture server)
{
    [Fact]
    public async Task CreateSim_Virtual_Answers201ActiveVirtualSim()
    {
        var op = await server.NewOperatorAsync();
        var created = (await op.PostAsync("/v1/sims", new { type = "virtual", subscription = "planArc01" })).ShouldBe(HttpStatusCode.Created);

        var simId = created.Str("simId");
        simId.Length.ShouldBe(19);
        created.Str("status").ShouldBe("active");
        created.Str("type").ShouldBe("virtual");
        created.Str("operatorId").ShouldBe(op.OperatorId);
        created.Json["createdTime"]!.GetValue<long>().ShouldBe(server.NowMs());
        created.Json["terminationEnabled"]!.GetValue<bool>().ShouldBeFalse();
        var imsi = created.Json["profiles"]![simId]!["primaryImsi"]!.GetValue<string>();
        created.Json["profiles"]![simId]!["subscribers"]![imsi]!["subscription"]!.GetValue<string>().ShouldBe("planArc01");

        (await op.GetAsync($"/v1/sims/{simId}")).ShouldBe(HttpStatusCode.OK).Str("type").ShouldBe("virtual");
        (await op.GetAsync($"/v1/subscribers/{imsi}")).ShouldBe(HttpStatusCode.OK).Str("status").ShouldBe("active");
        (await (await server.NewOperatorAsync()).GetAsync($"/v1/sims/{simId}")).ShouldBe(HttpStatusCode.NotFound, "SEM0001");
    }

    [Theory]
    [InlineData("{\"type\":\"uicc\",\"subscription\":\"planArc01\"}", "COM0004")]
    [InlineData("{\"type\":\"virtual\",\"subscription\":\"plan01s\"}", "COM0004")]
    [InlineData("{\"subscription\":\"planArc01\"}", "COM0002")]
    [InlineData("{\"type\":\"virtual\"}", "COM0002")]
    [InlineData("{}", "COM0002")]
    [InlineData("", "COM0002")]
    [InlineData("{\"type\":1,\"subscription\":\"planArc01\"}", "COM0001")]
    public async Task CreateSim_BadBody_Answers400(string body, string code)
    {
        var op = await server.NewOperatorAsync();
        (await op.SendRawAsync(HttpMethod.Post, "/v1/sims", body)).ShouldBe(HttpStatusCode.BadRequest, code);
    }

    [Theory]
    [InlineData("sims", "deactivate")]
    [InlineData("subscribers", "deactivate")]
    [InlineData("sims", "set_to_standby")]
    [InlineData("subscribers", "suspend")]
    public async Task StatusAction_VirtualSimToNonActiveStatus_Answers400AndChangesNothing(string route, string action)
    {
        var op = await server.NewOperatorAsync();
        var sim = await NewVirtualAsync(op);
        var before = await server.SnapshotAsync(sim);

        (await sim.PostAsync(route, action)).ShouldBe(HttpStatusCode.BadRequest, "SEM0005");
        (await server.SnapshotAsync(sim)).ShouldBe(before);
    }

    [Theory]
    [MemberData(nameof(SimTestKit.Routes), MemberType = typeof(SimTestKit))]
    public async Task Terminate_VirtualSim_RefusedUntilTerminationEnabled(string route)
    {
        var op = await server.NewOperatorAsync();
        var sim = await NewVirtualAsync(op);

        (await sim.PostAsync(route, "activate")).ShouldBe(HttpStatusCode.OK).Str("status").ShouldBe("active");
        (await sim.PostAsync(route, "terminate")).ShouldBe(HttpStatusCode.BadRequest, "SEM0004");
        (await sim.PostAsync(route, "enable_termination")).ShouldBe(HttpStatusCode.OK);
        (await sim.PostAsync(route, "terminate")).ShouldBe(HttpStatusCode.OK).Str("status").ShouldBe("terminated");
        (await sim.StatusAsync()).ShouldBe("terminated");
        (await sim.PostAsync(route, "activate")).ShouldBe(HttpStatusCode.BadRequest, "SEM0003");
    }

    [Theory]
    [MemberData(nameof(SimTestKit.Routes), MemberType = typeof(SimTestKit))]
    public async Task UpdateSpeedClass_VirtualSim_Answers400(string route)
    {
        var op = await server.NewOperatorAsync();
        var sim = await NewVirtualAsync(op);
        (await sim.PostAsync(route, "update_speed_class", new { speedClass = "s1.fast" })).ShouldBe(HttpStatusCode.BadRequest, "SEM0007");
    }

    private static async Task<TestSim> NewVirtualAsync(ApiClient op)
    {
        var created = (await op.PostAsync("/v1/sims", new { type = "virtual", subscription = "planArc01" })).ShouldBe(HttpStatusCode.Created);
        var simId = created.Str("simId");
        return new TestSim(op, simId, created.Json["profiles"]![simId]!["primaryImsi"]!.GetValue<string>());
    }
}

public sealed class VirtualSimTests_Sqlite(SqliteServer server) : VirtualSimTests(server), IClassFixture<SqliteServer>;

public sealed class VirtualSimTests_Postgres(PostgresServer server) : VirtualSimTests(server), IClassFixture<PostgresServer>;
