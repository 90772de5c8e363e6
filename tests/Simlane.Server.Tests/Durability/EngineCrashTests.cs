using System.Net;
using Microsoft.EntityFrameworkCore;
using Simlane.Server.Tests.Engine;
using Simlane.Server.Tests.Infrastructure;
using Simlane.Server.Tests.Usage;
using Simlane.Storage;

namespace Simlane.Server.Tests.Durability;

/// <summary>
/// kill -9 right after a threshold crossing is recorded: whether the rule engine had committed its batch or not,
/// the restarted server shows exactly one firing, and a further restart adds none.
/// </summary>
public abstract class EngineCrashTests(DatabaseKind kind) : FreshDatabaseTest(kind)
{
    [Fact]
    public async Task Kill_RightAfterACrossing_YieldsExactlyOneFiringAfterRestart()
    {
        ApiClient op;
        string handlerId;
        using (var first = await ServerProcess.StartAsync(Database.ConnectionString))
        {
            op = await first.Client().SignUpAsync();
            var imsi = (await op.CreateRegisteredSimAsync()).Imsi();
            handlerId = await op.CreateHandlerAsync("targetImsi", imsi, "SubscriberDailyTrafficRule",
                """{"limitTotalTrafficMegaByte":"1","inactiveTimeoutDateConst":"BEGINNING_OF_NEXT_DAY"}""");
            var now = await op.NowMsAsync();
            (await op.PostAsync($"/v1/sandbox/stats/air/subscribers/{imsi}", new
            {
                unixtime = now / 1000,
                dataTrafficStatsMap = new Dictionary<string, object> { ["s1.standard"] = new { downloadByteSizeTotal = (2 * EngineTestKit.MiB) } },
            })).ShouldBe(HttpStatusCode.OK);
            first.Kill();
        }

        (await ExecutionRowsAsync(handlerId)).ShouldBeLessThanOrEqualTo(1);

        for (var start = 0; start < 2; start++)
        {
            using var server = await ServerProcess.StartAsync(Database.ConnectionString);
            var again = server.Client().WithCredentials(op.ApiKey!, op.Token!, op.OperatorId);
            await again.DrainAsync();
            (await again.FiringsAsync(handlerId)).ShouldBe(1);
            server.Kill();
        }

        (await ExecutionRowsAsync(handlerId)).ShouldBe(1);
    }

    private async Task<int> ExecutionRowsAsync(string handlerId)
    {
        await using var db = DatabaseOptions.Parse(Database.ConnectionString).CreateContext();
        return await db.HandlerExecutions.CountAsync(e => e.HandlerId == handlerId);
    }
}

public sealed class EngineCrashTests_Sqlite() : EngineCrashTests(DatabaseKind.Sqlite);

public sealed class EngineCrashTests_Postgres() : EngineCrashTests(DatabaseKind.Postgres);
