using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Simlane.Storage;

/// <summary>
/// SQLite's automatic WAL checkpoint runs inside whichever commit makes the WAL cross 1,000 pages: an ingest
/// commit (while it still holds the writer gate) or the rule engine's own, so a firing waits for a copy of
/// thousands of pages into the database file. Simlane turns it off on every connection it opens and checkpoints
/// from a background loop instead (<see cref="CheckpointAsync(string, CancellationToken)"/>), outside any writer's turn. A PASSIVE
/// checkpoint never blocks readers or the writer.
/// </summary>
public sealed class SqliteConnectionSetup : DbConnectionInterceptor
{
    public static readonly SqliteConnectionSetup Instance = new();

    private const string Pragmas = "PRAGMA wal_autocheckpoint=0;";

    /// <summary>Native connections already set up: the pool hands the same one out again, and the setting stays with it.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SQLitePCL.sqlite3, object> SetUp = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (FirstOpen(connection))
        {
            using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            command.ExecuteNonQuery();
            Remember(connection);
        }
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (FirstOpen(connection))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken);
            Remember(connection);
        }
    }

    /// <summary>True the first time this native connection is seen (EF opens a pooled connection for every query).</summary>
    private static bool FirstOpen(DbConnection connection) =>
        connection is not SqliteConnection { Handle: { } handle } || !SetUp.TryGetValue(handle, out _);

    private static void Remember(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle })
        {
            SetUp.AddOrUpdate(handle, SetUp);
        }
    }

    /// <summary>
    /// Copies what the WAL holds into the database file without waiting for readers or the writer (PASSIVE);
    /// answers the WAL's size in frames and how many of them are now in the file.
    /// </summary>
    public static Task<(long WalFrames, long Checkpointed)> CheckpointAsync(string connectionString, CancellationToken cancellationToken) =>
        CheckpointAsync(connectionString, "PASSIVE", cancellationToken);

    /// <summary>
    /// A checkpoint in <paramref name="mode"/> (PASSIVE, RESTART or TRUNCATE); answers the WAL's size in frames and
    /// how many of them are now in the database file (both -1 if the checkpoint could not run).
    /// </summary>
    public static async Task<(long WalFrames, long Checkpointed)> CheckpointAsync(string connectionString, string mode, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA wal_checkpoint({mode});";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetInt64(1), reader.GetInt64(2)) : (0, 0);
    }
}
