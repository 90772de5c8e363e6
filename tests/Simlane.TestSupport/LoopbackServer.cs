namespace Simlane.TestSupport;

/// <summary>
/// A real Simlane server on 127.0.0.1 (Kestrel, a port it binds itself) in sandbox mode over a fresh SQLite database,
/// on the real clock, shared by the tests of one class: what the CLI and the browser talk to. Tests isolate themselves
/// by signing up their own operators.
/// </summary>
public class LoopbackServer : IAsyncLifetime
{
    private TestDatabase? database;
    private SimlaneFactory? factory;

    /// <summary>Where the server listens: http://127.0.0.1:PORT.</summary>
    public string Endpoint { get; private set; } = "";

    /// <summary>Extra configuration of the server, set before it starts.</summary>
    protected virtual IReadOnlyDictionary<string, string>? Settings => null;

    /// <summary>The database, for tests that arrange what no API can (e.g. a session opened by RADIUS accounting).</summary>
    public string ConnectionString => database?.ConnectionString ?? throw new InvalidOperationException("Not initialized");

    /// <summary>The SQLite database's directory (the server's data files, such as its Data Protection keys, can live there).</summary>
    protected string DataDirectory => database?.SqliteDirectory ?? throw new InvalidOperationException("Not initialized");

    public virtual async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        var settings = new Dictionary<string, string>(StringComparer.Ordinal) { ["Simlane:KeysDirectory"] = Path.Combine(DataDirectory, "keys") };
        foreach (var (key, value) in Settings ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        factory = new SimlaneFactory(database.ConnectionString, clock: null, settings: settings);
        Endpoint = factory.StartOnLoopback();
    }

    public virtual async Task DisposeAsync()
    {
        if (factory is not null)
        {
            await factory.DisposeAsync();
        }

        if (database is not null)
        {
            await database.DisposeAsync();
        }
    }
}
