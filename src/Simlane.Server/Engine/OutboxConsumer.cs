using Microsoft.EntityFrameworkCore;
using Simlane.Core.Events;
using Simlane.Server.Infrastructure;
using Simlane.Storage;

namespace Simlane.Server.Engine;

/// <summary>
/// Something that reacts to domain events (the rule engine). Called with a batch of events in outbox
/// order and the <see cref="SimlaneDb"/> of the transaction that will also move the cursor past them: stage
/// every effect on that context (tracked entities, or SQL inside its current transaction) and do not
/// save or commit; the consumer loop does, once, for the whole batch.
/// </summary>
public interface IDomainEventConsumer
{
    /// <summary>Stages the effects of <paramref name="batch"/> (ascending ids, commit order) on <paramref name="db"/>.</summary>
    Task ConsumeAsync(SimlaneDb db, IReadOnlyList<DomainEvent> batch, long now, CancellationToken cancellationToken);
}

/// <summary>
/// Reads the domain-event outbox exactly once, in commit order, and hands each batch to every registered
/// <see cref="IDomainEventConsumer"/>.
/// <para>
/// Exactly once: one transaction reads the batch after the cursor, lets the consumers stage their effects,
/// moves the cursor (a concurrency token) to the batch's last id and commits. A crash before the commit loses
/// the effects and the move together, so the batch is consumed again; after it, both are durable. A second
/// process that consumed the same batch concurrently fails on the cursor and rolls back.
/// </para>
/// <para>
/// Commit order: on SQLite ids are taken under the single writer lock, so id order is commit order. On
/// PostgreSQL an identity value is taken at insert and becomes visible at commit, so a transaction holding
/// id 10 could commit after one holding id 11, and a cursor moved to 11 would skip 10 for ever. Every writer
/// of <c>domain_events</c> therefore takes a transaction-scoped advisory lock right before inserting its
/// events and keeps it until its commit (<see cref="OutboxWriter.LockKey"/>, taken inside <see cref="OutboxWriter"/>, the only writer): ids are then assigned in
/// commit order, and once id N is visible every lower id is visible or rolled back for good. Reading
/// "everything after the cursor" is then safe without waiting on gaps (gaps are rollbacks or sequence caching).
/// The price is that the event inserts and commits of concurrent writers are serialized — the same price
/// SQLite pays for every write — and each writer takes the lock as its last write so it is held only for
/// the insert and the commit (docs/decisions.md S25).
/// </para>
/// <para>
/// The loop wakes when a save wrote events (<see cref="SignalledWorker.Wake"/>) and otherwise looks every
/// <see cref="PollInterval"/>; the sandbox clock calls <see cref="DrainAsync"/> before it answers.
/// </para>
/// </summary>
public sealed partial class OutboxConsumer(
    IServiceScopeFactory scopes,
    DatabaseOptions database,
    TimeProvider clock,
    IEnumerable<IDomainEventConsumer> consumers,
    Telemetry.SimlaneMetrics metrics,
    ILogger<OutboxConsumer> logger) : SignalledWorker(clock)
{
    public const int BatchSize = 1000;

    /// <summary>How many batches one turn at SQLite's writer gate may consume before ingest gets its turn again.</summary>
    public const int TurnBatches = 20;
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    private readonly IDomainEventConsumer[] consumers = consumers.ToArray();

    /// <summary>
    /// Consumes every event committed so far, a batch per transaction, and returns how many. A failing batch
    /// is rolled back, logged and left for the next attempt (the loop retries it); draining stops there.
    /// </summary>
    public async Task<int> DrainAsync(CancellationToken cancellationToken)
    {
        await Gate.WaitAsync(cancellationToken);
        try
        {
            var consumed = 0;
            while (true)
            {
                // An idle poll ends here, without waiting for the writer gate or taking SQLite's write lock.
                if (!await HasPendingAsync(cancellationToken))
                {
                    return consumed;
                }

                // SQLite: one turn at the writer gate, ahead of queued ingest batches (see SqliteWriterGate), covers up
                // to TurnBatches batches, so the engine keeps up with an ingest that writes many events per transaction.
                using var writer = await database.EnterWriterGateAsync(priority: true, cancellationToken);
                for (var turn = 0; turn < TurnBatches; turn++)
                {
                    if (turn > 0 && !await HasPendingAsync(cancellationToken))
                    {
                        return consumed;
                    }

                    int batch;
                    try
                    {
                        batch = await ConsumeBatchAsync(cancellationToken);
                    }
                    catch (DbUpdateConcurrencyException)
                    {
                        // Another process moved the cursor first; our batch was rolled back. Read again.
                        continue;
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        LogBatchFailed(logger, e);
                        return consumed;
                    }

                    if (batch == 0)
                    {
                        return consumed;
                    }

                    consumed += batch;
                }
            }
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>The cursor's position: the id of the last consumed event.</summary>
    public async Task<long> PositionAsync(CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SimlaneDb>();
        return await db.EngineCursors.AsNoTracking().Where(c => c.Name == EngineCursors.Engine).Select(c => c.Position).SingleOrDefaultAsync(cancellationToken);
    }

    protected override TimeSpan FailureDelay => RetryDelay;

    protected override async Task<TimeSpan> RunRoundAsync(CancellationToken cancellationToken)
    {
        await DrainAsync(cancellationToken);
        return PollInterval;
    }

    protected override void OnRoundFailed(Exception exception) => LogLoopFailed(logger, exception);

    /// <summary>Whether events wait after the cursor (or the cursor row is missing): a cheap read outside any transaction.</summary>
    private async Task<bool> HasPendingAsync(CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SimlaneDb>();
        var position = await db.EngineCursors.AsNoTracking().Where(c => c.Name == EngineCursors.Engine).Select(c => (long?)c.Position).SingleOrDefaultAsync(cancellationToken);
        return position is not { } p || await db.DomainEvents.AnyAsync(e => e.Id > p, cancellationToken);
    }

    private async Task<int> ConsumeBatchAsync(CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SimlaneDb>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var cursor = await db.EngineCursors.SingleOrDefaultAsync(c => c.Name == EngineCursors.Engine, cancellationToken);
        if (cursor is null)
        {
            // Only when the row was removed by hand: start from the events written from now on, as the migration does.
            var newest = await db.DomainEvents.MaxAsync(e => (long?)e.Id, cancellationToken) ?? 0;
            db.EngineCursors.Add(new EngineCursor { Name = EngineCursors.Engine, Position = newest, UpdatedTime = Clock.NowMs() });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return 0;
        }

        var batch = await db.DomainEvents.AsNoTracking().Where(e => e.Id > cursor.Position)
            .OrderBy(e => e.Id).Take(BatchSize).ToListAsync(cancellationToken);
        if (batch.Count == 0)
        {
            return 0;
        }

        var now = Clock.NowMs();
        foreach (var consumer in consumers)
        {
            await consumer.ConsumeAsync(db, batch, now, cancellationToken);
        }

        cursor.Position = batch[^1].Id;
        cursor.UpdatedTime = now;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch
        {
            metrics.RolledBack(db);
            throw;
        }

        db.AfterCommit();
        metrics.Committed(db);
        return batch.Count;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox consumer loop failed; retrying")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "An outbox batch failed and was rolled back; it will be retried")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception);
}
