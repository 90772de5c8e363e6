using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Simlane.Core.Events;
using Simlane.Server.Engine;
using Simlane.Storage;

namespace Simlane.Bench;

/// <summary>
/// The outbox consumer draining 100,000 committed events (written by the raw-SQL bulk path) with a consumer that does
/// nothing, beside its ceiling in the same run: the same rows read in id order in batches of
/// <see cref="OutboxConsumer.BatchSize"/> with nothing else (no transaction, no cursor update). The gap between the two
/// is what the consumer's exactly-once bookkeeping costs. Moved out of the test suite (OutboxConsumerTests), where it
/// ran on every test run; the correctness half (each event once, in id order) stayed there with a bounded count.
/// </summary>
/// <remarks>
/// SQLite always; PostgreSQL too when SIMLANE_BENCH_POSTGRES names a server (an admin connection string: a database is
/// created and dropped). Each iteration rewinds the consumer's cursor to 0, so it drains the same 100,000 rows.
/// </remarks>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class OutboxDrainBenchmark
{
    public const int Events = 100_000;

    private string? directory;
    private string? adminConnection;
    private string? databaseName;
    private DatabaseOptions options = null!;
    private ServiceProvider services = null!;

    [ParamsSource(nameof(Providers))]
    public string Provider { get; set; } = "sqlite";

    public static IEnumerable<string> Providers() =>
        string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("SIMLANE_BENCH_POSTGRES")) ? ["sqlite"] : ["sqlite", "postgres"];

    [GlobalSetup]
    public async Task SetupAsync()
    {
        string connectionString;
        if (Provider == "postgres")
        {
            adminConnection = Environment.GetEnvironmentVariable("SIMLANE_BENCH_POSTGRES")!;
            databaseName = "simlane_bench_" + Guid.NewGuid().ToString("N");
            await using (var admin = new NpgsqlConnection(adminConnection))
            {
                await admin.OpenAsync();
                await using var create = new NpgsqlCommand($"CREATE DATABASE {databaseName}", admin);
                await create.ExecuteNonQueryAsync();
            }

            connectionString = new NpgsqlConnectionStringBuilder(adminConnection) { Database = databaseName }.ConnectionString;
        }
        else
        {
            directory = Directory.CreateTempSubdirectory("simlane-bench-outbox-").FullName;
            connectionString = $"Data Source={Path.Combine(directory, "simlane.db")}";
        }

        options = DatabaseOptions.Parse(connectionString);
        await Migrator.MigrateAsync(options);
        await using (var db = options.CreateContext())
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            // Through the one outbox writer, like metering: multi-row inserts under the outbox lock.
            var rows = Enumerable.Range(1, Events)
                .Select(n => new OutboxRow("OP1", $"SIM{n}", $"4401{n}", "UsageRecorded", "{\"uploadBytes\":1,\"downloadBytes\":2}"))
                .ToList();
            await db.Outbox.AppendAsync(rows, occurredTime: 1);
            await tx.CommitAsync();
        }

        var collection = new ServiceCollection();
        collection.AddSingleton(options);
        collection.AddScoped(sp => sp.GetRequiredService<DatabaseOptions>().CreateContext());
        collection.AddSingleton<TimeProvider>(new FixedClock());
        collection.AddSingleton<IDomainEventConsumer>(new NoOpConsumer());
        collection.AddSingleton<Microsoft.Extensions.Logging.ILogger<OutboxConsumer>>(NullLogger<OutboxConsumer>.Instance);
        collection.AddSingleton<OutboxConsumer>();
        services = collection.BuildServiceProvider();
    }

    [IterationSetup]
    public void Rewind()
    {
        using var db = options.CreateContext();
        db.EngineCursors.Where(c => c.Name == EngineCursors.Engine).ExecuteUpdate(s => s.SetProperty(c => c.Position, 0L));
    }

    /// <summary>The ceiling: the same rows, in id order, in batches, read and nothing else.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Events)]
    public async Task<int> ReadBatchesOnly()
    {
        await using var db = options.CreateContext();
        var (after, read) = (0L, 0);
        while (true)
        {
            var batch = await db.DomainEvents.AsNoTracking().Where(e => e.Id > after).OrderBy(e => e.Id).Take(OutboxConsumer.BatchSize).ToListAsync();
            if (batch.Count == 0)
            {
                return Check(read);
            }

            read += batch.Count;
            after = batch[^1].Id;
        }
    }

    /// <summary>The consumer: per batch one transaction that reads, hands the batch to a no-op consumer and moves the cursor.</summary>
    [Benchmark(OperationsPerInvoke = Events)]
    public async Task<int> DrainNoOpConsumer() => Check(await services.GetRequiredService<OutboxConsumer>().DrainAsync(CancellationToken.None));

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await services.DisposeAsync();
        if (databaseName is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(adminConnection);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {databaseName} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }

        if (directory is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static int Check(int consumed) =>
        consumed == Events ? consumed : throw new InvalidOperationException($"{consumed} events, expected {Events}: the run measured the wrong thing");

    private sealed class NoOpConsumer : IDomainEventConsumer
    {
        public Task ConsumeAsync(SimlaneDb db, IReadOnlyList<DomainEvent> batch, long now, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>The consumer reads "now" for its cursor stamp; a fixed instant keeps the run off the system clock.</summary>
    private sealed class FixedClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);
    }
}
