using System.Net;
using Simlane.Server.Tests.Infrastructure;

namespace Simlane.Server.Tests.Usage;

/// <summary>
/// Group totals accrue to the group the SIM belonged to when the traffic happened, also for records that
/// arrive after the SIM changed group. Its own class: it moves the sandbox clock.
/// </summary>
public abstract class GroupAttributionTests(ServerFixture server)
{
    private static async Task<long> NowSecondsAsync(ApiClient op) =>
        (await op.GetAsync("/v1/sandbox/clock")).ShouldBe(HttpStatusCode.OK).Json["now"]!.GetValue<long>() / 1000;

    private static async Task AdvanceAsync(ApiClient op, long seconds) =>
        (await op.PostAsync("/v1/sandbox/clock", new { advanceSeconds = seconds })).ShouldBe(HttpStatusCode.OK);

    [Fact]
    public async Task PostUsage_GroupChanged_TrafficCountsForTheGroupAtItsOwnTime_EvenWhenLate()
    {
        var op = await server.NewOperatorAsync();
        var groupA = await op.CreateGroupAsync();
        var groupB = await op.CreateGroupAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var simId = sim.Str("simId");
        var gateway = server.Gateway();

        var t0 = await NowSecondsAsync(op);
        (await op.PostAsync($"/v1/sims/{simId}/set_group", new { groupId = groupA })).ShouldBe(HttpStatusCode.OK);
        await AdvanceAsync(op, 60);
        (await gateway.PostUsageAsync(UsageTestHelpers.Record(sim.Imsi(), t0 + 30, 100, 200))).ShouldBe(HttpStatusCode.OK);

        (await op.PostAsync($"/v1/sims/{simId}/set_group", new { groupId = groupB })).ShouldBe(HttpStatusCode.OK); // at t0 + 60
        await AdvanceAsync(op, 60);
        (await gateway.PostUsageAsync(
            UsageTestHelpers.Record(sim.Imsi(), t0 + 90, 1, 2),
            UsageTestHelpers.Record(sim.Imsi(), t0 + 40, 10, 20))).ShouldBe(HttpStatusCode.OK); // late, from group A's time

        (await op.PostAsync($"/v1/sims/{simId}/unset_group")).ShouldBe(HttpStatusCode.OK); // at t0 + 120
        await AdvanceAsync(op, 60);
        (await gateway.PostUsageAsync(
            UsageTestHelpers.Record(sim.Imsi(), t0 + 150, 1000, 1000), // in no group
            UsageTestHelpers.Record(sim.Imsi(), t0 + 100, 3, 4), // late, from group B's time
            UsageTestHelpers.Record(sim.Imsi(), t0 - 10, 5, 6))).ShouldBe(HttpStatusCode.OK); // late, before it joined any group

        var day = t0 - (t0 % 86_400);
        (await op.StatsAsync($"groups/{groupA}", t0, t0, "day")).Buckets().ShouldBe([(day, 110L, 220L)]);
        (await op.StatsAsync($"groups/{groupB}", t0, t0, "day")).Buckets().ShouldBe([(day, 4L, 6L)]);
        (await op.StatsAsync($"operators/{op.OperatorId}", t0, t0, "day")).Buckets().ShouldBe([(day, 1119L, 1232L)]);
    }

    [Fact]
    public async Task PostUsage_TrafficInTheSameSecondAsAGroupChange_CountsForTheNewGroup()
    {
        var op = await server.NewOperatorAsync();
        var group = await op.CreateGroupAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var simId = sim.Str("simId");
        var gateway = server.Gateway();

        // set_group half a second into second t0: traffic stamped t0 is the new group's, t0 - 1 is before it.
        var t0 = await NowSecondsAsync(op) + 10;
        (await op.PostAsync("/v1/sandbox/clock", new { now = (t0 * 1000) + 500 })).ShouldBe(HttpStatusCode.OK);
        (await op.PostAsync($"/v1/sims/{simId}/set_group", new { groupId = group })).ShouldBe(HttpStatusCode.OK);
        (await gateway.PostUsageAsync(
            UsageTestHelpers.Record(sim.Imsi(), t0, 100, 200),
            UsageTestHelpers.Record(sim.Imsi(), t0 - 1, 1, 1))).ShouldBe(HttpStatusCode.OK);

        // unset_group at the last millisecond of second t1: traffic stamped t1 is in no group, t1 - 1 still the group's,
        // also when it arrives later than a record after the change.
        var t1 = t0 + 60;
        (await op.PostAsync("/v1/sandbox/clock", new { now = (t1 * 1000) + 999 })).ShouldBe(HttpStatusCode.OK);
        (await op.PostAsync($"/v1/sims/{simId}/unset_group")).ShouldBe(HttpStatusCode.OK);
        (await gateway.PostUsageAsync(
            UsageTestHelpers.Record(sim.Imsi(), t1, 1000, 1000),
            UsageTestHelpers.Record(sim.Imsi(), t1 - 1, 10, 20))).ShouldBe(HttpStatusCode.OK);

        var day = t0 - (t0 % 86_400);
        (await op.StatsAsync($"groups/{group}", t0, t0, "day")).Buckets().ShouldBe([(day, 110L, 220L)]);
        (await op.StatsAsync($"operators/{op.OperatorId}", t0, t0, "day")).Buckets().ShouldBe([(day, 1111L, 1221L)]);
    }

    [Fact]
    public async Task PostUsage_RegisteredIntoAGroup_ThenMovedThroughTheSubscriberPath_LateTrafficFollowsTheMembership()
    {
        var op = await server.NewOperatorAsync();
        var groupA = await op.CreateGroupAsync();
        var groupB = await op.CreateGroupAsync();
        var gateway = server.Gateway();

        var t0 = await NowSecondsAsync(op);
        var created = await op.CreateSandboxSubscriberAsync(new { subscription = "plan01s" });
        var imsi = created.Str("imsi");
        (await op.PostAsync($"/v1/subscribers/{imsi}/register", new { registrationSecret = created.Str("registrationSecret"), groupId = groupA }))
            .ShouldBe(HttpStatusCode.Created).Str("groupId").ShouldBe(groupA); // joins A at t0
        await AdvanceAsync(op, 60);
        (await op.PostAsync($"/v1/subscribers/{imsi}/set_group", new { groupId = groupB })).ShouldBe(HttpStatusCode.OK); // at t0 + 60
        await AdvanceAsync(op, 60);
        (await op.PostAsync($"/v1/subscribers/{imsi}/unset_group")).ShouldBe(HttpStatusCode.OK); // at t0 + 120
        await AdvanceAsync(op, 60);

        // Every record arrives after every change.
        (await gateway.PostUsageAsync(
            UsageTestHelpers.Record(imsi, t0 + 150, 1000, 1000), // in no group
            UsageTestHelpers.Record(imsi, t0 + 90, 3, 4), // B's time
            UsageTestHelpers.Record(imsi, t0 + 30, 10, 20), // A's time
            UsageTestHelpers.Record(imsi, t0 - 10, 5, 6))).ShouldBe(HttpStatusCode.OK); // before registration: no group

        var day = t0 - (t0 % 86_400);
        (await op.StatsAsync($"groups/{groupA}", t0, t0, "day")).Buckets().ShouldBe([(day, 10L, 20L)]);
        (await op.StatsAsync($"groups/{groupB}", t0, t0, "day")).Buckets().ShouldBe([(day, 3L, 4L)]);
        (await op.StatsAsync($"operators/{op.OperatorId}", t0, t0, "day")).Buckets().ShouldBe([(day, 1018L, 1030L)]);
    }
}

public sealed class GroupAttributionTests_Sqlite(SqliteServer server) : GroupAttributionTests(server), IClassFixture<SqliteServer>;

public sealed class GroupAttributionTests_Postgres(PostgresServer server) : GroupAttributionTests(server), IClassFixture<PostgresServer>;
