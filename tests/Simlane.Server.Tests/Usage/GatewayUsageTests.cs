using System.Net;
using Microsoft.EntityFrameworkCore;
using Simlane.Core.Events;
using Simlane.Server.Tests.Engine;
using Simlane.Server.Tests.Infrastructure;
using Simlane.Storage;

namespace Simlane.Server.Tests.Usage;

/// <summary>POST /v1/gateway/usage: ingest into every scope, duplicates, atomic rejection, late records, 64-bit.</summary>
public abstract class GatewayUsageTests(ServerFixture server)
{
    private long Now => server.Clock.GetUtcNow().ToUnixTimeSeconds();

    private static long DayStart(long t) => t - (t % 86_400);

    [Fact]
    public async Task PostUsage_NewRecords_CountedForSubscriberSimGroupAndOperator()
    {
        var op = await server.NewOperatorAsync();
        var groupId = await op.CreateGroupAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var simId = sim.Str("simId");
        (await op.PostAsync($"/v1/sims/{simId}/set_group", new { groupId })).ShouldBe(HttpStatusCode.OK);

        // Group totals follow membership at the traffic's own time (decisions.md S24): let the traffic come after joining.
        server.Clock.Advance(TimeSpan.FromMinutes(1));
        var response = (await server.Gateway().PostUsageAsync(
            UsageTestHelpers.Record(sim.Imsi(), Now - 10, 100, 1000),
            UsageTestHelpers.Record(sim.Imsi(), Now - 5, 1, 2, "s1.fast"))).ShouldBe(HttpStatusCode.OK);
        response.Json["accepted"]!.GetValue<int>().ShouldBe(2);
        response.Json["duplicates"]!.GetValue<int>().ShouldBe(0);

        var today = DayStart(Now);
        var expected = new List<(long, long, long)> { (today, 101, 1002) };
        (await op.StatsAsync($"sims/{simId}", Now, Now, "day")).Buckets().ShouldBe(expected);
        (await op.StatsAsync($"subscribers/{sim.Imsi()}", Now, Now, "day")).Buckets().ShouldBe(expected);
        (await op.StatsAsync($"groups/{groupId}", Now, Now, "day")).Buckets().ShouldBe(expected);
        (await op.StatsAsync($"operators/{op.OperatorId}", Now, Now, "day")).Buckets().ShouldBe(expected);

        var map = (await op.StatsAsync($"sims/{simId}", Now, Now, "day"))[0]!["dataTrafficStatsMap"]!;
        map["s1.standard"]!["uploadByteSizeTotal"]!.GetValue<long>().ShouldBe(100);
        map["s1.standard"]!["downloadPacketSizeTotal"]!.GetValue<long>().ShouldBe(2);
        map["s1.fast"]!["downloadByteSizeTotal"]!.GetValue<long>().ShouldBe(2);
    }

    [Fact]
    public async Task PostUsage_BatchResent_CountsEveryRecordOnce()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var a = UsageTestHelpers.Record(sim.Imsi(), Now - 10, 10, 20);
        var b = UsageTestHelpers.Record(sim.Imsi(), Now - 9, 30, 40);
        var gateway = server.Gateway();
        (await gateway.PostUsageAsync(a, b, a)).ShouldBe(HttpStatusCode.OK).Json["duplicates"]!.GetValue<int>().ShouldBe(1);

        var resent = (await gateway.PostUsageAsync(a, b)).ShouldBe(HttpStatusCode.OK);
        resent.Json["accepted"]!.GetValue<int>().ShouldBe(0);
        resent.Json["duplicates"]!.GetValue<int>().ShouldBe(2);

        (await op.StatsAsync($"sims/{sim.Str("simId")}", Now, Now, "month")).Buckets().Single().ShouldBe((UsageWindowsMonth(Now), 40L, 60L));
    }

    public static TheoryData<string, string> InvalidRecords() => new()
    {
        { "unknown-imsi", "records[1].imsi" },
        { "negative-upload", "records[1].uploadBytes" },
        { "negative-packets", "records[1].downloadPackets" },
        { "over-one-tebibyte", "records[1].downloadBytes" },
        { "wrong-type", "records[1].uploadBytes" },
        { "missing-record-id", "records[1].recordId" },
        { "missing-download", "records[1].downloadBytes" },
        { "missing-unixtime", "records[1].unixtime" },
        { "unknown-speed-class", "records[1].speedClass" },
        { "future", "records[1].unixtime" },
    };

    [Theory]
    [MemberData(nameof(InvalidRecords))]
    public async Task PostUsage_OneInvalidRecord_RejectsWholeBatchAndChangesNothing(string kind, string field)
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var imsi = sim.Imsi();
        var good = UsageTestHelpers.Record(imsi, Now - 10, 10, 20);
        var id = Guid.NewGuid().ToString("N");
        object bad = kind switch
        {
            "unknown-imsi" => UsageTestHelpers.Record("001019999999999", Now, 1, 1),
            "negative-upload" => UsageTestHelpers.Record(imsi, Now, -1, 1),
            "negative-packets" => new { recordId = id, imsi, unixtime = Now, uploadBytes = 1, downloadBytes = 1, downloadPackets = -3 },
            "over-one-tebibyte" => UsageTestHelpers.Record(imsi, Now, 1, (1L << 40) + 1),
            "wrong-type" => new { recordId = id, imsi, unixtime = Now, uploadBytes = "many", downloadBytes = 1 },
            "missing-record-id" => new { imsi, unixtime = Now, uploadBytes = 1, downloadBytes = 1 },
            "missing-download" => new { recordId = id, imsi, unixtime = Now, uploadBytes = 1 },
            "missing-unixtime" => new { recordId = id, imsi, uploadBytes = 1, downloadBytes = 1 },
            "unknown-speed-class" => UsageTestHelpers.Record(imsi, Now, 1, 1, "s9.warp"),
            "future" => UsageTestHelpers.Record(imsi, Now + 301, 1, 1),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        var response = (await server.Gateway().PostUsageAsync(good, bad)).ShouldBe(HttpStatusCode.BadRequest);
        response.Str("message").ShouldStartWith(field);

        (await op.StatsAsync($"sims/{sim.Str("simId")}", Now, Now, "month")).ShouldBeEmpty();
        // The good record was not accepted either: sending it again counts it.
        (await server.Gateway().PostUsageAsync(good)).ShouldBe(HttpStatusCode.OK).Json["accepted"]!.GetValue<int>().ShouldBe(1);
    }

    [Fact]
    public async Task PostUsage_LargeBatch_CountsEveryRecordOnce_AndResentIsAllDuplicates()
    {
        // More records than one SQLite commit chunk (Metering.SqliteCommitChunk): committed in several transactions there.
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var records = Enumerable.Range(0, 600).Select(i => UsageTestHelpers.Record(sim.Imsi(), Now - 600 + i, 1, 2)).ToArray();
        var first = (await server.Gateway().PostUsageAsync(records)).ShouldBe(HttpStatusCode.OK);
        first.Json["accepted"]!.GetValue<int>().ShouldBe(600);
        first.Json["duplicates"]!.GetValue<int>().ShouldBe(0);

        var resent = (await server.Gateway().PostUsageAsync(records)).ShouldBe(HttpStatusCode.OK);
        resent.Json["accepted"]!.GetValue<int>().ShouldBe(0);
        resent.Json["duplicates"]!.GetValue<int>().ShouldBe(600);
        (await op.StatsAsync($"sims/{sim.Str("simId")}", Now, Now, "month")).Buckets().Single().ShouldBe((UsageWindowsMonth(Now), 600L, 1200L));
    }

    [Fact]
    public async Task PostUsage_LargeBatchWithAnUnknownImsiInItsLastChunk_ChangesNothing()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var records = Enumerable.Range(0, 600)
            .Select(i => UsageTestHelpers.Record(i == 550 ? "001019999999999" : sim.Imsi(), Now - 600 + i, 1, 2)).ToArray();
        (await server.Gateway().PostUsageAsync(records)).ShouldBe(HttpStatusCode.BadRequest).Str("message").ShouldStartWith("records[550].imsi");
        (await op.StatsAsync($"sims/{sim.Str("simId")}", Now, Now, "month")).ShouldBeEmpty();
    }

    [Fact]
    public async Task PostUsage_FiveMinutesAhead_IsAccepted()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        (await server.Gateway().PostUsageAsync(UsageTestHelpers.Record(sim.Imsi(), Now + 300, 1, 1))).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task PostUsage_SandboxOperatorWithAnotherOperatorsImsi_RejectsAsUnknown()
    {
        var op = await server.NewOperatorAsync();
        var other = await server.NewOperatorAsync();
        var foreign = await other.CreateRegisteredSimAsync();
        var own = await op.CreateRegisteredSimAsync();

        var response = (await op.PostUsageAsync(UsageTestHelpers.Record(own.Imsi(), Now, 1, 1), UsageTestHelpers.Record(foreign.Imsi(), Now, 1, 1)))
            .ShouldBe(HttpStatusCode.BadRequest, "COM0004");
        response.Str("message").ShouldStartWith("records[1].imsi: unknown IMSI");
        (await op.PostUsageAsync(UsageTestHelpers.Record(own.Imsi(), Now, 5, 6))).ShouldBe(HttpStatusCode.OK).Json["accepted"]!.GetValue<int>().ShouldBe(1);
        (await other.StatsAsync($"sims/{foreign.Str("simId")}", Now, Now, "day")).ShouldBeEmpty();
    }

    [Fact]
    public async Task PostUsage_MoreThanTenThousandRecords_Answers400()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var records = Enumerable.Range(0, 10_001).Select(i => UsageTestHelpers.Record(sim.Imsi(), Now, 1, 1, recordId: $"r{i}")).ToArray();
        (await server.Gateway().PostUsageAsync(records)).ShouldBe(HttpStatusCode.BadRequest, "GTW0002");
    }

    [Fact]
    public async Task PostUsage_WithoutGatewayKey_Answers401()
    {
        var response = await server.Anonymous().PostAsync("/v1/gateway/usage", new { records = Array.Empty<object>() });
        response.ShouldBe(HttpStatusCode.Unauthorized, "GTW0001");
    }

    [Fact]
    public async Task PostUsage_LateRecord_CountsTowardItsOwnDay()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var threeDaysAgo = Now - (3 * 86_400);
        (await server.Gateway().PostUsageAsync(UsageTestHelpers.Record(sim.Imsi(), threeDaysAgo, 7, 8))).ShouldBe(HttpStatusCode.OK);

        var days = (await op.StatsAsync($"sims/{sim.Str("simId")}", threeDaysAgo, Now, "day")).Buckets();
        days.ShouldBe([(DayStart(threeDaysAgo), 7L, 8L)]);
    }

    [Fact]
    public async Task PostUsage_TotalsBeyond32Bits_AreExact()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        const long big = 5_000_000_000L;
        (await server.Gateway().PostUsageAsync(
            UsageTestHelpers.Record(sim.Imsi(), Now - 2, big, big + 1),
            UsageTestHelpers.Record(sim.Imsi(), Now - 1, big, big))).ShouldBe(HttpStatusCode.OK);

        (await op.StatsAsync($"sims/{sim.Str("simId")}", Now, Now, "month")).Buckets().Single().ShouldBe((UsageWindowsMonth(Now), 2 * big, (2 * big) + 1));
        (await op.StatsAsync($"operators/{op.OperatorId}", Now, Now, "month")).Buckets().Single().ShouldBe((UsageWindowsMonth(Now), 2 * big, (2 * big) + 1));
    }

    [Fact]
    public async Task PostUsage_OperatorTotals_SumEverySim()
    {
        var op = await server.NewOperatorAsync();
        var one = await op.CreateRegisteredSimAsync();
        var two = await op.CreateRegisteredSimAsync();
        (await server.Gateway().PostUsageAsync(
            UsageTestHelpers.Record(one.Imsi(), Now - 5, 10, 20),
            UsageTestHelpers.Record(two.Imsi(), Now - 5, 1, 2, "s1.slow"))).ShouldBe(HttpStatusCode.OK);
        (await op.StatsAsync($"operators/{op.OperatorId}", Now, Now, "month")).Buckets().ShouldBe([(UsageWindowsMonth(Now), 11L, 22L)]);
    }

    [Fact]
    public async Task PostUsage_RecordsDomainEvents_FirstTrafficOnlyOnce()
    {
        var op = await server.NewOperatorAsync();
        await op.ListenToUsageAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var simId = sim.Str("simId");
        (await server.Gateway().PostUsageAsync(
            UsageTestHelpers.Record(sim.Imsi(), Now - 20, 10, 20),
            UsageTestHelpers.Record(sim.Imsi(), Now - 10, 1, 2))).ShouldBe(HttpStatusCode.OK);
        (await server.Gateway().PostUsageAsync(UsageTestHelpers.Record(sim.Imsi(), Now - 5, 3, 4))).ShouldBe(HttpStatusCode.OK);

        // The fold writes the events right behind the answer; a stats read waits for it.
        (await op.GetAsync($"/v1/stats/air/sims/{simId}?from={Now - 3600}&to={Now}&period=minutes")).ShouldBe(HttpStatusCode.OK);
        await using var db = DatabaseOptions.Parse(server.Database.ConnectionString).CreateContext();
        var events = await db.DomainEvents.Where(e => e.SimId == simId && (e.Type == DomainEventTypes.UsageRecorded || e.Type == DomainEventTypes.FirstTraffic))
            .OrderBy(e => e.Id).ToListAsync();
        events.Select(e => e.Type).ShouldBe([DomainEventTypes.FirstTraffic, DomainEventTypes.UsageRecorded, DomainEventTypes.UsageRecorded]);
        events.ShouldAllBe(e => e.Imsi == sim.Imsi());
        var first = System.Text.Json.Nodes.JsonNode.Parse(events[1].NewValue!)!;
        first["uploadBytes"]!.GetValue<long>().ShouldBe(11);
        first["downloadBytes"]!.GetValue<long>().ShouldBe(22);
        first["fromUnixtime"]!.GetValue<long>().ShouldBe(Now - 20);
        first["toUnixtime"]!.GetValue<long>().ShouldBe(Now - 10);
    }

    [Fact]
    public async Task PostUsage_Acknowledged_SurvivesARestart()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var record = UsageTestHelpers.Record(sim.Imsi(), Now - 3, 123, 456);
        (await server.Gateway().PostUsageAsync(record)).ShouldBe(HttpStatusCode.OK);

        await server.RestartAsync();
        var again = server.Anonymous().WithCredentials(op.ApiKey!, op.Token!, op.OperatorId);
        (await again.StatsAsync($"sims/{sim.Str("simId")}", Now, Now, "day")).Buckets().ShouldBe([(DayStart(Now), 123L, 456L)]);
        (await server.Gateway().PostUsageAsync(record)).ShouldBe(HttpStatusCode.OK).Json["duplicates"]!.GetValue<int>().ShouldBe(1);
    }

    [Fact]
    public async Task PostUsage_TerminatedSim_IsCountedButStatsAreEmpty()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var simId = sim.Str("simId");
        (await op.PostAsync($"/v1/sims/{simId}/enable_termination")).ShouldBe(HttpStatusCode.OK);
        (await op.PostAsync($"/v1/sims/{simId}/terminate")).ShouldBe(HttpStatusCode.OK);

        (await server.Gateway().PostUsageAsync(UsageTestHelpers.Record(sim.Imsi(), Now - 60, 10, 20))).ShouldBe(HttpStatusCode.OK)
            .Json["accepted"]!.GetValue<int>().ShouldBe(1);
        (await op.StatsAsync($"sims/{simId}", Now, Now, "day")).ShouldBeEmpty();
        (await op.StatsAsync($"subscribers/{sim.Imsi()}", Now, Now, "day")).ShouldBeEmpty();
        (await op.StatsAsync($"operators/{op.OperatorId}", Now, Now, "day")).Buckets().ShouldBe([(DayStart(Now), 10L, 20L)]);
    }

    private static long UsageWindowsMonth(long t) => Simlane.Core.Usage.UsageWindows.MonthStart(t);
}

public sealed class GatewayUsageTests_Sqlite(SqliteServer server) : GatewayUsageTests(server), IClassFixture<SqliteServer>;

public sealed class GatewayUsageTests_Postgres(PostgresServer server) : GatewayUsageTests(server), IClassFixture<PostgresServer>;
