using System.Net;
using Simlane.Server.Tests.Infrastructure;

namespace Simlane.Server.Tests.Usage;

/// <summary>
/// Usage record IDs are one namespace per operator (of the record's SIM): one operator, playing the gateway
/// in sandbox mode, can neither pre-empt another's record IDs (dropping its traffic) nor learn which IDs it
/// has used; a real duplicate within one operator is still dropped. Through the gateway and the sandbox routes.
/// </summary>
public abstract class RecordIdIsolationTests(ServerFixture server)
{
    private long Now => server.Clock.GetUtcNow().ToUnixTimeSeconds();

    private static long DayStart(long t) => t - (t % 86_400);

    private static string NewId() => "gw-" + Guid.NewGuid().ToString("N");

    private static void ShouldCount(ApiResponse response, int accepted, int duplicates)
    {
        response.ShouldBe(HttpStatusCode.OK);
        response.Json["accepted"]!.GetValue<int>().ShouldBe(accepted);
        response.Json["duplicates"]!.GetValue<int>().ShouldBe(duplicates);
    }

    private static object AirStats(long unixtime, long up, long down) => new
    {
        unixtime,
        dataTrafficStatsMap = new Dictionary<string, object> { ["s1.standard"] = new { uploadByteSizeTotal = up, downloadByteSizeTotal = down } },
    };

    [Fact]
    public async Task PostUsage_AnotherOperatorReusesRecordIds_BothAreCountedAndTheAnswerRevealsNothing()
    {
        var alice = await server.NewOperatorAsync();
        var bob = await server.NewOperatorAsync();
        var aliceSim = await alice.CreateRegisteredSimAsync();
        var bobSim = await bob.CreateRegisteredSimAsync();
        var (first, second) = (NewId(), NewId());

        var aliceAnswer = await alice.PostUsageAsync(
            UsageTestHelpers.Record(aliceSim.Imsi(), Now - 10, 10, 20, recordId: first),
            UsageTestHelpers.Record(aliceSim.Imsi(), Now - 9, 30, 40, recordId: second));
        ShouldCount(aliceAnswer, 2, 0);

        // Bob, playing the gateway, sends Alice's record IDs: counted for Bob, in exactly the answer fresh IDs get.
        var bobAnswer = await bob.PostUsageAsync(
            UsageTestHelpers.Record(bobSim.Imsi(), Now - 8, 1, 2, recordId: first),
            UsageTestHelpers.Record(bobSim.Imsi(), Now - 7, 3, 4, recordId: second));
        ShouldCount(bobAnswer, 2, 0);
        bobAnswer.Text.ShouldBe(aliceAnswer.Text);

        // A real duplicate within one operator is still dropped: resent, and repeated within a batch.
        var fresh = NewId();
        ShouldCount(await bob.PostUsageAsync(
            UsageTestHelpers.Record(bobSim.Imsi(), Now - 6, 500, 500, recordId: first),
            UsageTestHelpers.Record(bobSim.Imsi(), Now - 5, 5, 6, recordId: fresh),
            UsageTestHelpers.Record(bobSim.Imsi(), Now - 4, 700, 700, recordId: fresh)), 1, 2);
        ShouldCount(await alice.PostUsageAsync(UsageTestHelpers.Record(aliceSim.Imsi(), Now - 3, 900, 900, recordId: second)), 0, 1);

        var today = DayStart(Now);
        (await alice.StatsAsync($"sims/{aliceSim.Str("simId")}", Now, Now, "day")).Buckets().ShouldBe([(today, 40L, 60L)]);
        (await bob.StatsAsync($"sims/{bobSim.Str("simId")}", Now, Now, "day")).Buckets().ShouldBe([(today, 9L, 12L)]);
        (await alice.StatsAsync($"operators/{alice.OperatorId}", Now, Now, "day")).Buckets().ShouldBe([(today, 40L, 60L)]);
        (await bob.StatsAsync($"operators/{bob.OperatorId}", Now, Now, "day")).Buckets().ShouldBe([(today, 9L, 12L)]);
    }

    [Fact]
    public async Task PostUsage_PlatformGateway_OneRecordIdForTwoOperatorsSims_CountsForEachOnce()
    {
        var alice = await server.NewOperatorAsync();
        var bob = await server.NewOperatorAsync();
        var aliceSim = await alice.CreateRegisteredSimAsync();
        var bobSim = await bob.CreateRegisteredSimAsync();
        var id = NewId();
        var batch = new[]
        {
            UsageTestHelpers.Record(aliceSim.Imsi(), Now - 10, 10, 20, recordId: id),
            UsageTestHelpers.Record(bobSim.Imsi(), Now - 10, 1, 2, recordId: id),
            UsageTestHelpers.Record(aliceSim.Imsi(), Now - 9, 100, 200, recordId: id), // Alice's repeat: a duplicate
        };

        ShouldCount(await server.Gateway().PostUsageAsync(batch), 2, 1);
        ShouldCount(await server.Gateway().PostUsageAsync(batch), 0, 3);

        var today = DayStart(Now);
        (await alice.StatsAsync($"sims/{aliceSim.Str("simId")}", Now, Now, "day")).Buckets().ShouldBe([(today, 10L, 20L)]);
        (await bob.StatsAsync($"sims/{bobSim.Str("simId")}", Now, Now, "day")).Buckets().ShouldBe([(today, 1L, 2L)]);
    }

    [Fact]
    public async Task SandboxInsertAirStats_AnotherOperatorPlayingTheGateway_CanNeitherPreemptNorDetectIt()
    {
        var alice = await server.NewOperatorAsync();
        var bob = await server.NewOperatorAsync();
        var aliceSim = await alice.CreateRegisteredSimAsync();
        var bobSim = await bob.CreateRegisteredSimAsync();
        var at = Now - 120;
        var insert = $"/v1/sandbox/stats/air/subscribers/{bobSim.Imsi()}";

        // Alice pre-empts the record ID of Bob's next sandbox insert: it is hers alone, and Bob's insert still counts.
        ShouldCount(await alice.PostUsageAsync(UsageTestHelpers.Record(aliceSim.Imsi(), at, 1, 1, recordId: $"sandbox:{bobSim.Imsi()}:{at}")), 1, 0);
        (await bob.PostAsync(insert, AirStats(at, 100, 200))).ShouldBe(HttpStatusCode.OK);

        // Alice probes for the record ID of an insert Bob made: the answer is that of an unused ID.
        (await bob.PostAsync(insert, AirStats(at + 60, 10, 20))).ShouldBe(HttpStatusCode.OK);
        ShouldCount(await alice.PostUsageAsync(UsageTestHelpers.Record(aliceSim.Imsi(), at + 60, 1, 1, recordId: $"sandbox:{bobSim.Imsi()}:{at + 60}")), 1, 0);

        // Within Bob's own namespace a duplicate is still one: the same insert again, or his gateway with its ID.
        (await bob.PostAsync(insert, AirStats(at, 100, 200))).ShouldBe(HttpStatusCode.BadRequest, "SBX1012");
        ShouldCount(await bob.PostUsageAsync(UsageTestHelpers.Record(bobSim.Imsi(), at + 60, 5000, 5000, recordId: $"sandbox:{bobSim.Imsi()}:{at + 60}")), 0, 1);

        var day = DayStart(at);
        (await bob.StatsAsync($"subscribers/{bobSim.Imsi()}", at, at, "day")).Buckets().ShouldBe([(day, 110L, 220L)]);
        (await alice.StatsAsync($"subscribers/{aliceSim.Imsi()}", at, at, "day")).Buckets().ShouldBe([(day, 2L, 2L)]);
    }
}

public sealed class RecordIdIsolationTests_Sqlite(SqliteServer server) : RecordIdIsolationTests(server), IClassFixture<SqliteServer>;

public sealed class RecordIdIsolationTests_Postgres(PostgresServer server) : RecordIdIsolationTests(server), IClassFixture<PostgresServer>;
