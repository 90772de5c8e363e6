using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Simlane.Core.Events;
using Simlane.Storage.Saving;

namespace Simlane.Storage;

/// <summary>One row for <see cref="OutboxWriter.AppendAsync"/> (the hand-written SQL path): an IMSI-level event with a payload.</summary>
public sealed record OutboxRow(string OperatorId, string SimId, string Imsi, string Type, string Payload);

/// <summary>
/// The only code that inserts into <c>domain_events</c> (the outbox), one per context (<see cref="SimlaneDb.Outbox"/>).
/// Two ways in: <see cref="Stage"/> (and each SIM's pending events, staged by <see cref="SimEventsAndHistoryStep"/>)
/// for events written by the next <c>SaveChangesAsync</c>, and <see cref="AppendAsync"/> for the metering hot path's
/// multi-row insert. Both take the outbox lock (<see cref="LockKey"/>) themselves, right before the insert, so no
/// caller can forget it. A domain event added to the context any other way makes the save throw.
/// </summary>
public sealed class OutboxWriter
{
    /// <summary>
    /// The PostgreSQL advisory lock key that orders outbox writers. On PostgreSQL an identity value is taken at insert
    /// time but becomes visible at commit, so two transactions could commit their events out of id order and a reader
    /// past id 11 would never see id 10. Holding a transaction-scoped advisory lock from the insert to the commit makes
    /// event-writing transactions take ids in commit order: when id N is visible, every lower id is either visible or
    /// rolled back for good. The writer takes it last (after every other write of the save) so that it is held only
    /// for the event insert and the commit, and no deadlock can form around it. SQLite needs nothing: one writer at a time.
    /// </summary>
    public const long LockKey = 0x53494D4C4F42; // "SIMLOB"

    private static readonly ConditionalWeakTable<IModel, string> InsertSql = [];

    private readonly SimlaneDb db;
    private readonly HashSet<DomainEvent> staged = new(ReferenceEqualityComparer.Instance);

    internal OutboxWriter(SimlaneDb db) => this.db = db;

    /// <summary>Builds (and so checks) the insert statement against <paramref name="model"/>; throws if a name is not mapped.</summary>
    public static void Verify(IModel model) => _ = InsertSql.GetValue(model, BuildInsert);

    /// <summary>
    /// Stages <paramref name="domainEvent"/> for the next save of this context, which writes it after every other
    /// change of the save, under the outbox lock. Forgotten if the context's change tracker is cleared first.
    /// </summary>
    public void Stage(DomainEvent domainEvent)
    {
        staged.Add(domainEvent);
        if (db.Entry(domainEvent).State == EntityState.Detached)
        {
            db.Set<DomainEvent>().Add(domainEvent);
        }
    }

    /// <summary>
    /// Appends <paramref name="rows"/> to the outbox with hand-written multi-row inserts, in order, stamped
    /// <paramref name="occurredTime"/>, in the context's current transaction (required on PostgreSQL). Takes the
    /// outbox lock first, so it must be the last write of that transaction. The owner of the transaction calls
    /// <see cref="SimlaneDb.AfterCommit"/> after committing, which then reports the events.
    /// </summary>
    public async Task AppendAsync(IReadOnlyList<OutboxRow> rows, long occurredTime, CancellationToken cancellationToken = default)
    {
        if (rows.Count == 0)
        {
            return;
        }

        await LockAsync(cancellationToken);
        var sql = InsertSql.GetValue(db.Model, BuildInsert);
        await MultiRowSql.BatchAsync(
            db, rows, 6, n => sql + MultiRowSql.Values(n, 6),
            (row, values) =>
            {
                values[0] = row.OperatorId;
                values[1] = row.SimId;
                values[2] = row.Imsi;
                values[3] = row.Type;
                values[4] = row.Payload;
                values[5] = occurredTime;
            },
            command => command.ExecuteNonQueryAsync(cancellationToken));
        db.DeferUntilCommit(CommittedChanges.DomainEvents);
    }

    /// <summary>
    /// The save itself, run by <see cref="SimlaneDb.SaveChangesAsync(bool, CancellationToken)"/> after the
    /// before-save steps: begins a transaction when the batch needs one (in-transaction writes such as the handler
    /// stamp, or events on PostgreSQL), runs those writes, saves every other change, then takes the outbox lock and
    /// inserts the staged events. Answers the number of rows EF wrote.
    /// </summary>
    internal async Task<int> SaveAsync(SaveBatch batch, CancellationToken cancellationToken)
    {
        var events = StagedEvents();
        var ordered = events.Count > 0 && db is PostgresSimlaneDb;
        int written;
        if (!ordered && batch.TransactionalWrites.Count == 0)
        {
            written = await db.SaveTrackedAsync(batch.AcceptAllChangesOnSuccess, cancellationToken);
        }
        else
        {
            written = await InOwnTransactionAsync(async () =>
            {
                foreach (var write in batch.TransactionalWrites)
                {
                    await write(cancellationToken);
                }

                if (!ordered)
                {
                    return await db.SaveTrackedAsync(batch.AcceptAllChangesOnSuccess, cancellationToken);
                }

                if (!batch.AcceptAllChangesOnSuccess)
                {
                    // Not accepting changes: one save, the lock taken before it.
                    await LockAsync(cancellationToken);
                    return await db.SaveTrackedAsync(false, cancellationToken);
                }

                // Every other change first, then the lock, then the events, then the caller's (or our) commit.
                Detach(events);
                int others;
                try
                {
                    others = await db.SaveTrackedAsync(true, cancellationToken);
                }
                catch
                {
                    Attach(events);
                    throw;
                }

                await LockAsync(cancellationToken);
                Attach(events);
                return others + await db.SaveTrackedAsync(true, cancellationToken);
            }, cancellationToken);
        }

        staged.Clear();
        batch.EventsWritten = events.Count;
        return written;
    }

    /// <summary>The events added to the context, in order; throws if one was added other than through <see cref="Stage"/>.</summary>
    private List<DomainEvent> StagedEvents()
    {
        var events = db.ChangeTracker.Entries<DomainEvent>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
        if (events.FirstOrDefault(e => !staged.Contains(e)) is { } stray)
        {
            throw new InvalidOperationException(
                $"A '{stray.Type}' domain event was added to the context directly; domain events are written only through SimlaneDb.Outbox (OutboxWriter), which orders them.");
        }

        return events;
    }

    private void Detach(List<DomainEvent> events)
    {
        foreach (var e in events)
        {
            db.Entry(e).State = EntityState.Detached;
        }
    }

    private void Attach(List<DomainEvent> events) => db.Set<DomainEvent>().AddRange(events);

    /// <summary>Takes the outbox lock (<see cref="LockKey"/>) for the rest of the current transaction; nothing on SQLite.</summary>
    private async Task LockAsync(CancellationToken cancellationToken)
    {
        if (db is PostgresSimlaneDb)
        {
            if (db.Database.CurrentTransaction is null)
            {
                throw new InvalidOperationException("The outbox lock is transaction-scoped; begin a transaction first.");
            }

            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({LockKey})", cancellationToken);
        }
    }

    /// <summary>Runs <paramref name="save"/> in the caller's transaction, or in one of its own that it commits.</summary>
    private async Task<int> InOwnTransactionAsync(Func<Task<int>> save, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is not null)
        {
            return await save();
        }

        await using var owned = await db.Database.BeginTransactionAsync(cancellationToken);
        var written = await save();
        await owned.CommitAsync(cancellationToken);
        return written;
    }

    private static string BuildInsert(IModel model)
    {
        string E(string property) => ModelNames.Column<DomainEvent>(model, property);
        return $"INSERT INTO {ModelNames.Table<DomainEvent>(model)} ({E(nameof(DomainEvent.OperatorId))}, {E(nameof(DomainEvent.SimId))}, "
            + $"{E(nameof(DomainEvent.Imsi))}, {E(nameof(DomainEvent.Type))}, {E(nameof(DomainEvent.NewValue))}, {E(nameof(DomainEvent.OccurredTime))}) VALUES ";
    }
}
