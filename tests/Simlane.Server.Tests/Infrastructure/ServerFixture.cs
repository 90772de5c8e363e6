using Microsoft.Extensions.Time.Testing;

namespace Simlane.Server.Tests.Infrastructure;

/// <summary>
/// One in-process Simlane server (sandbox mode, fake clock) over a fresh database, shared by the tests of
/// one test class. Tests isolate themselves by creating their own operator through sandbox init. The host and the
/// database come from Simlane.TestSupport (<see cref="SimlaneFactory"/>, <see cref="TestDatabase"/>); what is this
/// project's own is the contract-checked <see cref="ApiClient"/>.
/// </summary>
public abstract class ServerFixture : IAsyncLifetime
{
    private TestDatabase? database;

    protected ServerFixture(DatabaseKind kind) => Kind = kind;

    /// <summary>Extra configuration of the server (e.g. the SMTP server of a mail test), set before it starts.</summary>
    protected virtual IReadOnlyDictionary<string, string>? Settings => null;

    /// <summary>Runs before the server starts (e.g. to start an SMTP server it is configured with).</summary>
    protected virtual Task BeforeStartAsync() => Task.CompletedTask;

    public DatabaseKind Kind { get; }

    /// <summary>Starts at a fixed, realistic instant so tests never depend on the machine's clock.</summary>
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 2, 3, 4, 5, TimeSpan.Zero));

    public SimlaneFactory Factory { get; private set; } = null!;

    public TestDatabase Database => database ?? throw new InvalidOperationException("Not initialized");

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync(Kind);
        await BeforeStartAsync();
        Factory = new SimlaneFactory(database.ConnectionString, Clock, settings: Settings);
        _ = Factory.Server; // start now: migrations run here, not inside the first test
    }

    public virtual async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        if (database is not null)
        {
            await database.DisposeAsync();
        }
    }

    /// <summary>A client with no credentials; every response is checked against the SORACOM spec.</summary>
    public ApiClient Anonymous() => new(Factory.CreateDefaultClient(new ContractValidatingHandler()));

    /// <summary>A client that authenticates as the packet gateway (platform scope).</summary>
    public ApiClient Gateway()
    {
        var http = Factory.CreateDefaultClient(new ContractValidatingHandler());
        http.DefaultRequestHeaders.Add("X-Simlane-Gateway-Key", SimlaneFactory.GatewayKey);
        return new ApiClient(http);
    }

    /// <summary>A new sandbox operator, signed in.</summary>
    public Task<ApiClient> NewOperatorAsync() => Anonymous().SignUpAsync();

    /// <summary>Restarts the server on the same database (a graceful stop), for durability tests.</summary>
    public async Task RestartAsync()
    {
        await Factory.DisposeAsync();
        Factory = new SimlaneFactory(Database.ConnectionString, Clock, settings: Settings);
        _ = Factory.Server;
    }
}

public sealed class SqliteServer() : ServerFixture(DatabaseKind.Sqlite);

public sealed class PostgresServer() : ServerFixture(DatabaseKind.Postgres);

/// <summary>
/// A server whose billing aggregation computes and writes one SIM per chunk (<c>Simlane:Billing:AggregationChunkSims</c> = 1):
/// the billing tests run on it too, so a run made of many chunks must add up to the same bills, daily lists and rows.
/// </summary>
public sealed class OneSimChunkSqliteServer() : ServerFixture(DatabaseKind.Sqlite)
{
    protected override IReadOnlyDictionary<string, string>? Settings { get; } = new Dictionary<string, string> { ["Simlane:Billing:AggregationChunkSims"] = "1" };
}

/// <inheritdoc cref="OneSimChunkSqliteServer"/>
public sealed class OneSimChunkPostgresServer() : ServerFixture(DatabaseKind.Postgres)
{
    protected override IReadOnlyDictionary<string, string>? Settings { get; } = new Dictionary<string, string> { ["Simlane:Billing:AggregationChunkSims"] = "1" };
}
