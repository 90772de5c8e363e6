using Microsoft.EntityFrameworkCore;
using Simlane.Server.Tests.Engine;
using Simlane.Server.Tests.Infrastructure;
using Simlane.Storage;

namespace Simlane.Server.Tests.Storage;

/// <summary>SQLite's WAL is checkpointed in the background, not inside commits (docs/engine.md, "Writer priority on SQLite").</summary>
public sealed class SqliteCheckpointTests(SqliteServer server) : IClassFixture<SqliteServer>
{
    [Fact]
    public async Task SimlanesConnections_DoNotCheckpointInsideCommits()
    {
        await using var db = DatabaseOptions.Parse(server.Database.ConnectionString).CreateContext();
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA wal_autocheckpoint;";
        Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture).ShouldBe(0);
    }

    [Fact]
    public async Task APooledConnection_KeepsTheSetting_WhenContextsReuseIt()
    {
        // The setting is applied once per native connection; every later open through the pool must still see it.
        var database = DatabaseOptions.Parse(server.Database.ConnectionString);
        var handles = new HashSet<object>();
        for (var i = 0; i < 5; i++)
        {
            await using var db = database.CreateContext();
            await db.Database.OpenConnectionAsync();
            var connection = (Microsoft.Data.Sqlite.SqliteConnection)db.Database.GetDbConnection();
            handles.Add(connection.Handle!);
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_autocheckpoint;";
            Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture).ShouldBe(0);
            await db.Database.CloseConnectionAsync();
        }

        handles.Count.ShouldBeLessThan(5); // the pool handed a native connection out again
    }

    [Fact]
    public async Task ABackgroundCheckpoint_CopiesTheWalIntoTheFile_AndARestartRewindsIt()
    {
        var op = await server.NewOperatorAsync();
        await op.CreateRegisteredSimAsync();
        await op.DrainAsync(); // the engine's writes done, nothing else writes meanwhile
        var connection = server.Database.ConnectionString;

        // PASSIVE (the background service's mode) copies only what no reader still needs, and the server's
        // pollers read at any moment; FULL waits for them, so every frame is copied whatever they are doing.
        var (frames, copied) = await SqliteConnectionSetup.CheckpointAsync(connection, "FULL", CancellationToken.None);
        frames.ShouldBeGreaterThan(0, "the writes since the last restart of the WAL are still in it");
        copied.ShouldBe(frames);

        await SqliteConnectionSetup.CheckpointAsync(connection, "TRUNCATE", CancellationToken.None);
        var (after, _) = await SqliteConnectionSetup.CheckpointAsync(connection, CancellationToken.None);
        after.ShouldBe(0);
    }
}
