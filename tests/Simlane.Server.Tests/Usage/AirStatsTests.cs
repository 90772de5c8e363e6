using System.Net;
using Simlane.Core.Usage;
using Simlane.Server.Tests.Infrastructure;

namespace Simlane.Server.Tests.Usage;

/// <summary>/v1/stats/air/*: bucket snapping at UTC boundaries, look-back limits, access, and sandbox inserts.</summary>
public abstract class AirStatsTests(ServerFixture server)
{
    private long Now => server.Clock.GetUtcNow().ToUnixTimeSeconds();

    [Fact]
    public async Task GetAirStats_Month_SnapsToWholeUtcMonths()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var monthStart = UsageWindows.MonthStart(Now);
        var previousMonth = UsageWindows.MonthStart(monthStart - 1);
        (await server.Gateway().PostUsageAsync(
            UsageTestHelpers.Record(sim.Imsi(), monthStart - 1, 1, 10),
            UsageTestHelpers.Record(sim.Imsi(), monthStart, 2, 20))).ShouldBe(HttpStatusCode.OK);
        var path = $"subscribers/{sim.Imsi()}";

        (await op.StatsAsync(path, monthStart + 5, Now, "month")).Buckets().ShouldBe([(monthStart, 2L, 20L)]);
        (await op.StatsAsync(path, monthStart - 1, monthStart - 1, "month")).Buckets().ShouldBe([(previousMonth, 1L, 10L)]);
        (await op.StatsAsync(path, previousMonth + 86_400, monthStart + 1, "month")).Buckets().ShouldBe([(previousMonth, 1L, 10L), (monthStart, 2L, 20L)]);
        var first = (await op.StatsAsync(path, monthStart, monthStart, "month"))[0]!;
        first["date"]!.GetValue<string>().ShouldBe(DateTimeOffset.FromUnixTimeSeconds(monthStart).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task GetAirStatsOfSim_Day_SnapsToWholeUtcDays()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var today = UsageWindows.BucketStart(UsagePeriod.Day, Now);
        (await server.Gateway().PostUsageAsync(
            UsageTestHelpers.Record(sim.Imsi(), today - 1, 1, 10),
            UsageTestHelpers.Record(sim.Imsi(), today, 2, 20))).ShouldBe(HttpStatusCode.OK);
        var path = $"sims/{sim.Str("simId")}";

        (await op.StatsAsync(path, today + 1, today + 2, "day")).Buckets().ShouldBe([(today, 2L, 20L)]);
        (await op.StatsAsync(path, today - 86_400, today - 1, "day")).Buckets().ShouldBe([(today - 86_400, 1L, 10L)]);
        (await op.StatsAsync(path, today - 1, today, "day")).Buckets().ShouldBe([(today - 86_400, 1L, 10L), (today, 2L, 20L)]);
    }

    [Fact]
    public async Task GetAirStatsOfSim_SumsEverySubscription_PerSpeedClass()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var simId = sim.Str("simId");
        var profile = (await op.PostAsync($"/v1/sims/{simId}/profiles/{simId}/add_subscription", new { subscription = "planX3" })).ShouldBe(HttpStatusCode.OK);
        var secondary = profile.Json["subscribers"]!.AsObject().Single(s => s.Key != sim.Imsi()).Key;
        var bucket = UsageWindows.BucketStart(UsagePeriod.FiveMinutes, Now) - 300;
        (await server.Gateway().PostUsageAsync(
            UsageTestHelpers.Record(sim.Imsi(), bucket + 1, 1, 10, "s1.standard"),
            UsageTestHelpers.Record(secondary, bucket + 2, 2, 20, "s1.standard"),
            UsageTestHelpers.Record(secondary, bucket + 3, 4, 40, "s1.fast"))).ShouldBe(HttpStatusCode.OK);

        var minutes = (await op.StatsAsync($"sims/{simId}", bucket, bucket, "minutes")).ShouldHaveSingleItem()!;
        var map = minutes["dataTrafficStatsMap"]!.AsObject();
        map.Select(p => p.Key).ShouldBe(["s1.fast", "s1.standard"]);
        (map["s1.standard"]!["uploadByteSizeTotal"]!.GetValue<long>(), map["s1.standard"]!["downloadByteSizeTotal"]!.GetValue<long>()).ShouldBe((3L, 30L));
        (map["s1.fast"]!["uploadByteSizeTotal"]!.GetValue<long>(), map["s1.fast"]!["downloadByteSizeTotal"]!.GetValue<long>()).ShouldBe((4L, 40L));
        (await op.StatsAsync($"sims/{simId}", Now, Now, "month")).Buckets().ShouldBe([(UsageWindows.MonthStart(Now), 7L, 70L)]);

        // Each subscriber's own stats hold only its traffic.
        (await op.StatsAsync($"subscribers/{sim.Imsi()}", bucket, bucket, "minutes")).Buckets().ShouldBe([(bucket, 1L, 10L)]);
        (await op.StatsAsync($"subscribers/{secondary}", bucket, bucket, "minutes")).Buckets().ShouldBe([(bucket, 6L, 60L)]);
    }

    [Fact]
    public async Task GetAirStatsOfSim_Minutes_SnapsToFiveMinuteBuckets()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var bucket = UsageWindows.BucketStart(UsagePeriod.FiveMinutes, Now) - 600;
        (await server.Gateway().PostUsageAsync(
            UsageTestHelpers.Record(sim.Imsi(), bucket - 1, 1, 10),
            UsageTestHelpers.Record(sim.Imsi(), bucket, 2, 20),
            UsageTestHelpers.Record(sim.Imsi(), bucket + 299, 3, 30),
            UsageTestHelpers.Record(sim.Imsi(), bucket + 300, 4, 40))).ShouldBe(HttpStatusCode.OK);
        var path = $"sims/{sim.Str("simId")}";

        (await op.StatsAsync(path, bucket + 10, bucket + 20, "minutes")).Buckets().ShouldBe([(bucket, 5L, 50L)]);
        (await op.StatsAsync(path, bucket - 1, bucket + 300, "minutes")).Buckets().ShouldBe([(bucket - 300, 1L, 10L), (bucket, 5L, 50L), (bucket + 300, 4L, 40L)]);
    }

    [Fact]
    public async Task GetAirStatsOfGroup_DayAndMonth_SumTheGroupsSims()
    {
        var op = await server.NewOperatorAsync();
        var groupId = await op.CreateGroupAsync();
        var sims = new List<ApiResponse>();
        foreach (var _ in Enumerable.Range(0, 2))
        {
            var sim = await op.CreateRegisteredSimAsync();
            (await op.PostAsync($"/v1/sims/{sim.Str("simId")}/set_group", new { groupId })).ShouldBe(HttpStatusCode.OK);
            sims.Add(sim);
        }

        // Group totals follow membership at the traffic's own time (decisions.md S24): move to just after the
        // next UTC midnight, so traffic on both sides of it is after joining; sign in again, as the jump may
        // outlast the token.
        var joinedDay = UsageWindows.BucketStart(UsagePeriod.Day, Now);
        server.Clock.Advance(TimeSpan.FromSeconds(joinedDay + 86_400 + 300 - Now));
        var signedIn = (await server.Anonymous().PostAsync("/v1/auth", new { email = op.Email, password = op.Password })).ShouldBe(HttpStatusCode.OK);
        op = op.WithCredentials(signedIn.Str("apiKey"), signedIn.Str("token"));
        var today = UsageWindows.BucketStart(UsagePeriod.Day, Now);
        foreach (var sim in sims)
        {
            (await server.Gateway().PostUsageAsync(
                UsageTestHelpers.Record(sim.Imsi(), today - 10, 1, 2),
                UsageTestHelpers.Record(sim.Imsi(), today + 10, 3, 4, "s1.fast"))).ShouldBe(HttpStatusCode.OK);
        }

        (await op.StatsAsync($"groups/{groupId}", today - 10, Now, "day")).Buckets().ShouldBe([(today - 86_400, 2L, 4L), (today, 6L, 8L)]);
        (await op.StatsAsync($"groups/{groupId}", Now, Now, "month")).Buckets().Sum(b => b.Up).ShouldBe(UsageWindows.MonthStart(today - 10) == UsageWindows.MonthStart(Now) ? 8L : 6L);
    }

    public static TheoryData<string, string> LookBackCases() => new()
    {
        { "sims", "month:-19mo" },
        { "sims", "day:-19mo" },
        { "sims", "minutes:-33d" },
        { "subscribers", "minutes:-33d" },
        { "groups", "month:-4mo" },
        { "groups", "day:-8d" },
        { "operators", "month:-4mo" },
        { "operators", "day:-8d" },
    };

    [Theory]
    [MemberData(nameof(LookBackCases))]
    public async Task GetAirStats_FromBeyondLookBack_Answers400ButWithinIsOk(string kind, string spec)
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var groupId = await op.CreateGroupAsync();
        var path = kind switch
        {
            "sims" => $"sims/{sim.Str("simId")}",
            "subscribers" => $"subscribers/{sim.Imsi()}",
            "groups" => $"groups/{groupId}",
            _ => $"operators/{op.OperatorId}",
        };
        var period = spec.Split(':')[0];
        var now = server.Clock.GetUtcNow();
        var (beyond, within) = spec.Split(':')[1] switch
        {
            "-19mo" => (now.AddMonths(-19), now.AddMonths(-17)),
            "-4mo" => (now.AddMonths(-4), now.AddMonths(-3).AddHours(1)),
            "-33d" => (now.AddDays(-33), now.AddDays(-31)),
            _ => (now.AddDays(-8), now.AddDays(-6)),
        };

        (await op.GetAsync($"/v1/stats/air/{path}?from={beyond.ToUnixTimeSeconds()}&to={Now}&period={period}")).ShouldBe(HttpStatusCode.BadRequest, "COM0007");
        (await op.GetAsync($"/v1/stats/air/{path}?from={within.ToUnixTimeSeconds()}&to={Now}&period={period}")).ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("sims", "to={now}&period=day")]
    [InlineData("sims", "from={now}&period=day")]
    [InlineData("sims", "from={now}&to={now}")]
    [InlineData("sims", "from={now}&to={now}&period=hour")]
    [InlineData("sims", "from=abc&to={now}&period=day")]
    [InlineData("sims", "from={later}&to={now}&period=day")]
    [InlineData("groups", "from={now}&to={now}&period=minutes")]
    [InlineData("operators", "from={now}&to={now}&period=minutes")]
    public async Task GetAirStats_BadQuery_Answers400(string kind, string query)
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var groupId = await op.CreateGroupAsync();
        var path = kind switch
        {
            "sims" => $"sims/{sim.Str("simId")}",
            "groups" => $"groups/{groupId}",
            _ => $"operators/{op.OperatorId}",
        };
        var q = query.Replace("{now}", Now.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{later}", (Now + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        (await op.GetAsync($"/v1/stats/air/{path}?{q}")).ShouldBe(HttpStatusCode.BadRequest, "COM0007");
    }

    [Fact]
    public async Task GetAirStats_AnotherOperatorsResources_Answer404Or400()
    {
        var op = await server.NewOperatorAsync();
        var other = await server.NewOperatorAsync();
        var foreign = await other.CreateRegisteredSimAsync();
        var foreignGroup = await other.CreateGroupAsync();
        (await server.Gateway().PostUsageAsync(UsageTestHelpers.Record(foreign.Imsi(), Now - 1, 1, 1))).ShouldBe(HttpStatusCode.OK);
        var q = $"from={Now}&to={Now}&period=day";

        (await op.GetAsync($"/v1/stats/air/sims/{foreign.Str("simId")}?{q}")).ShouldBe(HttpStatusCode.NotFound, "SEM0001");
        (await op.GetAsync($"/v1/stats/air/subscribers/{foreign.Imsi()}?{q}")).ShouldBe(HttpStatusCode.NotFound, "SEM0002");
        (await op.GetAsync($"/v1/stats/air/groups/{foreignGroup}?{q}")).ShouldBe(HttpStatusCode.NotFound, "GRM0001");
        (await op.GetAsync($"/v1/stats/air/sims/unknown-sim?{q}")).ShouldBe(HttpStatusCode.NotFound, "SEM0001");
        (await op.GetAsync($"/v1/stats/air/operators/{other.OperatorId}?{q}")).ShouldBe(HttpStatusCode.BadRequest, "AUM0010");
        (await op.GetAsync($"/v1/stats/air/operators/{op.OperatorId}?{q}")).ShouldBe(HttpStatusCode.OK).Array.ShouldBeEmpty();
    }

    [Fact]
    public async Task SandboxInsertAirStats_MoreThanFiveMinutesAhead_Answers400AndCountsNothing()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var now = (await op.GetAsync("/v1/sandbox/clock")).Json["now"]!.GetValue<long>() / 1000;
        object Body(long at) => new
        {
            unixtime = at,
            dataTrafficStatsMap = new Dictionary<string, object> { ["s1.standard"] = new { uploadByteSizeTotal = 1, downloadByteSizeTotal = 1 } },
        };

        (await op.PostAsync($"/v1/sandbox/stats/air/subscribers/{sim.Imsi()}", Body(now + 301))).ShouldBe(HttpStatusCode.BadRequest, "COM0004");
        (await op.PostAsync($"/v1/sandbox/stats/air/subscribers/{sim.Imsi()}", Body(-1))).ShouldBe(HttpStatusCode.BadRequest, "COM0004");
        var q = $"from={now - 86400}&to={now + 86400}&period=day";
        (await op.GetAsync($"/v1/stats/air/subscribers/{sim.Imsi()}?{q}")).ShouldBe(HttpStatusCode.OK).Array.ShouldBeEmpty();

        (await op.PostAsync($"/v1/sandbox/stats/air/subscribers/{sim.Imsi()}", Body(now + 300))).ShouldBe(HttpStatusCode.OK);
        (await op.GetAsync($"/v1/stats/air/subscribers/{sim.Imsi()}?{q}")).ShouldBe(HttpStatusCode.OK).Array.Count.ShouldBe(1);
    }

    [Fact]
    public async Task SandboxInsertAirStats_PerSpeedClass_AccumulatesAndSameTimestampAnswers400()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var imsi = sim.Imsi();
        var at = Now - 60;
        var body = new
        {
            unixtime = at,
            dataTrafficStatsMap = new Dictionary<string, object>
            {
                ["s1.standard"] = new { uploadByteSizeTotal = 100, downloadByteSizeTotal = 200, uploadPacketSizeTotal = 1, downloadPacketSizeTotal = 2 },
                ["s1.fast"] = new { uploadByteSizeTotal = 5_000_000_000L, downloadByteSizeTotal = 6, uploadPacketSizeTotal = 3, downloadPacketSizeTotal = 4 },
            },
        };
        (await op.PostAsync($"/v1/sandbox/stats/air/subscribers/{imsi}", body)).ShouldBe(HttpStatusCode.OK);
        (await op.PostAsync($"/v1/sandbox/stats/air/subscribers/{imsi}", body)).ShouldBe(HttpStatusCode.BadRequest, "SBX1012");
        (await op.PostAsync($"/v1/sandbox/stats/air/subscribers/{imsi}", new
        {
            unixtime = at + 1,
            dataTrafficStatsMap = new Dictionary<string, object> { ["s1.standard"] = new { uploadByteSizeTotal = 1, downloadByteSizeTotal = 1 } },
        })).ShouldBe(HttpStatusCode.OK);

        var stats = await op.StatsAsync($"subscribers/{imsi}", at, at, "minutes");
        var map = stats.Single()!["dataTrafficStatsMap"]!;
        map["s1.standard"]!["uploadByteSizeTotal"]!.GetValue<long>().ShouldBe(101);
        map["s1.fast"]!["uploadByteSizeTotal"]!.GetValue<long>().ShouldBe(5_000_000_000L);
        map["s1.fast"]!["downloadPacketSizeTotal"]!.GetValue<long>().ShouldBe(4);
    }

    [Fact]
    public async Task SandboxInsertAirStats_InvalidOrForeign_Answers4xx()
    {
        var op = await server.NewOperatorAsync();
        var other = await server.NewOperatorAsync();
        var foreign = await other.CreateRegisteredSimAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var good = new Dictionary<string, object> { ["s1.standard"] = new { uploadByteSizeTotal = 1, downloadByteSizeTotal = 1 } };

        (await op.PostAsync($"/v1/sandbox/stats/air/subscribers/{foreign.Imsi()}", new { unixtime = Now, dataTrafficStatsMap = good })).ShouldBe(HttpStatusCode.NotFound, "SEM0002");
        (await op.PostAsync($"/v1/sandbox/stats/air/subscribers/{sim.Imsi()}", new { dataTrafficStatsMap = good })).ShouldBe(HttpStatusCode.BadRequest, "COM0002");
        (await op.PostAsync($"/v1/sandbox/stats/air/subscribers/{sim.Imsi()}", new { unixtime = Now })).ShouldBe(HttpStatusCode.BadRequest, "COM0002");
        (await op.PostAsync($"/v1/sandbox/stats/air/subscribers/{sim.Imsi()}", new
        {
            unixtime = Now,
            dataTrafficStatsMap = new Dictionary<string, object> { ["x9.bogus"] = new { uploadByteSizeTotal = 1 } },
        })).ShouldBe(HttpStatusCode.BadRequest, "COM0004");
        (await op.PostAsync($"/v1/sandbox/stats/air/subscribers/{sim.Imsi()}", new
        {
            unixtime = Now,
            dataTrafficStatsMap = new Dictionary<string, object> { ["s1.standard"] = new { uploadByteSizeTotal = -1 } },
        })).ShouldBe(HttpStatusCode.BadRequest, "COM0004");
        (await op.StatsAsync($"sims/{sim.Str("simId")}", Now, Now, "day")).ShouldBeEmpty();
    }
}

public sealed class AirStatsTests_Sqlite(SqliteServer server) : AirStatsTests(server), IClassFixture<SqliteServer>;

public sealed class AirStatsTests_Postgres(PostgresServer server) : AirStatsTests(server), IClassFixture<PostgresServer>;
