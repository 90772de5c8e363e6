using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Simlane.Core.Usage;
using Simlane.Server.Tests.Engine;
using Simlane.Server.Tests.Infrastructure;
using Simlane.Storage;

namespace Simlane.Server.Tests.Usage;

/// <summary>
/// <c>Simlane:Usage:CheckpointIntervalSeconds</c> and <c>CheckpointCounters</c> (decision S71): each starts a checkpoint on its own,
/// with no reader asking for one, and a bad value stops the server at start naming the setting.
/// </summary>
public abstract class CheckpointSettingTests(DatabaseKind kind) : FreshDatabaseTest(kind)
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 2, 3, 4, 5, TimeSpan.Zero));

    private long Now => clock.GetUtcNow().ToUnixTimeSeconds();

    [Theory]
    [InlineData("CheckpointIntervalSeconds", "0", "Simlane:Usage:CheckpointIntervalSeconds must be a whole number of seconds between 1 and 3600, not 0")]
    [InlineData("CheckpointIntervalSeconds", "3601", "Simlane:Usage:CheckpointIntervalSeconds must be a whole number of seconds between 1 and 3600, not 3601")]
    [InlineData("CheckpointIntervalSeconds", "soon", "'soon' at 'Simlane:Usage:CheckpointIntervalSeconds'")]
    [InlineData("CheckpointCounters", "9999", "Simlane:Usage:CheckpointCounters must be between 10000 and 50000000, not 9999")]
    [InlineData("CheckpointCounters", "50000001", "Simlane:Usage:CheckpointCounters must be between 10000 and 50000000, not 50000001")]
    public async Task BadSetting_StopsTheServerAtStart_NamingIt(string setting, string value, string message)
    {
        var settings = new Dictionary<string, string> { [$"Simlane:Usage:{setting}"] = value };

        var output = await ServerProcess.StartFailureAsync(Database.ConnectionString, ServerProcess.AsEnvironment(settings));

        output.ShouldContain(message);
    }

    [Fact]
    public async Task AShortInterval_WritesTheCountersWithNobodyAsking()
    {
        // The real clock: the fold's loop sleeps on the server's clock between rounds, and an idle round looks at the interval.
        await using var server = new SimlaneFactory(
            Database.ConnectionString, clock: null, settings: new Dictionary<string, string> { ["Simlane:Usage:CheckpointIntervalSeconds"] = "1" });
        var (op, gateway) = await SignUpAsync(server);
        var sim = await op.CreateRegisteredSimAsync();

        (await gateway.PostUsageAsync(UsageTestHelpers.Record(sim.Imsi(), server.Services.GetRequiredService<TimeProvider>().GetUtcNow().ToUnixTimeSeconds() - 5, 3, 4))).ShouldBe(HttpStatusCode.OK);

        (await CheckpointedAsync()).ShouldBeTrue("the journal is emptied by a checkpoint's completion");
        await using var db = DatabaseOptions.Parse(Database.ConnectionString).CreateContext();
        (await db.UsageCounters.CountAsync(c => c.Scope == UsageScope.Subscriber && c.ScopeId == sim.Imsi())).ShouldBe(3, "five minutes, day and all time");
    }

    [Fact]
    public async Task ALowCounterLimit_StartsACheckpointBeforeTheInterval()
    {
        // The interval is an hour: only the 10,000 counters held (five SIMs x 2,000 five-minute buckets) start this checkpoint.
        await using var server = new SimlaneFactory(
            Database.ConnectionString, clock, settings: new Dictionary<string, string>
            {
                ["Simlane:Usage:CheckpointIntervalSeconds"] = "3600", ["Simlane:Usage:CheckpointCounters"] = "10000",
            });
        var (op, gateway) = await SignUpAsync(server);
        for (var s = 0; s < 5; s++)
        {
            var sim = await op.CreateRegisteredSimAsync();
            var records = Enumerable.Range(0, 2_000).Select(i => UsageTestHelpers.Record(sim.Imsi(), Now - (300L * i) - 1, 1, 1)).ToArray();
            (await gateway.PostUsageAsync(records)).ShouldBe(HttpStatusCode.OK).Json["accepted"]!.GetValue<int>().ShouldBe(2_000);
        }

        (await CheckpointedAsync()).ShouldBeTrue("the journal is emptied by a checkpoint's completion");
        await using var db = DatabaseOptions.Parse(Database.ConnectionString).CreateContext();
        (await db.UsageCounters.Where(c => c.Scope == UsageScope.Subscriber && c.Period == UsagePeriod.FiveMinutes).CountAsync()).ShouldBe(10_000);
        (await db.UsageCounters.Where(c => c.Scope == UsageScope.Subscriber && c.Period == UsagePeriod.AllTime).SumAsync(c => c.UploadBytes)).ShouldBe(10_000);
    }

    private static async Task<(ApiClient Op, ApiClient Gateway)> SignUpAsync(SimlaneFactory server)
    {
        var op = await new ApiClient(server.CreateDefaultClient(new ContractValidatingHandler())).SignUpAsync();
        var http = server.CreateDefaultClient(new ContractValidatingHandler());
        http.DefaultRequestHeaders.Add("X-Simlane-Gateway-Key", SimlaneFactory.GatewayKey);
        return (op, new ApiClient(http));
    }

    /// <summary>Whether a checkpoint completed (it deletes the journal rows it wrote), waiting up to a minute: it runs in the background.</summary>
    private async Task<bool> CheckpointedAsync()
    {
        await using var db = DatabaseOptions.Parse(Database.ConnectionString).CreateContext();
        for (var waited = TimeSpan.Zero; waited < TimeSpan.FromMinutes(1); waited += TimeSpan.FromMilliseconds(100))
        {
            if (!await db.UsageJournal.AnyAsync())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }
}

public sealed class CheckpointSettingTests_Sqlite() : CheckpointSettingTests(DatabaseKind.Sqlite);

public sealed class CheckpointSettingTests_Postgres() : CheckpointSettingTests(DatabaseKind.Postgres);
