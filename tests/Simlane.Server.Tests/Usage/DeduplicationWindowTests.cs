using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Simlane.Server.Tests.Engine;
using Simlane.Server.Tests.Infrastructure;
using Simlane.Storage;

namespace Simlane.Server.Tests.Usage;

/// <summary>
/// Bounded de-duplication (issue 14, docs/gateway.md "De-duplication window"): a gateway record older than the window
/// is refused and changes nothing; record IDs are pruned once past the window plus its grace, never while a record with
/// their time could still be accepted; sandbox inserts are exempt from both (decisions.md S61). The sandbox clock moves
/// the server's time and drains the pruner before it answers.
/// </summary>
public abstract class DeduplicationWindowTests(ServerFixture server)
{
    private const long Day = 86_400;
    private const long Window = 7 * Day;
    private const long Grace = 3600;

    private static object AirStats(long unixtime, long up, long down) => new
    {
        unixtime,
        dataTrafficStatsMap = new Dictionary<string, object> { ["s1.standard"] = new { uploadByteSizeTotal = up, downloadByteSizeTotal = down } },
    };

    private static void ShouldCount(ApiResponse response, int accepted, int duplicates)
    {
        response.ShouldBe(HttpStatusCode.OK);
        response.Json["accepted"]!.GetValue<int>().ShouldBe(accepted);
        response.Json["duplicates"]!.GetValue<int>().ShouldBe(duplicates);
    }

    /// <summary>The server's time (the sandbox clock), epoch seconds.</summary>
    private static async Task<long> NowAsync(ApiClient op) => await op.NowMsAsync() / 1000;

    private static async Task AdvanceAsync(ApiClient op, long seconds) =>
        (await op.PostAsync("/v1/sandbox/clock", new { advanceSeconds = seconds })).ShouldBe(HttpStatusCode.OK);

    /// <summary>The record IDs stored for <paramref name="operatorId"/>.</summary>
    private async Task<List<string>> StoredIdsAsync(string operatorId)
    {
        await using var db = DatabaseOptions.Parse(server.Database.ConnectionString).CreateContext();
        return await db.AcceptedUsageRecords.Where(r => r.OperatorId == operatorId).Select(r => r.RecordId).OrderBy(r => r).ToListAsync();
    }

    [Fact]
    public async Task TooOldRecord_RefusesTheWholeBatch_AndWritesNothing()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var now = await NowAsync(op);
        var good = UsageTestHelpers.Record(sim.Imsi(), now - 10, 10, 20, recordId: "good");
        var old = UsageTestHelpers.Record(sim.Imsi(), now - Window - 1, 1, 2, recordId: "old");

        var response = (await server.Gateway().PostUsageAsync(good, good, old)).ShouldBe(HttpStatusCode.BadRequest, "COM0004");

        response.Str("message").ShouldBe("records[2].unixtime: older than the de-duplication window of 7 days");
        (await StoredIdsAsync(op.OperatorId!)).ShouldBeEmpty();
        (await op.StatsAsync($"sims/{sim.Str("simId")}", now - Window - Day, now, "day")).ShouldBeEmpty();
        (await op.StatsAsync($"operators/{op.OperatorId}", now - Window - Day, now, "month")).ShouldBeEmpty();
        // Nothing of the batch was taken: the good record alone is counted now.
        ShouldCount(await server.Gateway().PostUsageAsync(good), 1, 0);
    }

    [Fact]
    public async Task TooOldRecord_MessageIsLocalized()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var now = await NowAsync(op);
        var gateway = server.Gateway();
        gateway.Http.DefaultRequestHeaders.Add("X-Soracom-Lang", "ja");

        var response = (await gateway.PostUsageAsync(UsageTestHelpers.Record(sim.Imsi(), now - Window - 1, 1, 2))).ShouldBe(HttpStatusCode.BadRequest, "COM0004");

        response.Str("message").ShouldBe("records[0].unixtime: 重複排除の保持期間 (7 日) より古いレコードは受け付けられません");
    }

    [Fact]
    public async Task WindowEdge_ExactlySevenDaysOldIsAccepted_OneSecondOlderIsRefused()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var now = await NowAsync(op);

        ShouldCount(await server.Gateway().PostUsageAsync(UsageTestHelpers.Record(sim.Imsi(), now - Window, 5, 6)), 1, 0);
        (await server.Gateway().PostUsageAsync(UsageTestHelpers.Record(sim.Imsi(), now - Window - 1, 5, 6)))
            .ShouldBe(HttpStatusCode.BadRequest, "COM0004").Str("message").ShouldStartWith("records[0].unixtime: older than");
    }

    [Fact]
    public async Task Prune_RemovesOnlyIdsPastTheWindow_DuplicatesInsideItStillCountOnce_AndSandboxIdsStay()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var simId = sim.Str("simId");
        var now = await NowAsync(op);
        var early = UsageTestHelpers.Record(sim.Imsi(), now - Window + 100, 1, 2, recordId: "early");
        var recent = UsageTestHelpers.Record(sim.Imsi(), now - 10, 10, 20, recordId: "recent");
        ShouldCount(await server.Gateway().PostUsageAsync(early, recent), 2, 0);
        // The sandbox may insert traffic for any past time, also before the window.
        var sandboxTime = now - (30 * Day);
        (await op.PostAsync($"/v1/sandbox/stats/air/subscribers/{sim.Imsi()}", AirStats(sandboxTime, 100, 200))).ShouldBe(HttpStatusCode.OK);
        var sandboxId = $"sandbox:{sim.Imsi()}:{sandboxTime}";
        (await StoredIdsAsync(op.OperatorId!)).ShouldBe(["early", "recent", sandboxId]);

        // A day later "early" is past the window and its grace; "recent" is not.
        await AdvanceAsync(op, Day);

        (await StoredIdsAsync(op.OperatorId!)).ShouldBe(["recent", sandboxId]);
        ShouldCount(await server.Gateway().PostUsageAsync(recent), 0, 1);
        (await server.Gateway().PostUsageAsync(early)).ShouldBe(HttpStatusCode.BadRequest, "COM0004")
            .Str("message").ShouldBe("records[0].unixtime: older than the de-duplication window of 7 days");
        (await op.PostAsync($"/v1/sandbox/stats/air/subscribers/{sim.Imsi()}", AirStats(sandboxTime, 100, 200))).ShouldBe(HttpStatusCode.BadRequest, "SBX1012");

        // Every record counted once: early + recent, and the sandbox's.
        var total = (await op.StatsAsync($"sims/{simId}", sandboxTime, now, "month")).Buckets();
        total.Sum(b => b.Up).ShouldBe(111);
        total.Sum(b => b.Down).ShouldBe(222);
    }

    [Fact]
    public async Task Prune_KeepsAnIdThroughTheGrace_WhileItsRecordIsAlreadyRefused()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var now = await NowAsync(op);
        var edge = UsageTestHelpers.Record(sim.Imsi(), now - Window, 1, 2, recordId: "edge");
        ShouldCount(await server.Gateway().PostUsageAsync(edge), 1, 0);

        // One second on, the record is refused, but its ID is kept for the grace hour.
        await AdvanceAsync(op, 1);
        (await server.Gateway().PostUsageAsync(edge)).ShouldBe(HttpStatusCode.BadRequest, "COM0004");
        await AdvanceAsync(op, Grace - 1);
        (await StoredIdsAsync(op.OperatorId!)).ShouldBe(["edge"]);

        // Past the grace it goes.
        await AdvanceAsync(op, 1);
        (await StoredIdsAsync(op.OperatorId!)).ShouldBeEmpty();
        (await server.Gateway().PostUsageAsync(edge)).ShouldBe(HttpStatusCode.BadRequest, "COM0004");
        (await op.StatsAsync($"sims/{sim.Str("simId")}", now - Window, now, "month")).Buckets().Sum(b => b.Down).ShouldBe(2);
    }
}

public sealed class DeduplicationWindowTests_Sqlite(SqliteServer server) : DeduplicationWindowTests(server), IClassFixture<SqliteServer>;

public sealed class DeduplicationWindowTests_Postgres(PostgresServer server) : DeduplicationWindowTests(server), IClassFixture<PostgresServer>;

/// <summary><c>Simlane:Usage:DeduplicationWindowDays</c>: honoured, and a bad value stops the server at start naming the setting.</summary>
public abstract class DeduplicationWindowSettingTests(DatabaseKind kind) : FreshDatabaseTest(kind)
{
    [Theory]
    [InlineData("0", "Simlane:Usage:DeduplicationWindowDays must be a whole number of days between 1 and 366, not 0")]
    [InlineData("367", "Simlane:Usage:DeduplicationWindowDays must be a whole number of days between 1 and 366, not 367")]
    [InlineData("1.5", "'1.5' at 'Simlane:Usage:DeduplicationWindowDays'")]
    public async Task BadWindow_StopsTheServerAtStart_NamingTheSetting(string value, string message)
    {
        var settings = new Dictionary<string, string> { ["Simlane:Usage:DeduplicationWindowDays"] = value };

        var output = await ServerProcess.StartFailureAsync(Database.ConnectionString, ServerProcess.AsEnvironment(settings));

        output.ShouldContain(message);
    }

    [Fact]
    public async Task ConfiguredWindow_DecidesWhatIsTooOld()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 3, 4, 5, TimeSpan.Zero));
        await using var server = new SimlaneFactory(Database.ConnectionString, clock, settings: new Dictionary<string, string> { ["Simlane:Usage:DeduplicationWindowDays"] = "30" });
        var op = await new ApiClient(server.CreateDefaultClient(new ContractValidatingHandler())).SignUpAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var http = server.CreateDefaultClient(new ContractValidatingHandler());
        http.DefaultRequestHeaders.Add("X-Simlane-Gateway-Key", SimlaneFactory.GatewayKey);
        var gateway = new ApiClient(http);
        var now = clock.GetUtcNow().ToUnixTimeSeconds();

        ShouldBeAccepted(await gateway.PostUsageAsync(UsageTestHelpers.Record(sim.Imsi(), now - (30 * 86_400), 1, 1)));
        (await gateway.PostUsageAsync(UsageTestHelpers.Record(sim.Imsi(), now - (30 * 86_400) - 1, 1, 1)))
            .ShouldBe(HttpStatusCode.BadRequest, "COM0004").Str("message").ShouldBe("records[0].unixtime: older than the de-duplication window of 30 days");
    }

    private static void ShouldBeAccepted(ApiResponse response) =>
        response.ShouldBe(HttpStatusCode.OK).Json["accepted"]!.GetValue<int>().ShouldBe(1);
}

public sealed class DeduplicationWindowSettingTests_Sqlite() : DeduplicationWindowSettingTests(DatabaseKind.Sqlite);

public sealed class DeduplicationWindowSettingTests_Postgres() : DeduplicationWindowSettingTests(DatabaseKind.Postgres);
