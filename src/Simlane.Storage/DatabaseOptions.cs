using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Simlane.Storage;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>
/// Which database to use, decided from one connection string: a PostgreSQL key/value string
/// (<c>Host=…</c>) or URI (<c>postgres://…</c>) selects PostgreSQL; anything else is a SQLite
/// connection string or a plain file path.
/// </summary>
public sealed record DatabaseOptions(DatabaseProvider Provider, string ConnectionString)
{
    public static DatabaseOptions Parse(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        var trimmed = value.Trim();
        if (trimmed.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || trimmed.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return new(DatabaseProvider.Postgres, FromPostgresUri(new Uri(trimmed)));
        }

        if (trimmed.Contains("Host=", StringComparison.OrdinalIgnoreCase) || trimmed.Contains("Server=", StringComparison.OrdinalIgnoreCase))
        {
            return new(DatabaseProvider.Postgres, new NpgsqlConnectionStringBuilder(trimmed).ConnectionString);
        }

        var sqlite = trimmed.Contains('=', StringComparison.Ordinal)
            ? new SqliteConnectionStringBuilder(trimmed)
            : new SqliteConnectionStringBuilder { DataSource = trimmed };
        // Writers wait for each other instead of failing with "database is locked".
        sqlite.DefaultTimeout = Math.Max(sqlite.DefaultTimeout, 30);
        sqlite.Pooling = true;
        return new(DatabaseProvider.Sqlite, sqlite.ConnectionString);
    }

    /// <summary>The default: a SQLite file in the data directory.</summary>
    public static DatabaseOptions ForDataDirectory(string dataDirectory) =>
        Parse(new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDirectory, "simlane.db") }.ConnectionString);

    /// <summary>Connection string with the password masked, for logs.</summary>
    public string Describe() => Provider == DatabaseProvider.Postgres
        ? new NpgsqlConnectionStringBuilder(ConnectionString) { Password = null }.ConnectionString
        : ConnectionString;

    /// <summary>
    /// On SQLite, waits for this process's writer gate of the database file (<see cref="SqliteWriterGate"/>) and
    /// answers its releaser; on PostgreSQL answers null at once. <see cref="SimlaneDb.EnterWriterGateAsync"/> is the
    /// same gate, for code that holds a context.
    /// </summary>
    public async Task<IDisposable?> EnterWriterGateAsync(bool priority, CancellationToken cancellationToken) =>
        Provider == DatabaseProvider.Sqlite ? await SqliteWriterGate.For(ConnectionString).EnterAsync(priority, cancellationToken) : null;

    /// <summary>
    /// A new context. Its options are built once per connection string and shared: building them (and EF's lookup of its
    /// internal service provider from them) cost more than the query on RADIUS's hot path (docs/performance.md).
    /// </summary>
    public SimlaneDb CreateContext() => Provider switch
    {
        DatabaseProvider.Sqlite => new SqliteSimlaneDb((DbContextOptions<SqliteSimlaneDb>)ContextOptions.GetOrAdd(this, Build)),
        _ => new PostgresSimlaneDb((DbContextOptions<PostgresSimlaneDb>)ContextOptions.GetOrAdd(this, Build)),
    };

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<DatabaseOptions, DbContextOptions> ContextOptions = new();

    private static DbContextOptions Build(DatabaseOptions database) => database.Provider switch
    {
        DatabaseProvider.Sqlite => new DbContextOptionsBuilder<SqliteSimlaneDb>().UseSqlite(database.ConnectionString)
            .AddInterceptors(SqliteConnectionSetup.Instance).Options,
        _ => new DbContextOptionsBuilder<PostgresSimlaneDb>().UseNpgsql(database.ConnectionString).Options,
    };

    private static string FromPostgresUri(Uri uri)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = uri.AbsolutePath.TrimStart('/'),
        };
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length > 1)
            {
                builder.Password = Uri.UnescapeDataString(parts[1]);
            }
        }

        return builder.ConnectionString;
    }
}
