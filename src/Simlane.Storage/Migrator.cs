using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Simlane.Storage;

/// <summary>Brings a database to the current schema; run once at start-up before serving.</summary>
public static class Migrator
{
    public static async Task MigrateAsync(DatabaseOptions options, CancellationToken cancellationToken = default)
    {
        if (options.Provider == DatabaseProvider.Sqlite)
        {
            var dataSource = new SqliteConnectionStringBuilder(options.ConnectionString).DataSource;
            var directory = Path.GetDirectoryName(Path.GetFullPath(dataSource));
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }
        }

        await using var db = options.CreateContext();
        HandWrittenSql.Verify(db.Model);
        await RefuseUnknownHistoryAsync(db, cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
        if (options.Provider == DatabaseProvider.Sqlite)
        {
            // WAL lets readers run beside the single writer; it is a property of the file, set once.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
    }

    /// <summary>
    /// A database whose history names migrations this build does not have was made by another build: before
    /// the first release the migrations were squashed into one Initial per provider, so a sandbox database from
    /// then cannot be brought forward (README, "Upgrading"). Migrating it anyway would try to create tables that
    /// exist; refuse with a message that says what to do instead.
    /// </summary>
    public static async Task RefuseUnknownHistoryAsync(SimlaneDb db, CancellationToken cancellationToken = default)
    {
        var known = db.Database.GetMigrations().ToHashSet(StringComparer.Ordinal);
        var unknown = (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).Where(id => !known.Contains(id)).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException(
                $"The database was created by another Simlane build: its migration history names {string.Join(", ", unknown.Take(3))}"
                + (unknown.Count > 3 ? $" and {unknown.Count - 3} more" : "")
                + ", which this build does not have. Databases made before the first release cannot be upgraded (the migrations were squashed): "
                + "recreate it (delete the SQLite file, or drop and create the PostgreSQL database) and start again.");
        }
    }
}
