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
/// event with the current month's amount. It only changes tracked entities; the caller saves, so a run
/// commits atomically with the firing of its timer.
/// </summary>
public sealed class BillingAggregator(PriceTable prices, Usage.UsageOverlay overlay)
{
    public PriceTable Prices => prices;

    public async Task RunAsync(SimlaneDb db, long nowMs, CancellationToken cancellationToken)
    {
        var operators = await db.Sims.AsNoTracking()
            .Where(s => s.OperatorId != null && s.RegisteredTime != null)
            .Select(s => s.OperatorId!).Distinct().ToListAsync(cancellationToken);
        foreach (var operatorId in operators.Order(StringComparer.Ordinal))
        {
            await AggregateOperatorAsync(db, operatorId, nowMs, cancellationToken);
        }
    }

    /// <summary>Aggregates one operator and answers the current month's amount.</summary>
    public async Task<decimal> AggregateOperatorAsync(SimlaneDb db, string operatorId, long nowMs, CancellationToken cancellationToken)
    {
        var currentMonth = UsageWindows.MonthStart(Math.DivRem(nowMs, 1000).Quotient);
        var imsis = new Dictionary<string, string>(StringComparer.Ordinal);
        var sims = await LoadSimsAsync(db, operatorId, nowMs, imsis, cancellationToken);
        var bills = await db.MonthlyCharges.Where(b => b.OperatorId == operatorId).ToListAsync(cancellationToken);
        var lastClosed = bills.Where(b => b.State == MonthlyCharge.Closed).Select(b => b.YearMonth).DefaultIfEmpty().Max(StringComparer.Ordinal);

        var month = sims.Count == 0 ? currentMonth : UsageWindows.MonthStart(sims.Min(s => s.RegisteredTimeMs) / 1000);
        if (lastClosed is not null && BillDates.TryParseYearMonth(lastClosed, out var closedStart))
        {
            month = Math.Max(month, UsageWindows.NextBucketStart(UsagePeriod.Month, closedStart));
        }

        // Months after the last termination (every SIM terminated) have no charge: skip them for good.
        var lastMonth = currentMonth;
        if (sims.Count > 0 && sims.All(s => s.Changes.Count > 0 && s.Changes[^1].Status == SimStatus.Terminated))
        {
            lastMonth = Math.Min(currentMonth, UsageWindows.MonthStart(sims.Max(s => s.Changes[^1].TimeMs) / 1000));
        }

        // Every IMSI of the operator's SIMs (a SIM's traffic is its subscriptions', decision S66): read once, by the first month with traffic.
        var simOf = new Lazy<Task<Dictionary<string, string>>>(() => Usage.SimCounters.OperatorImsisAsync(db, operatorId, cancellationToken));
        decimal current = 0;
        for (; month <= lastMonth; month = UsageWindows.NextBucketStart(UsagePeriod.Month, month))
        {
            var amount = await AggregateMonthAsync(db, operatorId, sims, imsis, simOf, bills, month, month < currentMonth, nowMs, cancellationToken);
            if (month == currentMonth)
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
        return current;
    }

    private async Task<decimal> AggregateMonthAsync(
        SimlaneDb db, string operatorId, List<BillableSim> sims, Dictionary<string, string> imsis, Lazy<Task<Dictionary<string, string>>> simsOfImsis,
        List<MonthlyCharge> bills, long monthStart, bool close, long nowMs, CancellationToken cancellationToken)
    {
        var monthEnd = UsageWindows.NextBucketStart(UsagePeriod.Month, monthStart);
        var yearMonth = BillDates.YearMonth(monthStart);
        // The subscribers' day counters as folded: their rows plus the fold's overlay (the SIMs of the operator are many: a scan of it).
        var counters = await overlay.CountersAsync(
            db,
            db.UsageCounters.AsNoTracking().Where(u => u.OperatorId == operatorId && u.Scope == UsageScope.Subscriber && u.Period == UsagePeriod.Day
                && u.BucketStart >= monthStart && u.BucketStart < monthEnd),
            UsageScope.Subscriber, null,
            (k, op) => op == operatorId && k.Period == UsagePeriod.Day && k.BucketStart >= monthStart && k.BucketStart < monthEnd, cancellationToken);
        var simOf = counters.Count == 0 ? [] : await simsOfImsis.Value;
        counters.RemoveAll(c => !simOf.ContainsKey(c.ScopeId));
        var usage = counters.GroupBy(c => (simOf[c.ScopeId], c.BucketStart)).ToDictionary(
            g => g.Key,
            g => (IReadOnlyDictionary<string, long>)g.GroupBy(c => c.SpeedClass, StringComparer.Ordinal)
                .ToDictionary(s => s.Key, s => s.Sum(c => checked(c.UploadBytes + c.DownloadBytes)), StringComparer.Ordinal));

        var simDays = DailyCharges.ForMonth(prices, sims, monthStart, nowMs, usage).ToList();
        var days = simDays
            .GroupBy(c => c.DayStart)
            .ToDictionary(g => g.Key, g => g.Sum(c => c.Amount));
        await StoreSimDaysAsync(db, operatorId, yearMonth, sims, imsis, simDays, usage, cancellationToken);

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
    /// Rewrites the month's per-SIM rows (the detail behind the daily amounts; docs/exports.md): the basic
    /// fee rounded, and the rest of the SIM-day's rounded amount as its data amount.
    /// </summary>
    private async Task StoreSimDaysAsync(
        SimlaneDb db, string operatorId, string yearMonth, List<BillableSim> sims, Dictionary<string, string> imsis, List<SimDayCharge> simDays,
        Dictionary<(string ScopeId, long BucketStart), IReadOnlyDictionary<string, long>> usage, CancellationToken cancellationToken)
    {
        var billable = sims.ToDictionary(s => s.SimId, StringComparer.Ordinal);
        var existing = (await db.SimDayCharges.Where(r => r.OperatorId == operatorId && r.YearMonth == yearMonth).ToListAsync(cancellationToken))
            .ToDictionary(r => (r.SimId, r.DayStart));
        foreach (var charge in simDays)
        {
            var sim = billable[charge.SimId];
            var basicAmount = prices.Round(charge.BasicFee);
            var bytes = usage.GetValueOrDefault((charge.SimId, charge.DayStart))?.Values.Sum() ?? 0;
            if (!existing.Remove((charge.SimId, charge.DayStart), out var row))
            {
                row = new SimDayChargeRow
                {
                    OperatorId = operatorId, SimId = charge.SimId, DayStart = charge.DayStart, YearMonth = yearMonth,
                    Imsi = imsis.GetValueOrDefault(sim.SimId, ""), Plan = sim.Plan, BilledStatus = "", Currency = prices.Currency,
                };
                db.SimDayCharges.Add(row);
            }

            (row.Imsi, row.Plan, row.BilledStatus, row.Currency) = (imsis.GetValueOrDefault(sim.SimId, ""), sim.Plan, charge.BilledStatus.ToWire(), prices.Currency);
            (row.BasicFee, row.BasicAmount, row.DataBytes, row.DataFee) = (charge.BasicFee, basicAmount, bytes, charge.DataFee);
            (row.DataAmount, row.Amount) = (charge.Amount - basicAmount, charge.Amount);
        }

        db.SimDayCharges.RemoveRange(existing.Values);
    }

    /// <summary>The operator's registered SIMs with their status timelines (primary subscription rows of the status history).</summary>
    private static async Task<List<BillableSim>> LoadSimsAsync(
        SimlaneDb db, string operatorId, long nowMs, Dictionary<string, string> imsis, CancellationToken cancellationToken)
    {
        var sims = await db.Sims.AsNoTracking()
            .Where(s => s.OperatorId == operatorId && s.RegisteredTime != null)
            .Select(s => new { s.SimId, s.Status, RegisteredTime = s.RegisteredTime!.Value, Plan = s.Subscriptions.Where(x => x.IsPrimary).Select(x => x.Plan).FirstOrDefault(), Imsi = s.Subscriptions.Where(x => x.IsPrimary).Select(x => x.Imsi).FirstOrDefault() })
            .ToListAsync(cancellationToken);
        var history = await (
            from h in db.StatusHistory.AsNoTracking()
            join s in db.Sims on h.SimId equals s.SimId
            where s.OperatorId == operatorId && h.IsPrimary && h.AppliedTime <= nowMs
            orderby h.SimId, h.AppliedTime, h.Id
            select new { h.SimId, h.Status, h.AppliedTime }).ToListAsync(cancellationToken);
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
