using Microsoft.EntityFrameworkCore;
using Simlane.Server.Tests.Infrastructure;
using Simlane.Storage;

namespace Simlane.Server.Tests.Storage;

/// <summary>
/// The pruner's statement (<see cref="UsageRecordRetention.DeleteBatchAsync"/>): at most the batch size per call, only
/// record times strictly before the cut, never the sandbox's IDs. Record times are a day old, inside the server's own
/// window, so its pruner leaves these rows alone.
/// </summary>
public abstract class UsageRecordRetentionTests(ServerFixture server)
{
    [Fact]
    public async Task DeleteBatch_TakesAtMostTheLimit_OnlyBeforeTheCut_AndKeepsSandboxIds()
    {
        var operatorId = "OP" + Random.Shared.NextInt64(1_000_000_000L, 9_999_999_999L);
        var cut = server.Clock.GetUtcNow().ToUnixTimeSeconds() - 86_400;
        await using var db = DatabaseOptions.Parse(server.Database.ConnectionString).CreateContext();
        AcceptedUsageRecord Row(string id, long unixtime) => new() { OperatorId = operatorId, RecordId = id, Imsi = "001010000000001", Unixtime = unixtime, AcceptedTime = 0 };
        db.AcceptedUsageRecords.AddRange(
            Row("a", cut - 3), Row("b", cut - 2), Row("c", cut - 1), Row("at-the-cut", cut), Row("after", cut + 1),
            Row($"sandbox:001010000000001:{cut - 100}", cut - 100));
        await db.SaveChangesAsync();

        (await UsageRecordRetention.DeleteBatchAsync(db, cut, limit: 2, CancellationToken.None)).ShouldBe(2);
        (await UsageRecordRetention.DeleteBatchAsync(db, cut, limit: 2, CancellationToken.None)).ShouldBe(1);
        (await UsageRecordRetention.DeleteBatchAsync(db, cut, limit: 2, CancellationToken.None)).ShouldBe(0);

        var left = await db.AcceptedUsageRecords.AsNoTracking().Where(r => r.OperatorId == operatorId).Select(r => r.RecordId).OrderBy(r => r).ToListAsync();
        left.ShouldBe(["after", "at-the-cut", $"sandbox:001010000000001:{cut - 100}"]);
    }
}

public sealed class UsageRecordRetentionTests_Sqlite(SqliteServer server) : UsageRecordRetentionTests(server), IClassFixture<SqliteServer>;

public sealed class UsageRecordRetentionTests_Postgres(PostgresServer server) : UsageRecordRetentionTests(server), IClassFixture<PostgresServer>;
