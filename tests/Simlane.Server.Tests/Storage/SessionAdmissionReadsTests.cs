using System.Net;
using Microsoft.EntityFrameworkCore;
using Simlane.Core.Sims;
using Simlane.Server.Tests.Infrastructure;
using Simlane.Storage;
using static Simlane.Server.Tests.Gateway.SessionTestKit;

namespace Simlane.Server.Tests.Storage;

/// <summary>
/// <see cref="SessionAdmissionReads"/>, the RADIUS Access-Request's one read: the facts of the registered SIM holding an
/// IMSI, always as of the latest commit although its statements stay prepared on kept connections.
/// </summary>
public abstract class SessionAdmissionReadsTests(ServerFixture server)
{
    private async Task<SessionAdmissionReads> ReadsAsync()
    {
        var database = DatabaseOptions.Parse(server.Database.ConnectionString);
        await using var db = database.CreateContext();
        return new SessionAdmissionReads(database, db.Model);
    }

    [Fact]
    public async Task ARegisteredSim_ReadsItsFacts_ForEachOfItsImsis()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        await using var reads = await ReadsAsync();

        var facts = (await reads.ReadAsync(sim.PrimaryImsi())).ShouldNotBeNull();

        facts.Status.ShouldBe(SimStatusNames.Parse(sim.Str("status"), "status"));
        facts.SpeedClass.ShouldBe(sim.Str("speedClass"));
        facts.IsPrimary.ShouldBeTrue();
        facts.ExpiryTime.ShouldBeNull();
        facts.ImeiLock.ShouldBeNull();
    }

    [Fact]
    public async Task AnUnknownImsi_OrAnUnregisteredSim_ReadsNothing()
    {
        await using var reads = await ReadsAsync();
        (await reads.ReadAsync("001019999999999")).ShouldBeNull();

        // A SIM without an operator (inventory) is admitted for no one: it reads exactly like an unknown IMSI.
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        (await reads.ReadAsync(sim.PrimaryImsi())).ShouldNotBeNull();
        await using var db = DatabaseOptions.Parse(server.Database.ConnectionString).CreateContext();
        await db.Sims.Where(s => s.SimId == sim.Str("simId")).ExecuteUpdateAsync(s => s.SetProperty(x => x.OperatorId, (string?)null));
        var inventory = sim.PrimaryImsi();

        (await reads.ReadAsync(inventory)).ShouldBeNull();
    }

    [Fact]
    public async Task AChangeCommittedBetweenTwoReads_IsSeenByTheSecond_OnTheSamePreparedConnection()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var simId = sim.Str("simId");
        await using var reads = await ReadsAsync();
        (await reads.ReadAsync(sim.PrimaryImsi())).ShouldNotBeNull().Status.ShouldNotBe(SimStatus.Terminated);

        (await op.PostAsync($"/v1/sims/{simId}/enable_termination")).ShouldBe(HttpStatusCode.OK);
        (await op.PostAsync($"/v1/sims/{simId}/terminate")).ShouldBe(HttpStatusCode.OK);

        // One reader at a time, so the second read runs on the connection (and statement) the first one returned.
        (await reads.ReadAsync(sim.PrimaryImsi())).ShouldNotBeNull().Status.ShouldBe(SimStatus.Terminated);
    }

    [Fact]
    public async Task ManyConcurrentReads_EachAnswerForItsOwnImsi()
    {
        var op = await server.NewOperatorAsync();
        var sims = new List<ApiResponse>();
        for (var i = 0; i < 4; i++)
        {
            sims.Add(await op.CreateRegisteredSimAsync());
        }

        const string speedClass = "s1.fast";
        sims.ShouldAllBe(s => s.Str("speedClass") != speedClass);
        (await op.PostAsync($"/v1/subscribers/{sims[0].PrimaryImsi()}/update_speed_class", new { speedClass })).ShouldBe(HttpStatusCode.OK);
        await using var reads = await ReadsAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 4 * 3 * SessionAdmissionReads.MaxIdle).Select(async i =>
        {
            var sim = sims[i % sims.Count];
            return (Index: i % sims.Count, Facts: await reads.ReadAsync(sim.PrimaryImsi()));
        }));

        results.ShouldAllBe(r => r.Facts != null);
        results.Where(r => r.Index == 0).ShouldAllBe(r => r.Facts!.Value.SpeedClass == speedClass);
        results.Where(r => r.Index != 0).ShouldAllBe(r => r.Facts!.Value.SpeedClass != speedClass);
    }

    [Fact]
    public async Task AfterDisposal_AReadIsRefused()
    {
        var reads = await ReadsAsync();
        (await reads.ReadAsync("001019999999999")).ShouldBeNull();
        await reads.DisposeAsync();

        await Should.ThrowAsync<ObjectDisposedException>(() => reads.ReadAsync("001019999999999"));
    }
}

public sealed class SessionAdmissionReadsTests_Sqlite(SqliteServer server) : SessionAdmissionReadsTests(server), IClassFixture<SqliteServer>;

public sealed class SessionAdmissionReadsTests_Postgres(PostgresServer server) : SessionAdmissionReadsTests(server), IClassFixture<PostgresServer>;
