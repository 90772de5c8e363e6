using System.Net;
using Simlane.Server.Tests.Infrastructure;

namespace Simlane.Server.Tests.Groups;

/// <summary>set_group / unset_group through both the SIM and the subscriber routes.</summary>
public abstract class GroupMembershipTests(ServerFixture server)
{
    private static async Task<string> CreateGroupAsync(ApiClient op) =>
        (await op.PostAsync("/v1/groups", new { })).ShouldBe(HttpStatusCode.Created).Str("groupId");

    private static string Imsi(ApiResponse sim) => sim.Json["sessionStatus"]!["imsi"]!.GetValue<string>();

    [Fact]
    public async Task SetSimGroup_ThenUnset_ChangesGroupIdAndLastModifiedTime()
    {
        var op = await server.NewOperatorAsync();
        var groupId = await CreateGroupAsync(op);
        var simId = (await op.CreateRegisteredSimAsync()).Str("simId");
        server.Clock.Advance(TimeSpan.FromSeconds(2));

        var set = (await op.PostAsync($"/v1/sims/{simId}/set_group", new { groupId })).ShouldBe(HttpStatusCode.OK);
        set.Str("groupId").ShouldBe(groupId);
        set.Json["lastModifiedTime"]!.GetValue<long>().ShouldBe(server.Clock.GetUtcNow().ToUnixTimeMilliseconds());

        var unset = (await op.PostAsync($"/v1/sims/{simId}/unset_group")).ShouldBe(HttpStatusCode.OK);
        unset.Json["groupId"]?.GetValue<string>().ShouldBeNull();
    }

    [Fact]
    public async Task SetSubscriberGroup_ThenUnset_ReturnsSubscriber()
    {
        var op = await server.NewOperatorAsync();
        var groupId = await CreateGroupAsync(op);
        var sim = await op.CreateRegisteredSimAsync();
        var imsi = Imsi(sim);

        var set = (await op.PostAsync($"/v1/subscribers/{imsi}/set_group", new { groupId })).ShouldBe(HttpStatusCode.OK);
        set.Str("imsi").ShouldBe(imsi);
        set.Str("groupId").ShouldBe(groupId);
        (await op.GetAsync($"/v1/sims/{sim.Str("simId")}")).ShouldBe(HttpStatusCode.OK).Str("groupId").ShouldBe(groupId);

        var unset = (await op.PostAsync($"/v1/subscribers/{imsi}/unset_group")).ShouldBe(HttpStatusCode.OK);
        unset.Json["groupId"]?.GetValue<string>().ShouldBeNull();
    }

    [Fact]
    public async Task SetGroup_UnknownOrForeignGroup_Answers404AndSimUnchanged()
    {
        var op = await server.NewOperatorAsync();
        var other = await server.NewOperatorAsync();
        var foreign = await CreateGroupAsync(other);
        var own = await CreateGroupAsync(op);
        var sim = await op.CreateRegisteredSimAsync();
        var simId = sim.Str("simId");
        var imsi = Imsi(sim);
        (await op.PostAsync($"/v1/sims/{simId}/set_group", new { groupId = own })).ShouldBe(HttpStatusCode.OK);
        var before = (await op.GetAsync($"/v1/sims/{simId}")).ShouldBe(HttpStatusCode.OK).Text;

        foreach (var groupId in new[] { foreign, Guid.NewGuid().ToString() })
        {
            (await op.PostAsync($"/v1/sims/{simId}/set_group", new { groupId })).ShouldBe(HttpStatusCode.NotFound, "GRM0001");
            (await op.PostAsync($"/v1/subscribers/{imsi}/set_group", new { groupId })).ShouldBe(HttpStatusCode.NotFound, "GRM0001");
        }

        (await op.GetAsync($"/v1/sims/{simId}")).ShouldBe(HttpStatusCode.OK).Text.ShouldBe(before);
        (await other.GetAsync($"/v1/groups/{foreign}/subscribers")).ShouldBe(HttpStatusCode.OK).Array.Count.ShouldBe(0);
    }

    [Fact]
    public async Task SetGroup_MissingGroupId_Answers400()
    {
        var op = await server.NewOperatorAsync();
        var simId = (await op.CreateRegisteredSimAsync()).Str("simId");
        (await op.PostAsync($"/v1/sims/{simId}/set_group", new { })).ShouldBe(HttpStatusCode.BadRequest, "COM0002");
    }

    [Fact]
    public async Task UnsetGroup_NotInGroup_SubscriberAnswers404SimAnswers200()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        (await op.PostAsync($"/v1/subscribers/{Imsi(sim)}/unset_group")).ShouldBe(HttpStatusCode.NotFound, "SEM0014");
        (await op.PostAsync($"/v1/sims/{sim.Str("simId")}/unset_group")).ShouldBe(HttpStatusCode.OK).Json["groupId"]?.GetValue<string>().ShouldBeNull();
    }

    [Fact]
    public async Task SetGroup_SuspendedSim_JoinsTheGroup()
    {
        var op = await server.NewOperatorAsync();
        var groupId = await CreateGroupAsync(op);
        var simId = (await op.CreateRegisteredSimAsync()).Str("simId");
        (await op.PostAsync($"/v1/sims/{simId}/suspend")).ShouldBe(HttpStatusCode.OK).Str("status").ShouldBe("suspended");
        var set = (await op.PostAsync($"/v1/sims/{simId}/set_group", new { groupId })).ShouldBe(HttpStatusCode.OK);
        set.Str("groupId").ShouldBe(groupId);
        set.Str("status").ShouldBe("suspended");
    }

    [Fact]
    public async Task SetGroup_TerminatedSim_Answers400()
    {
        var op = await server.NewOperatorAsync();
        var groupId = await CreateGroupAsync(op);
        var sim = await op.CreateRegisteredSimAsync();
        var simId = sim.Str("simId");
        (await op.PostAsync($"/v1/sims/{simId}/enable_termination")).ShouldBe(HttpStatusCode.OK);
        (await op.PostAsync($"/v1/sims/{simId}/terminate")).ShouldBe(HttpStatusCode.OK);

        (await op.PostAsync($"/v1/sims/{simId}/set_group", new { groupId })).ShouldBe(HttpStatusCode.BadRequest, "SEM0003");
        (await op.PostAsync($"/v1/subscribers/{Imsi(sim)}/set_group", new { groupId })).ShouldBe(HttpStatusCode.BadRequest, "SEM0003");
        (await op.PostAsync($"/v1/sims/{simId}/unset_group")).ShouldBe(HttpStatusCode.BadRequest, "SEM0003");
        (await op.GetAsync($"/v1/sims/{simId}")).ShouldBe(HttpStatusCode.OK).Json["groupId"]?.GetValue<string>().ShouldBeNull();
    }

    [Fact]
    public async Task SetGroup_ForeignSim_Answers404()
    {
        var op = await server.NewOperatorAsync();
        var other = await server.NewOperatorAsync();
        var groupId = await CreateGroupAsync(op);
        var foreignSim = await other.CreateRegisteredSimAsync();
        (await op.PostAsync($"/v1/sims/{foreignSim.Str("simId")}/set_group", new { groupId })).ShouldBe(HttpStatusCode.NotFound, "SEM0001");
        (await op.PostAsync($"/v1/subscribers/{Imsi(foreignSim)}/set_group", new { groupId })).ShouldBe(HttpStatusCode.NotFound, "SEM0002");
    }
}

public sealed class GroupMembershipTests_Sqlite(SqliteServer server) : GroupMembershipTests(server), IClassFixture<SqliteServer>;

public sealed class GroupMembershipTests_Postgres(PostgresServer server) : GroupMembershipTests(server), IClassFixture<PostgresServer>;
