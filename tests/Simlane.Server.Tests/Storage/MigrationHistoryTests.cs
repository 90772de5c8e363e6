using Microsoft.EntityFrameworkCore;
using Simlane.Server.Tests.Infrastructure;
using Simlane.Storage;

namespace Simlane.Server.Tests.Storage;

/// <summary>
/// One Initial migration per provider (issue 18): a fresh database gets the whole schema and the rule engine's
/// cursor from it, and a database whose history names migrations this build does not have (one made before the
/// squash) is refused with a message that says to recreate it, instead of failing half-way through creating
/// tables that exist. Each test makes its own database.
/// </summary>
public abstract class MigrationHistoryTests(DatabaseKind kind) : IAsyncLifetime
{
    private TestDatabase database = null!;

    public async Task InitializeAsync() => database = await TestDatabase.CreateAsync(kind);

    public async Task DisposeAsync() => await database.DisposeAsync();

    private SimlaneDb Db() => DatabaseOptions.Parse(database.ConnectionString).CreateContext();

    [Fact]
    public async Task AFreshDatabase_GetsOneInitialMigration_AndTheEngineCursor()
    {
        await Migrator.MigrateAsync(DatabaseOptions.Parse(database.ConnectionString));

        await using var db = Db();
        (await db.Database.GetAppliedMigrationsAsync()).ShouldHaveSingleItem().ShouldEndWith("_Initial");
        (await db.Database.GetPendingMigrationsAsync()).ShouldBeEmpty();
        (await db.Database.SqlQueryRaw<long>("SELECT position AS \"Value\" FROM engine_cursors WHERE name = 'engine'").ToListAsync()).ShouldBe([0L]);
    }

    [Fact]
    public async Task ADatabaseFromBeforeTheSquash_IsRefused_WithWhatToDo_AndLeftAsItWas()
    {
        await Migrator.MigrateAsync(DatabaseOptions.Parse(database.ConnectionString));
        await using (var db = Db())
        {
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO \"__EFMigrationsHistory\" (\"MigrationId\", \"ProductVersion\") VALUES ('20261124030752_Timers', '10.0.15')");
        }

        var error = await Should.ThrowAsync<InvalidOperationException>(() => Migrator.MigrateAsync(DatabaseOptions.Parse(database.ConnectionString)));

        error.Message.ShouldContain("20261124030752_Timers");
        error.Message.ShouldContain("recreate it");
        await using var after = Db();
        (await after.Database.GetAppliedMigrationsAsync()).Count().ShouldBe(2);
    }
}

public sealed class MigrationHistoryTests_Sqlite() : MigrationHistoryTests(DatabaseKind.Sqlite);

public sealed class MigrationHistoryTests_Postgres() : MigrationHistoryTests(DatabaseKind.Postgres);
