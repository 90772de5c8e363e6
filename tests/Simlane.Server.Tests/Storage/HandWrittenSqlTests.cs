using Microsoft.EntityFrameworkCore;
using Simlane.Core.Usage;
using Simlane.Server.Tests.Infrastructure;
using Simlane.Storage;

namespace Simlane.Server.Tests.Storage;

/// <summary>
/// Storage's hand-written SQL takes its table and column names from the EF model, so a renamed or unmapped
/// property fails when the statements are built, not on the first request that runs them.
/// </summary>
public abstract class HandWrittenSqlTests(ServerFixture server)
{
    private SimlaneDb Db() => DatabaseOptions.Parse(server.Database.ConnectionString).CreateContext();

    [Fact]
    public async Task EveryStatement_BuildsAgainstThisProvidersModel()
    {
        await using var db = Db();
        Should.NotThrow(() => HandWrittenSql.Verify(db.Model));
    }

    [Fact]
    public async Task Names_AreTheModelsSnakeCaseNames()
    {
        await using var db = Db();
        ModelNames.Table<UsageCounter>(db.Model).ShouldBe("usage_counters");
        ModelNames.Column<UsageCounter>(db.Model, nameof(UsageCounter.UploadBytes)).ShouldBe("upload_bytes");
        ModelNames.Column<AcceptedUsageRecord>(db.Model, nameof(AcceptedUsageRecord.AcceptedTime)).ShouldBe("accepted_time");
    }

    [Fact]
    public async Task AnUnmappedProperty_FailsWithItsName()
    {
        await using var db = Db();
        var error = Should.Throw<InvalidOperationException>(() => ModelNames.Column<UsageCounter>(db.Model, "UploadOctets"));
        error.Message.ShouldContain("UsageCounter.UploadOctets");
    }

    [Fact]
    public async Task ATypeOutsideTheModel_Fails()
    {
        await using var db = Db();
        var error = Should.Throw<InvalidOperationException>(() => ModelNames.Table<TrafficTotals>(db.Model));
        error.Message.ShouldContain(nameof(TrafficTotals));
    }

    [Fact]
    public async Task BundleSearch_MatchesPartOfABundleName_AndTreatsTheEscapedWildcardLiterally()
    {
        var op = await server.NewOperatorAsync();
        var simId = (await op.CreateRegisteredSimAsync()).Str("simId");
        await using var db = Db();
        var subscription = await db.Subscriptions.FirstAsync(x => x.SimId == simId);
        subscription.Bundles = ["X3-5MB_ALL"];
        await db.SaveChangesAsync();

        (await db.SimIdsWithBundleLike("%3-5mb%").ToListAsync()).ShouldContain(simId);
        (await db.SimIdsWithBundleLike("%x3\\_5mb%").ToListAsync()).ShouldNotContain(simId);
        (await db.SimIdsWithBundleLike("%5mb\\_all%").ToListAsync()).ShouldContain(simId);
    }
}

public sealed class HandWrittenSqlTests_Sqlite(SqliteServer server) : HandWrittenSqlTests(server), IClassFixture<SqliteServer>;

public sealed class HandWrittenSqlTests_Postgres(PostgresServer server) : HandWrittenSqlTests(server), IClassFixture<PostgresServer>;
