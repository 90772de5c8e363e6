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
        await db.Database.MigrateAsync(cancellationToken);
        if (options.Provider == DatabaseProvider.Sqlite)
        {
            // WAL lets readers run beside the single writer; it is a property of the file, set once.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
    }
}
