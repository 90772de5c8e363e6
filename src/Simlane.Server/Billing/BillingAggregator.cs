using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Simlane.Core.Billing;
using Simlane.Core.Events;
using Simlane.Core.Sims;
using Simlane.Core.Usage;
using Simlane.Storage;

namespace Simlane.Server.Billing;

/// <summary>
/// Recomputes charges from status history, current SIM state and usage counters (docs/billing.md). For
/// each operator with registered SIMs it rewrites the daily charges and the bill of every month that is
/// not closed yet, closes the months that have ended, and records a <see cref="DomainEventTypes.MonthlyChargeAggregated"/>
/// event with the current month's amount. The per-SIM rows (<c>sim_day_charges</c>) are computed and written
/// <see cref="ChunkSims"/> SIMs at a time, each chunk's month in its own transaction (at SQLite's writer gate, beside
/// ingest), so a run's memory and its hold on the writer do not grow with the fleet; the daily and monthly
/// amounts are added up from the chunks and only change tracked entities of the caller's context, which saves
/// them with the firing of its timer. A run that fails part-way leaves chunks written by a computation that the
/// retried run repeats: every row is a function of the SIM's state and counters, and the amounts follow the rows.
/// </summary>
public sealed partial class BillingAggregator(
    PriceTable prices, Usage.UsageOverlay overlay, IServiceScopeFactory scopes, Microsoft.Extensions.Options.IOptions<BillingOptions> options,
    ILogger<BillingAggregator> logger)
{
    public PriceTable Prices => prices;

    /// <summary>SIMs computed and written per chunk, each chunk its own transaction (<see cref="BillingOptions.AggregationChunkSims"/>).</summary>
    private int ChunkSims => options.Value.AggregationChunkSims;

    public async Task RunAsync(SimlaneDb db, long nowMs, CancellationToken cancellationToken)
    {
        var operators = await db.Sims.AsNoTracking()
            .Where(s => s.OperatorId != null && s.RegisteredTime != null)
            .Select(s => s.OperatorId!).Distinct().ToListAsync(cancellationToken);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        foreach (var operatorId in operators.Order(StringComparer.Ordinal))
        {
            await AggregateOperatorAsync(db, operatorId, nowMs, cancellationToken);
        }

        if (logger.IsEnabled(LogLevel.Information))
        {
            var ms = (long)System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            LogRun(logger, operators.Count, ms);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Billing aggregation: {Operators} operators in {Ms} ms")]
    private static partial void LogRun(ILogger logger, int operators, long ms);

    /// <summary>Aggregates one operator and answers the current month's amount.</summary>
    public async Task<decimal> AggregateOperatorAsync(SimlaneDb db, string operatorId, long nowMs, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var currentMonth = UsageWindows.MonthStart(Math.DivRem(nowMs, 1000).Quotient);
        var span = await SpanAsync(db, operatorId, nowMs, cancellationToken);
        var spanMs = (long)System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var bills = await db.MonthlyCharges.Where(b => b.OperatorId == operatorId).ToListAsync(cancellationToken);
        var lastClosed = bills.Where(b => b.State == MonthlyCharge.Closed).Select(b => b.YearMonth).DefaultIfEmpty().Max(StringComparer.Ordinal);

        var month = span.Sims == 0 ? currentMonth : UsageWindows.MonthStart(span.FirstRegisteredMs / 1000);
        if (lastClosed is not null && BillDates.TryParseYearMonth(lastClosed, out var closedStart))
        {
            month = Math.Max(month, UsageWindows.NextBucketStart(UsagePeriod.Month, closedStart));
        }

        // Months after the last termination (every SIM terminated) have no charge: skip them for good.
        var lastMonth = currentMonth;
        if (span.Sims > 0 && span.AllTerminated)
        {
            lastMonth = Math.Min(currentMonth, UsageWindows.MonthStart(span.LastChangeMs / 1000));
        }

        var months = new List<long>();
        for (; month <= lastMonth; month = UsageWindows.NextBucketStart(UsagePeriod.Month, month))
        {
            months.Add(month);
        }

        // Each month's amount per charged day, added up chunk by chunk (a day is listed once any SIM-day of it is charged).
        var days = months.ToDictionary(m => m, _ => new Dictionary<long, decimal>());
        var chunks = 0;
        if (months.Count > 0)
        {
            string? after = null;
            while (span.Sims > 0 && await AggregateChunkAsync(operatorId, months, after, nowMs, days, cancellationToken) is { } last)
            {
                after = last;
                chunks++;
            }

            await DeleteRowsAfterAsync(operatorId, months, after, cancellationToken);
        }

        decimal current = 0;
        foreach (var m in months)
        {
            var amount = await StoreMonthAsync(db, operatorId, bills, m, days[m], m < currentMonth, nowMs, cancellationToken);
            if (m == currentMonth)
            {
                current = amount;
            }
        }

        db.Outbox.Stage(new DomainEvent
        {
            OperatorId = operatorId,
            SimId = null,
            Imsi = null,
            Type = DomainEventTypes.MonthlyChargeAggregated,
            OldValue = BillDates.YearMonth(currentMonth),
            NewValue = PriceTable.Normalize(current).ToString(CultureInfo.InvariantCulture),
            OccurredTime = nowMs,
        });
        if (logger.IsEnabled(LogLevel.Debug))
        {
            var ms = (long)System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            LogAggregated(logger, operatorId, span.Sims, months.Count, chunks, ms, spanMs);
        }

        return current;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Billing aggregation of operator {OperatorId}: {Sims} SIMs, {Months} months, {Chunks} chunks, {Ms} ms ({SpanMs} ms reading the SIMs' span)")]
    private static partial void LogAggregated(ILogger logger, string operatorId, int sims, int months, int chunks, long ms, long spanMs);

    /// <summary>
    /// What the month range needs from all of the operator's registered SIMs, streamed (one small row per SIM): how many,
    /// the first registration, and whether every SIM's last status change (primary subscription, up to now) is a
    /// termination, with the latest change's time.
    /// </summary>
    private static async Task<(int Sims, long FirstRegisteredMs, bool AllTerminated, long LastChangeMs)> SpanAsync(
        SimlaneDb db, string operatorId, long nowMs, CancellationToken cancellationToken)
    {
        var (count, first, allTerminated, lastChange) = (0, long.MaxValue, true, long.MinValue);
        var rows = db.Sims.AsNoTracking()
            .Where(s => s.OperatorId == operatorId && s.RegisteredTime != null)
            .Select(s => new
            {
                RegisteredTime = s.RegisteredTime!.Value,
                LastStatus = db.StatusHistory.Where(h => h.SimId == s.SimId && h.IsPrimary && h.AppliedTime <= nowMs)
                    .OrderByDescending(h => h.AppliedTime).ThenByDescending(h => h.Id).Select(h => h.Status).FirstOrDefault(),
                LastTime = db.StatusHistory.Where(h => h.SimId == s.SimId && h.IsPrimary && h.AppliedTime <= nowMs)
                    .OrderByDescending(h => h.AppliedTime).ThenByDescending(h => h.Id).Select(h => (long?)h.AppliedTime).FirstOrDefault(),
            })
            .AsAsyncEnumerable();
        await foreach (var sim in rows.WithCancellation(cancellationToken))
        {
            count++;
            first = Math.Min(first, sim.RegisteredTime);
            allTerminated &= sim.LastStatus is not null && SimStatusNames.Parse(sim.LastStatus, "status") == SimStatus.Terminated;
            lastChange = Math.Max(lastChange, sim.LastTime ?? long.MinValue);
        }

        return (count, first, allTerminated, lastChange);
    }

    /// <summary>
    /// Computes and writes the per-SIM rows of the next <see cref="ChunkSims"/> registered SIMs after <paramref name="after"/>
    /// (by SIM ID) for every month of <paramref name="months"/>, one transaction per month, adds their amounts to
    /// <paramref name="days"/>, and answers the chunk's last SIM ID (null when no SIM was left).
    /// </summary>
    private async Task<string?> AggregateChunkAsync(
        string operatorId, List<long> months, string? after, long nowMs, Dictionary<long, Dictionary<long, decimal>> days, CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SimlaneDb>();
        var imsis = new Dictionary<string, string>(StringComparer.Ordinal);
        var sims = await LoadSimsAsync(db, operatorId, nowMs, after, ChunkSims, imsis, cancellationToken);
        if (sims.Count == 0)
        {
            return null;
        }

        // The chunk's range of SIM IDs: the chunks tile them, so each deletes the rows in its range that it did not write.
        var range = (After: after, Through: sims[^1].SimId);

        // A SIM's traffic is its subscriptions' (decision S66). Month by month, each its own transaction: a chunk's rows are at most
        // its SIMs × 31 days whatever the months the run recomputes (an operator's first run may cover years).
        var simOf = await Usage.SimCounters.ImsisOfAsync(db, [.. sims.Select(s => s.SimId)], cancellationToken);
        var ids = simOf.Keys.ToList();
        foreach (var month in months)
        {
            // The chunk's subscriber day counters of the month, as folded (rows plus the fold's overlay), by SIM and day.
            var monthEnd = UsageWindows.NextBucketStart(UsagePeriod.Month, month);
            var counters = await overlay.CountersAsync(
                db,
                db.UsageCounters.AsNoTracking().Where(u => u.Scope == UsageScope.Subscriber && ids.Contains(u.ScopeId) && u.Period == UsagePeriod.Day
                    && u.BucketStart >= month && u.BucketStart < monthEnd && u.OperatorId == operatorId),
                UsageScope.Subscriber, ids,
                (k, op) => op == operatorId && k.Period == UsagePeriod.Day && k.BucketStart >= month && k.BucketStart < monthEnd, cancellationToken);
            var usage = counters.Where(c => simOf.ContainsKey(c.ScopeId)).GroupBy(c => (simOf[c.ScopeId], c.BucketStart)).ToDictionary(
                g => g.Key,
                g => (IReadOnlyDictionary<string, long>)g.GroupBy(c => c.SpeedClass, StringComparer.Ordinal)
                    .ToDictionary(s => s.Key, s => s.Sum(c => checked(c.UploadBytes + c.DownloadBytes)), StringComparer.Ordinal));

            var simDays = DailyCharges.ForMonth(prices, sims, month, nowMs, usage).ToList();
            var monthDays = days[month];
            foreach (var charge in simDays)
            {
                monthDays[charge.DayStart] = monthDays.GetValueOrDefault(charge.DayStart) + charge.Amount;
            }

            using var gate = await db.EnterWriterGateAsync(priority: false, cancellationToken);
            await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
            {
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                await StoreSimDaysAsync(db, operatorId, BillDates.YearMonth(month), range, sims, imsis, simDays, usage, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            });
        }

        return sims[^1].SimId;
    }

    /// <summary>
    /// Deletes the months' per-SIM rows of SIM IDs after the last chunk's (all of them when <paramref name="after"/> is null): rows of
    /// SIMs that are not (or no longer) the operator's registered SIMs; each chunk removed those in its own range.
    /// </summary>
    private async Task DeleteRowsAfterAsync(string operatorId, List<long> months, string? after, CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SimlaneDb>();
        using var gate = await db.EnterWriterGateAsync(priority: false, cancellationToken);
        var store = new BillingStore(db);
        foreach (var yearMonth in months.Select(BillDates.YearMonth))
        {
            await store.DeleteAsync(operatorId, yearMonth, await store.KeysAsync(operatorId, yearMonth, after, null, cancellationToken), cancellationToken);
        }
    }

    /// <summary>
    /// Rewrites one month's daily amounts (<paramref name="days"/>, added up from the chunks) and its bill in the caller's context
    /// (tracked entities only), and answers the month's amount.
    /// </summary>
    private async Task<decimal> StoreMonthAsync(
        SimlaneDb db, string operatorId, List<MonthlyCharge> bills, long monthStart, Dictionary<long, decimal> days, bool close, long nowMs,
        CancellationToken cancellationToken)
    {
        var yearMonth = BillDates.YearMonth(monthStart);
        var existing = await db.DailyCharges.Where(d => d.OperatorId == operatorId && d.YearMonth == yearMonth).ToListAsync(cancellationToken);
        foreach (var row in existing.Where(r => !days.ContainsKey(r.DayStart)))
        {
            db.DailyCharges.Remove(row);
        }

        foreach (var (dayStart, amount) in days)
        {
            var row = existing.FirstOrDefault(r => r.DayStart == dayStart);
            if (row is null)
            {
                db.DailyCharges.Add(new DailyCharge { OperatorId = operatorId, DayStart = dayStart, YearMonth = yearMonth, Amount = amount, Currency = prices.Currency });
            }
            else if (row.Amount != amount || row.Currency != prices.Currency)
            {
                row.Amount = amount;
                row.Currency = prices.Currency;
            }
        }

        var bill = bills.FirstOrDefault(b => b.YearMonth == yearMonth);
        if (days.Count == 0)
        {
            // No SIM of the operator was registered during the month: no charge, no bill.
            if (bill is not null)
            {
                db.MonthlyCharges.Remove(bill);
            }

            return 0;
        }

        var total = days.Values.Sum();
        if (bill is null)
        {
            bill = new MonthlyCharge { OperatorId = operatorId, YearMonth = yearMonth, Currency = prices.Currency, State = MonthlyCharge.Temporary };
            db.MonthlyCharges.Add(bill);
            bills.Add(bill);
        }

        bill.Amount = total;
        bill.Currency = prices.Currency;
        bill.State = close ? MonthlyCharge.Closed : MonthlyCharge.Temporary;
        bill.LastEvaluatedTime = nowMs;
        return total;
    }

    /// <summary>
    /// Rewrites the month's per-SIM rows of the chunk's SIMs (the detail behind the daily amounts; docs/exports.md): the basic
    /// fee rounded, and the rest of the SIM-day's rounded amount as its data amount. Every other row in the chunk's SIM-ID range
    /// is deleted: days of its SIMs no longer charged, and SIMs that are not (or no longer) the operator's registered SIMs.
    /// </summary>
    private async Task StoreSimDaysAsync(
        SimlaneDb db, string operatorId, string yearMonth, (string? After, string Through) range, List<BillableSim> sims, Dictionary<string, string> imsis,
        List<SimDayCharge> simDays, Dictionary<(string ScopeId, long BucketStart), IReadOnlyDictionary<string, long>> usage, CancellationToken cancellationToken)
    {
        var store = new BillingStore(db);
        var billable = sims.ToDictionary(s => s.SimId, StringComparer.Ordinal);
        var stale = (await store.KeysAsync(operatorId, yearMonth, range.After, range.Through, cancellationToken)).ToHashSet();
        var rows = new List<SimDayChargeRow>(simDays.Count);
        foreach (var charge in simDays)
        {
            var sim = billable[charge.SimId];
            var basicAmount = prices.Round(charge.BasicFee);
            var bytes = usage.GetValueOrDefault((charge.SimId, charge.DayStart))?.Values.Sum() ?? 0;
            stale.Remove((charge.SimId, charge.DayStart));
            rows.Add(new SimDayChargeRow
            {
                OperatorId = operatorId, SimId = charge.SimId, DayStart = charge.DayStart, YearMonth = yearMonth,
                Imsi = imsis.GetValueOrDefault(sim.SimId, ""), Plan = sim.Plan, BilledStatus = charge.BilledStatus.ToWire(), Currency = prices.Currency,
                BasicFee = charge.BasicFee, BasicAmount = basicAmount, DataBytes = bytes, DataFee = charge.DataFee,
                DataAmount = charge.Amount - basicAmount, Amount = charge.Amount,
            });
        }

        await store.UpsertAsync(rows);
        await store.DeleteAsync(operatorId, yearMonth, [.. stale], cancellationToken);
    }

    /// <summary>
    /// Up to <paramref name="take"/> of the operator's registered SIMs after <paramref name="after"/> in SIM ID order, with their
    /// status timelines (primary subscription rows of the status history).
    /// </summary>
    private static async Task<List<BillableSim>> LoadSimsAsync(
        SimlaneDb db, string operatorId, long nowMs, string? after, int take, Dictionary<string, string> imsis, CancellationToken cancellationToken)
    {
        var registered = db.Sims.AsNoTracking().Where(s => s.OperatorId == operatorId && s.RegisteredTime != null);
        if (after is not null)
        {
            registered = registered.Where(s => string.Compare(s.SimId, after) > 0);
        }

        var sims = await registered
            .OrderBy(s => s.SimId)
            .Take(take)
            .Select(s => new { s.SimId, s.Status, RegisteredTime = s.RegisteredTime!.Value, Plan = s.Subscriptions.Where(x => x.IsPrimary).Select(x => x.Plan).FirstOrDefault(), Imsi = s.Subscriptions.Where(x => x.IsPrimary).Select(x => x.Imsi).FirstOrDefault() })
            .ToListAsync(cancellationToken);
        var simIds = sims.Select(s => s.SimId).ToList();
        var history = await db.StatusHistory.AsNoTracking()
            .Where(h => simIds.Contains(h.SimId) && h.IsPrimary && h.AppliedTime <= nowMs)
            .OrderBy(h => h.SimId).ThenBy(h => h.AppliedTime).ThenBy(h => h.Id)
            .Select(h => new { h.SimId, h.Status, h.AppliedTime }).ToListAsync(cancellationToken);
        var changes = history.GroupBy(h => h.SimId, StringComparer.Ordinal).ToDictionary(
            g => g.Key,
            g => g.Select(h => new StatusChange(h.AppliedTime, SimStatusNames.Parse(h.Status, "status"))).ToList(),
            StringComparer.Ordinal);

        return [.. sims.Select(s =>
        {
            var plan = Plans.Find(s.Plan) ?? Plans.Get(Plans.Plan01s);
            imsis[s.SimId] = s.Imsi ?? "";
            var timeline = changes.GetValueOrDefault(s.SimId) ?? [];

            // Without any recorded change the current status has held since registration.
            var initial = timeline.Count == 0 ? s.Status : BillableSim.InitialStatusOf(plan);
            return new BillableSim(s.SimId, plan.Name, s.RegisteredTime, initial, timeline);
        })];
    }
}
