using System.Net;
using Simlane.Server.Tests.Engine;
using Simlane.Server.Tests.Infrastructure;

namespace Simlane.Server.Tests.Usage;

/// <summary>
/// Ingest's group commit (decision S72): batches sent at the same time share commits, and each is still answered with its
/// own outcome: a batch ID resent concurrently counts once, a batch refused in a group (the sandbox's duplicate) fails
/// alone and leaves the others written, and every acknowledged record is in the counters exactly once.
/// </summary>
public abstract class GroupCommitTests(ServerFixture server)
{
    private static object Record(string imsi, long unixtime, long down) =>
        new { imsi, unixtime, uploadBytes = 1, downloadBytes = down, uploadPackets = 1, downloadPackets = 1 };

    private static async Task<long> DownAsync(ApiClient op, string simId)
    {
        var now = await op.NowMsAsync() / 1000;
        return (await op.StatsAsync($"sims/{simId}", now - (8 * 86_400), now, "month")).Buckets().Sum(b => b.Down);
    }

    [Fact]
    public async Task ConcurrentBatches_EachAnsweredForItself_AndAConcurrentResendCountsOnce()
    {
        var op = await server.NewOperatorAsync();
        var (sims, imsis) = (new List<string>(), new List<string>());
        for (var i = 0; i < 4; i++)
        {
            var sim = await op.CreateRegisteredSimAsync();
            sims.Add(sim.Str("simId"));
            imsis.Add(sim.Imsi());
        }

        var now = await op.NowMsAsync() / 1000;

        // 24 batches at once: 8 batch IDs sent three times each, batch k holding 10 + k bytes down for each of the four SIMs.
        var sends = Enumerable.Range(0, 24).Select(n =>
        {
            var k = n % 8;
            return server.Gateway().PostAsync("/v1/gateway/usage", new
            {
                batchId = $"group-{op.OperatorId}-{k}",
                records = imsis.Select(imsi => Record(imsi, now - 30, 10 + k)).ToArray(),
            });
        });
        var answers = await Task.WhenAll(sends);

        answers.ShouldAllBe(a => a.Status == HttpStatusCode.OK);
        answers.Sum(a => a.Json["accepted"]!.GetValue<int>()).ShouldBe(8 * 4, "each batch ID counted once");
        answers.Sum(a => a.Json["duplicates"]!.GetValue<int>()).ShouldBe(16 * 4);
        answers.ShouldAllBe(a => a.Json["accepted"]!.GetValue<int>() + a.Json["duplicates"]!.GetValue<int>() == 4);
        var perSim = Enumerable.Range(0, 8).Sum(k => 10L + k);
        foreach (var simId in sims)
        {
            (await DownAsync(op, simId)).ShouldBe(perSim);
        }
    }

    [Fact]
    public async Task ConcurrentSandboxInserts_OfOneTime_OneIsAccepted_TheOthersAnswerSbx1012_AndGatewayBatchesBesideThemCount()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var other = await op.CreateRegisteredSimAsync();
        var now = await op.NowMsAsync() / 1000;
        var at = now - 60;
        var sandboxBody = new
        {
            unixtime = at,
            dataTrafficStatsMap = new Dictionary<string, object> { ["s1.standard"] = new { uploadByteSizeTotal = 1, downloadByteSizeTotal = 100 } },
        };

        var inserts = Enumerable.Range(0, 6).Select(_ => op.PostAsync($"/v1/sandbox/stats/air/subscribers/{sim.Imsi()}", sandboxBody));
        var batches = Enumerable.Range(0, 6).Select(n => server.Gateway().PostAsync("/v1/gateway/usage", new
        {
            batchId = $"beside-{op.OperatorId}-{n}",
            records = new[] { Record(other.Imsi(), at, 7) },
        }));
        var answers = await Task.WhenAll(inserts.Concat(batches));

        answers.Take(6).Count(a => a.Status == HttpStatusCode.OK).ShouldBe(1);
        answers.Take(6).Where(a => a.Status != HttpStatusCode.OK).ShouldAllBe(a => a.Status == HttpStatusCode.BadRequest && a.Json["code"]!.GetValue<string>() == "SBX1012");
        answers.Skip(6).ShouldAllBe(a => a.Status == HttpStatusCode.OK && a.Json["accepted"]!.GetValue<int>() == 1);
        (await DownAsync(op, sim.Str("simId"))).ShouldBe(100);
        (await DownAsync(op, other.Str("simId"))).ShouldBe(6 * 7);
    }
}

public sealed class GroupCommitTests_Sqlite(SqliteServer server) : GroupCommitTests(server), IClassFixture<SqliteServer>;

public sealed class GroupCommitTests_Postgres(PostgresServer server) : GroupCommitTests(server), IClassFixture<PostgresServer>;
