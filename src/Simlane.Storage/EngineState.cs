namespace Simlane.Storage;

/// <summary>
/// How far a consumer of the domain-event outbox has got: every event with an id at or below
/// <see cref="Position"/> has been consumed, its effects committed in the same transaction that moved the
/// cursor. <see cref="Position"/> is a concurrency token, so two processes can never both consume a batch.
/// </summary>
public sealed class EngineCursor
{
    /// <summary>The consumer, e.g. <see cref="EngineCursors.Engine"/>.</summary>
    public required string Name { get; set; }

    /// <summary>The id of the last consumed <c>domain_events</c> row.</summary>
    public long Position { get; set; }

    /// <summary>When the cursor last moved, epoch milliseconds (the injected clock).</summary>
    public long UpdatedTime { get; set; }
}

public static class EngineCursors
{
    /// <summary>The rule engine's cursor. The EngineCursor migration creates it at the newest event then present.</summary>
    public const string Engine = "engine";

    /// <summary>
    /// Not a cursor: a stamp whose position grows with every change to <c>event_handlers</c> or
    /// <c>handler_ignores</c>, moved in the changing transaction (<see cref="SimlaneDb.SaveChangesAsync(bool, CancellationToken)"/>),
    /// so the rule engine can keep its handler index between batches and reload it only when the stamp moved.
    /// Absent until the first change.
    /// </summary>
    public const string HandlersStamp = "handlers";
}
