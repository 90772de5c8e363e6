using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Simlane.Core.Events;
using Simlane.Server.Scheduling;
using Simlane.Server.Tests.Infrastructure;
using Simlane.Storage;

namespace Simlane.Server.Tests.Scheduling;

/// <summary>
/// The durable scheduler on a real SQLite database with a fake clock: order, exactly-once, rescheduling,
/// cancelling, failure and retry, and a million pending timers of which only the due ones are read. Alone in
/// the process: that last test bounds the process's allocations, which other classes running in parallel would
/// inflate.
/// </summary>
[Collection(AloneInProcess.Name)]
public sealed class TimerSchedulerTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider clock = new(Start);
    private readonly RecordingHandler handler = new();
    private TestDatabase database = null!;
    private ServiceProvider services = null!;

    private long Now => clock.GetUtcNow().ToUnixTimeMilliseconds();

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        var options = DatabaseOptions.Parse(database.ConnectionString);
        await Migrator.MigrateAsync(options);
        var collection = new ServiceCollection();
        collection.AddSingleton(options);
        collection.AddScoped(sp => sp.GetRequiredService<DatabaseOptions>().CreateContext());
        collection.AddSingleton<TimeProvider>(clock);
        collection.AddSingleton<ITimerHandler>(handler);
        collection.AddSingleton<Microsoft.Extensions.Logging.ILogger<TimerScheduler>>(NullLogger<TimerScheduler>.Instance);
        collection.AddSingleton(new Simlane.Server.Telemetry.SimlaneMetrics());
        collection.AddSingleton<TimerScheduler>();
        services = collection.BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await services.DisposeAsync();
        await database.DisposeAsync();
    }

    private TimerScheduler Scheduler => services.GetRequiredService<TimerScheduler>();

    private async Task AddAsync(string key, long due)
    {
        await using var db = services.GetRequiredService<DatabaseOptions>().CreateContext();
        db.Timers.Add(new ScheduledTimer { Key = key, Kind = RecordingHandler.KindName, DueTime = due, Payload = key, CreatedTime = Now });
        await db.SaveChangesAsync();
    }

    private async Task<List<string>> PendingAsync()
    {
        await using var db = services.GetRequiredService<DatabaseOptions>().CreateContext();
        return await db.Timers.OrderBy(t => t.Key).Select(t => t.Key).ToListAsync();
    }

    private async Task<List<string>> EffectsAsync()
    {
        await using var db = services.GetRequiredService<DatabaseOptions>().CreateContext();
        return await db.DomainEvents.OrderBy(e => e.Id).Select(e => e.SimId!).ToListAsync();
    }

    [Fact]
    public async Task Drain_FiresOnlyDueTimers_InDueOrder()
    {
        await AddAsync("c", Now + 3000);
        await AddAsync("a", Now + 1000);
        await AddAsync("b", Now + 2000);
        await AddAsync("later", Now + 60_000);

        (await Scheduler.DrainAsync(CancellationToken.None)).ShouldBe(0);
        clock.Advance(TimeSpan.FromSeconds(3));
        (await Scheduler.DrainAsync(CancellationToken.None)).ShouldBe(3);

        handler.Fired.ShouldBe(["a", "b", "c"]);
        (await EffectsAsync()).ShouldBe(["a", "b", "c"]);
        (await PendingAsync()).ShouldBe(["later"]);
        (await Scheduler.NextDueAsync(CancellationToken.None)).ShouldBe(Now + 57_000);
    }

    [Fact]
    public async Task Drain_Twice_FiresEachTimerExactlyOnce()
    {
        await AddAsync("once", Now);
        await Task.WhenAll(Scheduler.DrainAsync(CancellationToken.None), Scheduler.DrainAsync(CancellationToken.None));
        await Scheduler.DrainAsync(CancellationToken.None);

        handler.Fired.ShouldBe(["once"]);
        (await EffectsAsync()).ShouldBe(["once"]);
        (await PendingAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Reschedule_MovesTheTimer_AndCancelRemovesIt()
    {
        await AddAsync("moved", Now + 1000);
        await AddAsync("cancelled", Now + 1000);
        await using (var db = services.GetRequiredService<DatabaseOptions>().CreateContext())
        {
            (await db.Timers.FindAsync("moved"))!.DueTime = Now + 10_000;
            db.Timers.Remove((await db.Timers.FindAsync("cancelled"))!);
            await db.SaveChangesAsync();
        }

        clock.Advance(TimeSpan.FromSeconds(5));
        await Scheduler.DrainAsync(CancellationToken.None);
        handler.Fired.ShouldBeEmpty();

        clock.Advance(TimeSpan.FromSeconds(5));
        await Scheduler.DrainAsync(CancellationToken.None);
        handler.Fired.ShouldBe(["moved"]);
    }

    [Fact]
    public async Task FailingHandler_RollsBackItsEffect_AndTheTimerFiresOnceLater()
    {
        await AddAsync("flaky", Now);
        handler.FailNext = 1;

        await Scheduler.DrainAsync(CancellationToken.None);
        handler.Fired.ShouldBeEmpty();
        (await EffectsAsync()).ShouldBeEmpty();
        (await PendingAsync()).ShouldBe(["flaky"]);

        clock.Advance(TimeSpan.FromMinutes(1));
        await Scheduler.DrainAsync(CancellationToken.None);
        handler.Fired.ShouldBe(["flaky"]);
        (await EffectsAsync()).ShouldBe(["flaky"]);
    }

    [Fact]
    public async Task BackgroundLoop_FiresWhenTheClockReachesTheDueTime()
    {
        await AddAsync("tick", Now + 10_000);
        using var cts = new CancellationTokenSource();
        await Scheduler.StartAsync(cts.Token);
        try
        {
            clock.Advance(TimeSpan.FromSeconds(10));
            Scheduler.Wake();
            await WaitUntilAsync(() => handler.Fired.Count == 1);
            handler.Fired.ShouldBe(["tick"]);
        }
        finally
        {
            await Scheduler.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task MillionsOfPendingTimers_OnlyTheDueOnesAreRead()
    {
        const int pending = 1_000_000;
        await using (var connection = new SqliteConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var tx = await connection.BeginTransactionAsync();
            await using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO timers (key, kind, due_time, payload, created_time) VALUES ($k, $kind, $due, $k, 0)";
            var key = insert.Parameters.Add("$k", SqliteType.Text);
            insert.Parameters.AddWithValue("$kind", RecordingHandler.KindName);
            var due = insert.Parameters.Add("$due", SqliteType.Integer);
            for (var i = 0; i < pending; i++)
            {
                key.Value = $"t{i:D7}";

                // Ten due now, the rest spread over the next year.
                due.Value = i < 10 ? Now - i : Now + 60_000 + i * 31_536L;
                await insert.ExecuteNonQueryAsync();
            }

            await tx.CommitAsync();
        }

        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var fired = await Scheduler.DrainAsync(CancellationToken.None);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

        fired.ShouldBe(10);
        handler.Fired.Count.ShouldBe(10);
        (await Scheduler.NextDueAsync(CancellationToken.None)).ShouldBe(Now + 60_000 + 10 * 31_536L);

        // Loading a million timer rows would allocate hundreds of megabytes; draining ten must not. (The class runs
        // alone, so the process's allocations are this drain's.)
        allocated.ShouldBeLessThan(64L * 1024 * 1024);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }
    }

    /// <summary>Records firings and writes one outbox row per firing, so atomicity with the timer's deletion is visible.</summary>
    private sealed class RecordingHandler : ITimerHandler
    {
        public const string KindName = "test";

        public List<string> Fired { get; } = [];

        public int FailNext { get; set; }

        public string Kind => KindName;

        public Task FireAsync(SimlaneDb db, ScheduledTimer timer, long now, CancellationToken cancellationToken)
        {
            db.Outbox.Stage(new DomainEvent { OperatorId = "OP", SimId = timer.Payload, Type = "TestFired", OccurredTime = now });
            if (FailNext > 0)
            {
                FailNext--;
                throw new InvalidOperationException("simulated failure after the effect was staged");
            }

            lock (Fired)
            {
                Fired.Add(timer.Payload);
            }

            return Task.CompletedTask;
        }
    }
}
