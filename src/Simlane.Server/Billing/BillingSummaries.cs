using Microsoft.EntityFrameworkCore;
using Simlane.Core.Billing;
using Simlane.Core.Usage;
using Simlane.Server.Auth;
using Simlane.Server.Exports;
using Simlane.Server.Infrastructure;
using Simlane.Storage;

namespace Simlane.Server.Billing;

/// <summary>
/// <c>/v1/bills/summaries/*</c>: the current month and the three before it that have a bill, newest first,
/// broken down by bill item (the names of the billing CSV) or by SIM (the top 100), from the per-SIM-day
/// rows of the last aggregation (docs/exports.md). Items and SIMs with a zero amount are left out.
/// </summary>
public static class BillingSummaries
{
    public const int Months = 4;
    public const int TopSims = 100;

    public static void Map(RouteGroupBuilder bills)
    {
        bills.MapGet("/summaries/bill_items", BillItemsAsync).WithName("getBillingSummaryOfBillItems").Produces<List<SummaryOfBillItems>>();
        bills.MapGet("/summaries/sims", SimsAsync).WithName("getBillingSummaryOfSims").Produces<List<SummaryOfSims>>();
    }

    public sealed record BillItemCostBreakdown(decimal Amount, string BillItemCategory, string BillItemName);

    public sealed record SummaryOfBillItems(string YearMonth, string Currency, long UpdatedTime, IReadOnlyList<BillItemCostBreakdown> CostBreakdownList);

    public sealed record SimCostBreakdown(decimal Amount, string SimId);

    public sealed record SummaryOfSims(string YearMonth, string Currency, long UpdatedTime, IReadOnlyList<SimCostBreakdown> CostBreakdownList);

    private static async Task<IResult> BillItemsAsync(Caller caller, SimlaneDb db, TimeProvider clock)
    {
        var result = new List<SummaryOfBillItems>();
        foreach (var bill in await BillsAsync(caller.OperatorId, db, clock))
        {
            var items = new Dictionary<string, decimal>(StringComparer.Ordinal);
            await foreach (var row in RowsAsync(db, bill))
            {
                items[BillItems.BasicFee(row)] = items.GetValueOrDefault(BillItems.BasicFee(row)) + row.BasicAmount;
                if (row.DataBytes > 0)
                {
                    items[BillItems.DataFee(row)] = items.GetValueOrDefault(BillItems.DataFee(row)) + row.DataAmount;
                }
            }

            var list = items.Where(i => i.Value != 0).OrderByDescending(i => i.Value).ThenBy(i => i.Key, StringComparer.Ordinal)
                .Select(i => new BillItemCostBreakdown(PriceTable.Normalize(i.Value), BillItems.Category, i.Key)).ToList();
            result.Add(new SummaryOfBillItems(bill.YearMonth, bill.Currency, bill.LastEvaluatedTime / 1000, list));
        }

        return Results.Json(result, Json.Options);
    }

    private static async Task<IResult> SimsAsync(Caller caller, SimlaneDb db, TimeProvider clock)
    {
        var result = new List<SummaryOfSims>();
        foreach (var bill in await BillsAsync(caller.OperatorId, db, clock))
        {
            var sims = new Dictionary<string, decimal>(StringComparer.Ordinal);
            await foreach (var row in RowsAsync(db, bill))
            {
                sims[row.SimId] = sims.GetValueOrDefault(row.SimId) + row.Amount;
            }

            var list = sims.Where(s => s.Value != 0).OrderByDescending(s => s.Value).ThenBy(s => s.Key, StringComparer.Ordinal).Take(TopSims)
                .Select(s => new SimCostBreakdown(PriceTable.Normalize(s.Value), s.Key)).ToList();
            result.Add(new SummaryOfSims(bill.YearMonth, bill.Currency, bill.LastEvaluatedTime / 1000, list));
        }

        return Results.Json(result, Json.Options);
    }

    /// <summary>The caller's bills of the current month and the three before it, newest first.</summary>
    private static async Task<List<MonthlyCharge>> BillsAsync(string operatorId, SimlaneDb db, TimeProvider clock)
    {
        var current = UsageWindows.MonthStart(clock.GetUtcNow().ToUnixTimeSeconds());
        var oldest = BillDates.YearMonth(DateTimeOffset.FromUnixTimeSeconds(current).AddMonths(1 - Months).ToUnixTimeSeconds());
        var newest = BillDates.YearMonth(current);
        var bills = await db.MonthlyCharges.AsNoTracking()
            .Where(b => b.OperatorId == operatorId && string.Compare(b.YearMonth, oldest) >= 0 && string.Compare(b.YearMonth, newest) <= 0)
            .ToListAsync();
        return [.. bills.OrderByDescending(b => b.YearMonth, StringComparer.Ordinal)];
    }

    private static IAsyncEnumerable<SimDayChargeRow> RowsAsync(SimlaneDb db, MonthlyCharge bill) =>
        db.SimDayCharges.AsNoTracking().Where(r => r.OperatorId == bill.OperatorId && r.YearMonth == bill.YearMonth).AsAsyncEnumerable();
}
