using Microsoft.EntityFrameworkCore;

namespace Simlane.Storage;

/// <summary>
/// PostgreSQL transaction-scoped advisory locks other than the outbox's (<see cref="OutboxWriter.LockKey"/>, which only
/// the writer takes): held from the call to the end of the context's current transaction. Nothing on SQLite, where the
/// writer gate already makes writers one at a time.
/// </summary>
public static class AdvisoryLocks
{
    /// <summary>Keeps folds of accepted usage into the counters one at a time across servers ("SIMLUF").</summary>
    public const long UsageFold = 0x53494D4C5546;

    /// <summary>Keeps usage journal appends one at a time until commit, so journal ids are in commit order ("SIMLUJ").</summary>
    public const long JournalAppend = 0x53494D4C554A;

    /// <summary>Takes lock <paramref name="key"/> in the current transaction (which must exist on PostgreSQL).</summary>
    public static async Task TakeAsync(SimlaneDb db, long key, CancellationToken cancellationToken)
    {
        if (db is not PostgresSimlaneDb)
        {
            return;
        }

        if (key == OutboxWriter.LockKey)
        {
            throw new ArgumentException("The outbox lock is taken by OutboxWriter only", nameof(key));
        }

        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("An advisory lock needs the caller's transaction");
        }

        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({key})", cancellationToken);
    }
}
