using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Simlane.Server.Tests.Infrastructure;
using Simlane.Server.Tests.Usage;
using Simlane.Storage;

namespace Simlane.Server.Tests.Storage;

/// <summary>
/// The migration that scoped usage record IDs to operators (UsageRecordsPerOperator): records accepted before
/// it keep counting as duplicates for their own operator only, and going back down keeps one record per ID.
/// Its own class: it migrates the fixture's database down and up again.
/// </summary>
public abstract class UsageRecordsMigrationTests(ServerFixture server)
{
    private long Now => server.Clock.GetUtcNow().ToUnixTimeSeconds();

    private async Task MigrateAsync(string? target)
    {
        await using var db = DatabaseOptions.Parse(server.Database.ConnectionString).CreateContext();
        await db.GetService<IMigrator>().MigrateAsync(target);
    }

    [Fact]
    public async Task DownAndUp_RecordsAcceptedBefore_StayDuplicatesOfTheirOwnOperatorOnly()
    {
        var alice = await server.NewOperatorAsync();
        var bob = await server.NewOperatorAsync();
        var aliceSim = await alice.CreateRegisteredSimAsync();
        var bobSim = await bob.CreateRegisteredSimAsync();
        var id = "gw-" + Guid.NewGuid().ToString("N");
        (await alice.PostUsageAsync(UsageTestHelpers.Record(aliceSim.Imsi(), Now - 10, 10, 20, recordId: id))).ShouldBe(HttpStatusCode.OK);
        server.Clock.Advance(TimeSpan.FromSeconds(1));
        (await bob.PostUsageAsync(UsageTestHelpers.Record(bobSim.Imsi(), Now - 10, 1, 2, recordId: id))).ShouldBe(HttpStatusCode.OK);

        await MigrateAsync("ActionDeliveries"); // one namespace again: the earliest accepted (Alice's) stays
        await MigrateAsync(null);

        await using (var db = DatabaseOptions.Parse(server.Database.ConnectionString).CreateContext())
        {
            (await db.AcceptedUsageRecords.Where(r => r.RecordId == id).Select(r => r.OperatorId).ToListAsync()).ShouldBe([alice.OperatorId!]);
        }

        var again = (await alice.PostUsageAsync(UsageTestHelpers.Record(aliceSim.Imsi(), Now - 5, 100, 100, recordId: id))).ShouldBe(HttpStatusCode.OK);
        again.Json["duplicates"]!.GetValue<int>().ShouldBe(1);
        var bobs = (await bob.PostUsageAsync(UsageTestHelpers.Record(bobSim.Imsi(), Now - 5, 3, 4, recordId: id))).ShouldBe(HttpStatusCode.OK);
        bobs.Json["accepted"]!.GetValue<int>().ShouldBe(1);
    }
}

public sealed class UsageRecordsMigrationTests_Sqlite(SqliteServer server) : UsageRecordsMigrationTests(server), IClassFixture<SqliteServer>;

public sealed class UsageRecordsMigrationTests_Postgres(PostgresServer server) : UsageRecordsMigrationTests(server), IClassFixture<PostgresServer>;
