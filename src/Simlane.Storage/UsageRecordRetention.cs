using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Simlane.Storage;

/// <summary>
/// Deletes accepted usage record IDs (<see cref="AcceptedUsageRecord"/>) that are older than the de-duplication window
/// (issue 14), one bounded batch per statement, so the single SQLite writer is held only briefly. The sandbox's record
/// IDs (<see cref="SandboxPrefix"/>) are kept: a sandbox insert may be for any past time and its duplicate check
/// (400 SBX1012) stays exact (decisions.md S61).
/// </summary>
public static class UsageRecordRetention
{
    /// <summary>The prefix of the record IDs of sandbox inserts (<c>sandbox:{imsi}:{unixtime}</c>).</summary>
    public const string SandboxPrefix = "sandbox:";

    private static readonly ConditionalWeakTable<IModel, string> Cache = [];

    /// <summary>Builds (and so checks) the statement against <paramref name="model"/> (<see cref="HandWrittenSql.Verify"/>).</summary>
    public static void Verify(IModel model) => _ = Statement(model);

    /// <summary>
    /// Deletes at most <paramref name="limit"/> non-sandbox record IDs whose record time is before
    /// <paramref name="before"/> (epoch seconds), in one statement (its own transaction); answers how many.
    /// The subquery walks the index on the record time.
    /// </summary>
    public static Task<int> DeleteBatchAsync(SimlaneDb db, long before, int limit, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlRawAsync(Statement(db.Model), [before, SandboxPrefix, limit], cancellationToken);

    private static string Statement(IModel model) => Cache.GetValue(model, m =>
    {
        string R(string property) => ModelNames.Column<AcceptedUsageRecord>(m, property);
        var table = ModelNames.Table<AcceptedUsageRecord>(m);
        var key = $"{R(nameof(AcceptedUsageRecord.OperatorId))}, {R(nameof(AcceptedUsageRecord.RecordId))}";
        return $"DELETE FROM {table} WHERE ({key}) IN (SELECT {key} FROM {table} "
            + $"WHERE {R(nameof(AcceptedUsageRecord.Unixtime))} < {{0}} "
            + $"AND substr({R(nameof(AcceptedUsageRecord.RecordId))}, 1, {SandboxPrefix.Length}) <> {{1}} LIMIT {{2}})";
    });
}
