using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Simlane.Storage;

/// <summary>
/// The SQL of the billing aggregation's per-SIM rows (<c>sim_day_charges</c>), in multi-row statements: an aggregation run
/// rewrites up to 31 rows per SIM per month for every SIM of a fleet, and through the change tracker each row cost ~38 µs
/// (docs/performance.md, ninth measurement).
/// </summary>
public sealed class BillingStore(SimlaneDb db)
{
    private const int Columns = 14;

    private static readonly ConditionalWeakTable<IModel, Statements> Cache = [];

    private Statements Sql => Cache.GetValue(db.Model, m => new Statements(m));

    /// <summary>Builds (and so checks) every statement against <paramref name="model"/>: throws if a table or column they name is not mapped.</summary>
    public static void Verify(IModel model) => _ = Cache.GetValue(model, m => new Statements(m));

    /// <summary>
    /// The (SIM, day) keys of one operator's month's rows whose SIM ID is after <paramref name="after"/> and up to
    /// <paramref name="through"/> (SIM ID order, the database's; null: no bound), read through a range of the primary key.
    /// </summary>
    public async Task<List<(string SimId, long DayStart)>> KeysAsync(
        string operatorId, string yearMonth, string? after, string? through, CancellationToken cancellationToken)
    {
        var rows = db.SimDayCharges.AsNoTracking().Where(r => r.OperatorId == operatorId && r.YearMonth == yearMonth);
        if (after is not null)
        {
            rows = rows.Where(r => string.Compare(r.SimId, after) > 0);
        }

        if (through is not null)
        {
            rows = rows.Where(r => string.Compare(r.SimId, through) <= 0);
        }

        var keys = await rows.Select(r => new { r.SimId, r.DayStart }).ToListAsync(cancellationToken);
        return [.. keys.Select(k => (k.SimId, k.DayStart))];
    }

    /// <summary>
    /// Inserts <paramref name="rows"/> or updates the rows with their keys; a row whose every column already holds these values
    /// is left alone (no write), so a run that recomputes unchanged days writes nothing for them.
    /// </summary>
    public Task UpsertAsync(IReadOnlyList<SimDayChargeRow> rows) =>
        MultiRowSql.BatchAsync(
            db, rows, Columns, n => Sql.Upsert + MultiRowSql.Values(n, Columns) + Sql.UpsertConflict,
            (row, values) =>
            {
                values[0] = row.OperatorId;
                values[1] = row.YearMonth;
                values[2] = row.SimId;
                values[3] = row.DayStart;
                values[4] = row.Imsi;
                values[5] = row.Plan;
                values[6] = row.BilledStatus;
                values[7] = row.Currency;
                values[8] = row.BasicFee;
                values[9] = row.BasicAmount;
                values[10] = row.DataBytes;
                values[11] = row.DataFee;
                values[12] = row.DataAmount;
                values[13] = row.Amount;
            },
            command => command.ExecuteNonQueryAsync());

    /// <summary>Deletes the rows of one operator's month with these (SIM, day) keys.</summary>
    public async Task DeleteAsync(string operatorId, string yearMonth, IReadOnlyList<(string SimId, long DayStart)> keys, CancellationToken cancellationToken)
    {
        foreach (var group in keys.GroupBy(k => k.SimId, StringComparer.Ordinal))
        {
            var (simId, days) = (group.Key, group.Select(k => k.DayStart).ToList());
            await db.SimDayCharges
                .Where(r => r.OperatorId == operatorId && r.YearMonth == yearMonth && r.SimId == simId && days.Contains(r.DayStart))
                .ExecuteDeleteAsync(cancellationToken);
        }
    }

    /// <summary>The statement texts, with names from one model.</summary>
    private sealed class Statements
    {
        public Statements(IModel model)
        {
            string C(string property) => ModelNames.Column<SimDayChargeRow>(model, property);
            var table = ModelNames.Table<SimDayChargeRow>(model);
            string[] key = [C(nameof(SimDayChargeRow.OperatorId)), C(nameof(SimDayChargeRow.YearMonth)), C(nameof(SimDayChargeRow.SimId)), C(nameof(SimDayChargeRow.DayStart))];
            string[] rest =
            [
                C(nameof(SimDayChargeRow.Imsi)), C(nameof(SimDayChargeRow.Plan)), C(nameof(SimDayChargeRow.BilledStatus)), C(nameof(SimDayChargeRow.Currency)),
                C(nameof(SimDayChargeRow.BasicFee)), C(nameof(SimDayChargeRow.BasicAmount)), C(nameof(SimDayChargeRow.DataBytes)), C(nameof(SimDayChargeRow.DataFee)),
                C(nameof(SimDayChargeRow.DataAmount)), C(nameof(SimDayChargeRow.Amount)),
            ];
            Upsert = $"INSERT INTO {table} ({string.Join(", ", key.Concat(rest))}) VALUES ";
            UpsertConflict = $" ON CONFLICT ({string.Join(", ", key)}) DO UPDATE SET {string.Join(", ", rest.Select(c => $"{c} = excluded.{c}"))} "
                + $"WHERE {string.Join(" OR ", rest.Select(c => $"{table}.{c} <> excluded.{c}"))}";
        }

        public string Upsert { get; }

        public string UpsertConflict { get; }
    }
}
