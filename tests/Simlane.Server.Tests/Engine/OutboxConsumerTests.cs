using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Simlane.Core.Events;
using Simlane.Server.Engine;
using Simlane.Server.Tests.Infrastructure;
using Simlane.Storage;
using Xunit.Abstractions;

namespace Simlane.Server.Tests.Engine;

/// <summary>
/// The outbox consumer on a real database with a fake clock: id order, exactly once across failures and a
/// stop in the middle of a batch, wake-up on save, polling, and (PostgreSQL) ids in commit order.
/// </summary>
public abstract class OutboxConsumerTests(DatabaseKind kind, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider clock = new(Start);
    private readonly RecordingConsumer recorder = new();
    private DatabaseOptions options = null!;
    private TestDatabase database = null!;
    private ServiceProvider services = null!;

    protected DatabaseKind Kind => kind;

    protected ITestOutputHelper Output => output;

    protected OutboxConsumer Consumer => services.GetRequiredService<OutboxConsumer>();

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync(kind);
        options = DatabaseOptions.Parse(database.ConnectionString);
        await Migrator.MigrateAsync(options);
        services = Build();
    }

    public async Task DisposeAsync()
    {
        await services.DisposeAsync();
        await database.DisposeAsync();
    }

    /// <summary>
    /// Waits (bounded) until the recorder has seen <paramref name="count"/> events and the loop has finished
    /// its round and sleeps again: the event itself, not a guess at how long a round takes.
    /// </summary>
    private async Task SettledAsync(int count)
    {
        for (var i = 0; i < 3000 && !(recorder.Seen.Count >= count && Consumer.IsSleeping); i++)
        {
            await Task.Delay(10);
        }

        recorder.Seen.Count.ShouldBeGreaterThanOrEqualTo(count);
        Consumer.IsSleeping.ShouldBeTrue("the outbox loop never went back to sleep");
    }

    /// <summary>A fresh "process": new singletons over the same database.</summary>
    private ServiceProvider Build(IDomainEventConsumer? consumer = null)
    {
        var collection = new ServiceCollection();
        collection.AddSingleton(options);
        collection.AddScoped(sp =>
        {
            var db = sp.GetRequiredService<DatabaseOptions>().CreateContext();
            db.CommitObserver = new WakeConsumer(sp.GetRequiredService<OutboxConsumer>());
            return db;
        });
        collection.AddSingleton<TimeProvider>(clock);
        collection.AddSingleton(consumer ?? recorder);
        collection.AddSingleton<Microsoft.Extensions.Logging.ILogger<OutboxConsumer>>(NullLogger<OutboxConsumer>.Instance);
        collection.AddSingleton(new Simlane.Server.Telemetry.SimlaneMetrics());
        collection.AddSingleton<OutboxConsumer>();
        return collection.BuildServiceProvider();
    }

    private async Task<List<long>> WriteAsync(int count, bool wake = true)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SimlaneDb>();
        if (!wake)
        {
            db.CommitObserver = null;
        }

        var events = Enumerable.Range(0, count).Select(i => Event($"e{i}")).ToList();
        events.ForEach(db.Outbox.Stage);
        await db.SaveChangesAsync();
        return events.Select(e => e.Id).ToList();
    }

    private static DomainEvent Event(string value) =>
        new() { OperatorId = "OP1", SimId = "SIM1", Type = "Test", NewValue = value, OccurredTime = 1 };

    private async Task<List<long>> EffectsAsync()
    {
        await using var db = options.CreateContext();
        var names = await db.ClockStates.Where(c => c.Name.StartsWith("seen:")).Select(c => c.Name).ToListAsync();
        return names.Select(n => long.Parse(n[5..], System.Globalization.CultureInfo.InvariantCulture)).Order().ToList();
    }

    [Fact]
    public async Task Drain_ConsumesEveryEventOnce_InIdOrder_InBatches()
    {
        var ids = await WriteAsync(2500);

        (await Consumer.DrainAsync(CancellationToken.None)).ShouldBe(2500);
        (await Consumer.DrainAsync(CancellationToken.None)).ShouldBe(0);

        recorder.Seen.ShouldBe(ids);
        recorder.Batches.ShouldBe([1000, 1000, 500]);
        (await EffectsAsync()).ShouldBe(ids);
        (await Consumer.PositionAsync(CancellationToken.None)).ShouldBe(ids[^1]);
    }

    [Fact]
    public async Task EventsBeforeTheMigration_AreNotConsumed_LaterOnesAre()
    {
        // The migration put the cursor at the newest event then present (none here): start from the next one.
        (await Consumer.PositionAsync(CancellationToken.None)).ShouldBe(0);
        var ids = await WriteAsync(3);
        await Consumer.DrainAsync(CancellationToken.None);
        recorder.Seen.ShouldBe(ids);
    }

    [Fact]
    public async Task FailingBatch_RollsBackItsEffects_AndIsConsumedOnceLater()
    {
        var ids = await WriteAsync(1500);
        recorder.FailOnBatch = 2;

        (await Consumer.DrainAsync(CancellationToken.None)).ShouldBe(1000);
        (await EffectsAsync()).ShouldBe(ids[..1000]);

        recorder.FailOnBatch = 0;
        (await Consumer.DrainAsync(CancellationToken.None)).ShouldBe(500);
        (await EffectsAsync()).ShouldBe(ids);
        (await Consumer.PositionAsync(CancellationToken.None)).ShouldBe(ids[^1]);
    }

    [Fact]
    public async Task StopInTheMiddleOfABatch_ThenRestart_EveryEventExactlyOnce()
    {
        var ids = await WriteAsync(2200);
        var blocking = new BlockingConsumer(blockOnBatch: 2);
        var first = Build(blocking);
        var consumer = first.GetRequiredService<OutboxConsumer>();
        await consumer.StartAsync(CancellationToken.None);
        await blocking.Blocked.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // The process goes away while the second batch is staged but not committed.
        await consumer.StopAsync(CancellationToken.None);
        await first.DisposeAsync();
        (await EffectsAsync()).ShouldBe(ids[..1000]);

        (await Consumer.DrainAsync(CancellationToken.None)).ShouldBe(1200);
        recorder.Seen.ShouldBe(ids[1000..]);
        (await EffectsAsync()).ShouldBe(ids);
    }

    [Fact]
    public async Task SaveWithEvents_WakesTheLoop_WithoutTheClockMoving()
    {
        await Consumer.StartAsync(CancellationToken.None);
        try
        {
            await SettledAsync(0); // the loop's first pass is done; it now sleeps on the (frozen) fake clock
            var ids = await WriteAsync(3);
            await SettledAsync(3);
            recorder.Seen.ShouldBe(ids);
            var more = await WriteAsync(1);
            await SettledAsync(4);
            recorder.Seen[^1].ShouldBe(more[0]);
        }
        finally
        {
            await Consumer.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task WithoutAWake_ThePollFindsTheEvents()
    {
        await Consumer.StartAsync(CancellationToken.None);
        try
        {
            await SettledAsync(0);
            var ids = await WriteAsync(2, wake: false);
            recorder.Seen.ShouldBeEmpty();
            for (var i = 0; i < 500 && recorder.Seen.Count < 2; i++)
            {
                clock.Advance(OutboxConsumer.PollInterval);
                await Task.Delay(10);
            }

            recorder.Seen.ShouldBe(ids);
        }
        finally
        {
            await Consumer.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task PostgreSql_AWriterWithALowerIdHoldsBackHigherIds_UntilItCommits()
    {
        if (Kind != DatabaseKind.Postgres)
        {
            return;
        }

        await using var a = options.CreateContext();
        await using var txA = await a.Database.BeginTransactionAsync();
        var eventA = Event("a");
        a.Outbox.Stage(eventA);
        await a.SaveChangesAsync();

        // B would take id a+1 and commit first; the outbox lock makes it wait for A instead.
        await using var b = options.CreateContext();
        await using var txB = await b.Database.BeginTransactionAsync();
        var eventB = Event("b");
        b.Outbox.Stage(eventB);
        var saveB = b.SaveChangesAsync();
        await Task.Delay(300);
        saveB.IsCompleted.ShouldBeFalse();
        (await Consumer.DrainAsync(CancellationToken.None)).ShouldBe(0);

        await txA.CommitAsync();
        await saveB.WaitAsync(TimeSpan.FromSeconds(30));
        eventB.Id.ShouldBeGreaterThan(eventA.Id);
        (await Consumer.DrainAsync(CancellationToken.None)).ShouldBe(1);
        await txB.CommitAsync();
        (await Consumer.DrainAsync(CancellationToken.None)).ShouldBe(1);
        recorder.Seen.ShouldBe([eventA.Id, eventB.Id]);
    }

    [Fact]
    public async Task PostgreSql_AWriterThatSkipsTheLock_CommitsOutOfIdOrder_AndItsEventIsLost()
    {
        // Why every writer must take the outbox lock: the failure the lock prevents, shown with raw inserts.
        if (Kind != DatabaseKind.Postgres)
        {
            return;
        }

        const string insert = "INSERT INTO domain_events (operator_id, sim_id, type, occurred_time) VALUES ('OP1', 'SIM1', 'Raw', 1)";
        await using var low = options.CreateContext();
        await using var txLow = await low.Database.BeginTransactionAsync();
        await low.Database.ExecuteSqlRawAsync(insert);
        await using var high = options.CreateContext();
        await high.Database.ExecuteSqlRawAsync(insert);

        (await Consumer.DrainAsync(CancellationToken.None)).ShouldBe(1);
        await txLow.CommitAsync();
        (await Consumer.DrainAsync(CancellationToken.None)).ShouldBe(0);
        await using var db = options.CreateContext();
        (await db.DomainEvents.CountAsync()).ShouldBe(2);
        recorder.Seen.Single().ShouldBe(await db.DomainEvents.MaxAsync(e => e.Id));
    }

    /// <summary>
    /// Events written by the raw-SQL bulk path (what the ingest uses, not EF) across several batches are each consumed
    /// once, in id order. How fast a drain is: bench/Simlane.Bench OutboxDrainBenchmark (docs/performance.md).
    /// </summary>
    [Fact]
    public async Task BulkInsertedEvents_AreEachConsumedOnce_InIdOrder()
    {
        const int chunk = 700;
        const int count = 5 * chunk; // three full batches and a partial one
        await using (var db = options.CreateContext())
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            if (Kind == DatabaseKind.Postgres)
            {
                await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({OutboxWriter.LockKey})"); // what OutboxWriter takes
            }

            var insert = "INSERT INTO domain_events (operator_id, sim_id, imsi, type, new_value, occurred_time) "
                + (Kind == DatabaseKind.Postgres
                    ? $"SELECT 'OP1', 'SIM' || g, '4401' || g, 'UsageRecorded', '{{{{\"uploadBytes\":1,\"downloadBytes\":2}}}}', 1 FROM generate_series(1, {chunk}) g"
                    : $"WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < {chunk}) SELECT 'OP1', 'SIM' || n, '4401' || n, 'UsageRecorded', '{{{{\"uploadBytes\":1,\"downloadBytes\":2}}}}', 1 FROM g");
            for (var i = 0; i < count; i += chunk)
            {
                await db.Database.ExecuteSqlRawAsync(insert);
            }

            await tx.CommitAsync();
        }

        List<long> ids;
        await using (var db = options.CreateContext())
        {
            ids = await db.DomainEvents.OrderBy(e => e.Id).Select(e => e.Id).ToListAsync();
        }

        ids.Count.ShouldBe(count);
        (await Consumer.DrainAsync(CancellationToken.None)).ShouldBe(count);
        recorder.Seen.ShouldBe(ids);
        (await EffectsAsync()).ShouldBe(ids);
        (await Consumer.PositionAsync(CancellationToken.None)).ShouldBe(ids[^1]);
        (await Consumer.DrainAsync(CancellationToken.None)).ShouldBe(0);
    }

    /// <summary>Records what it sees and stages one row per event in the batch's transaction.</summary>
    private sealed class RecordingConsumer : IDomainEventConsumer
    {
        private readonly ConcurrentQueue<long> seen = new();
        private int batchNumber;

        public int FailOnBatch { get; set; }

        public List<long> Seen => seen.ToList();

        public List<int> Batches { get; } = [];

        public Task ConsumeAsync(SimlaneDb db, IReadOnlyList<DomainEvent> batch, long now, CancellationToken cancellationToken)
        {
            if (++batchNumber == FailOnBatch)
            {
                throw new InvalidOperationException("boom");
            }

            foreach (var e in batch)
            {
                db.ClockStates.Add(new ClockState { Name = $"seen:{e.Id}", OffsetMs = now });
            }

            // What the consumer sees is only "seen" once the batch commits; recorded here, the tests check effects too.
            db.SavedChanges += Record;
            return Task.CompletedTask;

            void Record(object? sender, SavedChangesEventArgs args)
            {
                db.SavedChanges -= Record;
                Batches.Add(batch.Count);
                foreach (var e in batch)
                {
                    seen.Enqueue(e.Id);
                }
            }
        }
    }

    private sealed class BlockingConsumer(int blockOnBatch) : IDomainEventConsumer
    {
        private int batchNumber;

        public TaskCompletionSource Blocked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task ConsumeAsync(SimlaneDb db, IReadOnlyList<DomainEvent> batch, long now, CancellationToken cancellationToken)
        {
            foreach (var e in batch)
            {
                db.ClockStates.Add(new ClockState { Name = $"seen:{e.Id}", OffsetMs = now });
            }

            if (++batchNumber == blockOnBatch)
            {
                Blocked.TrySetResult();
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
        }
    }
}

public sealed class SqliteOutboxConsumerTests(ITestOutputHelper output) : OutboxConsumerTests(DatabaseKind.Sqlite, output);

public sealed class PostgresOutboxConsumerTests(ITestOutputHelper output) : OutboxConsumerTests(DatabaseKind.Postgres, output);

/// <summary>Wakes the consumer for committed domain events, as the server's WakeOnCommit does.</summary>
internal sealed class WakeConsumer(OutboxConsumer consumer) : ICommitObserver
{
    public void Committed(CommittedChanges changes)
    {
        if (changes.HasFlag(CommittedChanges.DomainEvents))
        {
            consumer.Wake();
        }
    }
}
