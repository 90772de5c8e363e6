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

/// <summary>The one hand-written statement on <c>engine_cursors</c>, names from the EF model (<see cref="ModelNames"/>).</summary>
public static class EngineCursorSql
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Microsoft.EntityFrameworkCore.Metadata.IModel, string> BumpSql = [];

    /// <summary>
    /// Moves the stamp <paramref name="name"/> on by one and sets its time to <paramref name="time"/>, creating it
    /// at 1 if absent: one upsert, in the caller's transaction.
    /// </summary>
    public static Task BumpStampAsync(SimlaneDb db, string name, long time, CancellationToken cancellationToken) =>
        Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.ExecuteSqlRawAsync(
            db.Database, BumpSql.GetValue(db.Model, Build), [name, time], cancellationToken);

    /// <summary>Builds (and so checks) the statement against <paramref name="model"/>; throws if a name is not mapped.</summary>
    public static void Verify(Microsoft.EntityFrameworkCore.Metadata.IModel model) => _ = BumpSql.GetValue(model, Build);

    private static string Build(Microsoft.EntityFrameworkCore.Metadata.IModel model)
    {
        var table = ModelNames.Table<EngineCursor>(model);
        var name = ModelNames.Column<EngineCursor>(model, nameof(EngineCursor.Name));
        var position = ModelNames.Column<EngineCursor>(model, nameof(EngineCursor.Position));
        var updated = ModelNames.Column<EngineCursor>(model, nameof(EngineCursor.UpdatedTime));
        return $"INSERT INTO {table} ({name}, {position}, {updated}) VALUES ({{0}}, 1, {{1}}) "
            + $"ON CONFLICT ({name}) DO UPDATE SET {position} = {table}.{position} + 1, {updated} = excluded.{updated}";
    }
}
