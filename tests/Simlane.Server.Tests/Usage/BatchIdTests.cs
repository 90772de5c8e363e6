using System.Net;
using Microsoft.EntityFrameworkCore;
using Simlane.Server.Tests.Engine;
using Simlane.Server.Tests.Infrastructure;
using Simlane.Storage;

namespace Simlane.Server.Tests.Usage;

/// <summary>
/// A batch with a <c>batchId</c> is de-duplicated as a whole (docs/gateway.md "Duplicates and resending", decision S68): a
/// resent batch counts nothing, its records carry no record IDs, a refused batch leaves its ID unused, batch IDs are one
/// namespace per caller (the platform gateway, each sandbox operator), and they follow the de-duplication window.
/// </summary>
public abstract class BatchIdTests(ServerFixture server)
{
    private static string NewId() => "batch-" + Guid.NewGuid().ToString("N");

    private static object Record(string imsi, long unixtime, long up, long down) =>
        new { imsi, unixtime, uploadBytes = up, downloadBytes = down, uploadPackets = 1, downloadPackets = 1 };

    private static Task<ApiResponse> PostBatchAsync(ApiClient caller, string? batchId, params object[] records) =>
        caller.PostAsync("/v1/gateway/usage", new { batchId, records });

    private static void ShouldCount(ApiResponse response, int accepted, int duplicates)
    {
        response.ShouldBe(HttpStatusCode.OK);
        response.Json["accepted"]!.GetValue<int>().ShouldBe(accepted);
        response.Json["duplicates"]!.GetValue<int>().ShouldBe(duplicates);
    }

    private static async Task<long> DownAsync(ApiClient op, string simId)
    {
        var now = await op.NowMsAsync() / 1000;
        return (await op.StatsAsync($"sims/{simId}", now - (8 * 86_400), now, "month")).Buckets().Sum(b => b.Down);
    }

    private async Task<int> StoredBatchIdsAsync(string batchId)
    {
        await using var db = DatabaseOptions.Parse(server.Database.ConnectionString).CreateContext();
        return await db.AcceptedUsageRecords.CountAsync(r => r.RecordId == batchId && r.OperatorId.StartsWith("batch:"));
    }

    [Fact]
    public async Task ResentBatch_IsADuplicateAsAWhole_AndCountsOnce()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var now = await op.NowMsAsync() / 1000;
        var id = NewId();
        var records = new[] { Record(sim.Imsi(), now - 20, 1, 10), Record(sim.Imsi(), now - 10, 2, 20) };

        ShouldCount(await PostBatchAsync(server.Gateway(), id, records), 2, 0);
        ShouldCount(await PostBatchAsync(server.Gateway(), id, records), 0, 2);
        (await DownAsync(op, sim.Str("simId"))).ShouldBe(30);

        // The records carry no IDs: the same records in another batch are other traffic, counted.
        ShouldCount(await PostBatchAsync(server.Gateway(), NewId(), records), 2, 0);
        (await DownAsync(op, sim.Str("simId"))).ShouldBe(60);
        (await StoredBatchIdsAsync(id)).ShouldBe(1, "one row for the whole batch");
    }

    [Theory]
    [InlineData("recordId", "records[0].recordId: not allowed with batchId")]
    [InlineData("empty", "batchId: must be 1 to 128 characters")]
    [InlineData("long", "batchId: must be 1 to 128 characters")]
    [InlineData("unknownImsi", "records[1].imsi: unknown IMSI")]
    public async Task BadBatch_Answers400_AndLeavesItsIdUnused(string problem, string message)
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var now = await op.NowMsAsync() / 1000;
        var id = NewId();
        var good = Record(sim.Imsi(), now - 5, 1, 7);
        var response = problem switch
        {
            "recordId" => await server.Gateway().PostAsync("/v1/gateway/usage", new
            {
                batchId = id,
                records = new[] { new { recordId = "r1", imsi = sim.Imsi(), unixtime = now - 5, uploadBytes = 1L, downloadBytes = 7L } },
            }),
            "empty" => await PostBatchAsync(server.Gateway(), "", good),
            "long" => await PostBatchAsync(server.Gateway(), new string('b', 129), good),
            _ => await PostBatchAsync(server.Gateway(), id, good, Record("001019999999999", now - 5, 1, 1)),
        };

        response.ShouldBe(HttpStatusCode.BadRequest, "COM0004").Str("message").ShouldStartWith(message);
        (await DownAsync(op, sim.Str("simId"))).ShouldBe(0);
        (await StoredBatchIdsAsync(id)).ShouldBe(0);

        // The ID was not used up: the corrected batch counts.
        ShouldCount(await PostBatchAsync(server.Gateway(), id, good), 1, 0);
        (await DownAsync(op, sim.Str("simId"))).ShouldBe(7);
    }

    [Fact]
    public async Task BatchIds_AreOneNamespacePerCaller()
    {
        var alice = await server.NewOperatorAsync();
        var bob = await server.NewOperatorAsync();
        var aliceSim = await alice.CreateRegisteredSimAsync();
        var bobSim = await bob.CreateRegisteredSimAsync();
        var now = await alice.NowMsAsync() / 1000;
        var id = NewId();

        // Each sandbox operator playing the gateway, and the platform gateway, has its own batch IDs.
        ShouldCount(await PostBatchAsync(alice, id, Record(aliceSim.Imsi(), now - 3, 0, 100)), 1, 0);
        ShouldCount(await PostBatchAsync(bob, id, Record(bobSim.Imsi(), now - 3, 0, 200)), 1, 0);
        ShouldCount(await PostBatchAsync(server.Gateway(), id, Record(aliceSim.Imsi(), now - 2, 0, 400)), 1, 0);
        ShouldCount(await PostBatchAsync(bob, id, Record(bobSim.Imsi(), now - 1, 0, 800)), 0, 1);

        (await DownAsync(alice, aliceSim.Str("simId"))).ShouldBe(500);
        (await DownAsync(bob, bobSim.Str("simId"))).ShouldBe(200);
        (await StoredBatchIdsAsync(id)).ShouldBe(3);
    }

    [Fact]
    public async Task BatchId_IsKeptForTheWindow_ThenPruned_WhileAResendIsRefusedAsTooOld()
    {
        const long Window = 7 * 86_400;
        const long Grace = 3600;
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var now = await op.NowMsAsync() / 1000;
        var id = NewId();
        object[] records = [Record(sim.Imsi(), now - Window, 1, 2), Record(sim.Imsi(), now, 3, 4)];
        ShouldCount(await PostBatchAsync(server.Gateway(), id, records), 2, 0);

        // Its oldest record leaves the window: the batch is refused whole; its ID stays through the grace hour.
        (await op.PostAsync("/v1/sandbox/clock", new { advanceSeconds = 1 })).ShouldBe(HttpStatusCode.OK);
        (await PostBatchAsync(server.Gateway(), id, records)).ShouldBe(HttpStatusCode.BadRequest, "COM0004").Str("message").ShouldStartWith("records[0].unixtime");
        (await StoredBatchIdsAsync(id)).ShouldBe(1);

        (await op.PostAsync("/v1/sandbox/clock", new { advanceSeconds = Grace })).ShouldBe(HttpStatusCode.OK);
        (await StoredBatchIdsAsync(id)).ShouldBe(0);
        (await PostBatchAsync(server.Gateway(), id, records)).ShouldBe(HttpStatusCode.BadRequest, "COM0004");
        (await DownAsync(op, sim.Str("simId"))).ShouldBe(6);
    }
}

public sealed class BatchIdTests_Sqlite(SqliteServer server) : BatchIdTests(server), IClassFixture<SqliteServer>;

public sealed class BatchIdTests_Postgres(PostgresServer server) : BatchIdTests(server), IClassFixture<PostgresServer>;
