using Npgsql;

namespace Simlane.TestSupport;

public enum DatabaseKind
{
    Sqlite,
    Postgres,
}

/// <summary>
/// A fresh, empty database for one test class: a SQLite file in a temp directory, or a new database on
/// the PostgreSQL server named by <c>SIMLANE_TEST_POSTGRES</c> (scripts/test starts one on 127.0.0.1).
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string PostgresVariable = "SIMLANE_TEST_POSTGRES";

    private readonly string? adminConnection;
    private readonly string? databaseName;
    private readonly string? directory;

    private TestDatabase(DatabaseKind kind, string connectionString, string? adminConnection, string? databaseName, string? directory)
    {
        Kind = kind;
        ConnectionString = connectionString;
        this.adminConnection = adminConnection;
        this.databaseName = databaseName;
        this.directory = directory;
    }

    public DatabaseKind Kind { get; }

    public string ConnectionString { get; }

    /// <summary>The temp directory of a SQLite database (removed with it); null on PostgreSQL.</summary>
    public string? SqliteDirectory => directory;

    public static async Task<TestDatabase> CreateAsync(DatabaseKind kind)
    {
        if (kind == DatabaseKind.Sqlite)
        {
            var directory = Path.Combine(Path.GetTempPath(), "simlane-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(directory);
            return new TestDatabase(kind, $"Data Source={Path.Combine(directory, "simlane.db")}", null, null, directory);
        }

        var admin = Environment.GetEnvironmentVariable(PostgresVariable);
        if (string.IsNullOrWhiteSpace(admin))
        {
            throw new InvalidOperationException(
                $"PostgreSQL tests need {PostgresVariable} (e.g. 'Host=127.0.0.1;Port=5499;Username=postgres'). Run scripts/test, which starts a throwaway server.");
        }

        var name = "simlane_t_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name };
        return new TestDatabase(kind, builder.ConnectionString, admin, name, null);
    }

    public async ValueTask DisposeAsync()
    {
        if (databaseName is not null && adminConnection is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(adminConnection);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {databaseName} WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }

        if (directory is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // A file still open by a background thread is left for the OS temp cleaner.
            }
        }
    }
}
