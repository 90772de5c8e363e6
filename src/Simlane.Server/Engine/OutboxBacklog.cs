using Microsoft.EntityFrameworkCore;
using Simlane.Storage;

namespace Simlane.Server.Engine;

/// <summary>
/// The rule engine's backlog: the outbox events after the engine cursor (<see cref="OutboxConsumer"/>). Read by the
/// readiness probe and the metrics. Two indexed reads; the cursor is read first, so an event committed between the two
/// can only make the count larger, never hide one. IDs left by rolled-back transactions count too.
/// </summary>
/// <param name="Position">The cursor: the ID of the last consumed event.</param>
/// <param name="Newest">The newest event's ID (0 when there is none).</param>
public readonly record struct OutboxBacklog(long Position, long Newest)
{
    /// <summary>How many events wait (at most).</summary>
    public long Count => Math.Max(0, Newest - Position);

    public static async Task<OutboxBacklog> ReadAsync(SimlaneDb db, CancellationToken cancellationToken)
    {
        var position = await db.EngineCursors.AsNoTracking().Where(c => c.Name == EngineCursors.Engine)
            .Select(c => (long?)c.Position).SingleOrDefaultAsync(cancellationToken);
        var newest = await db.DomainEvents.MaxAsync(e => (long?)e.Id, cancellationToken) ?? 0;
        // No cursor row: the consumer creates it at the newest event, so nothing waits.
        return new OutboxBacklog(position ?? newest, newest);
    }
}
