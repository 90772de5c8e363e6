using Microsoft.EntityFrameworkCore;
using Simlane.Core.Billing;
using Simlane.Core.Errors;
using Simlane.Core.Usage;
using Simlane.Server.Auth;
using Simlane.Server.Infrastructure;
using Simlane.Storage;

namespace Simlane.Server.Billing;

/// <summary>
/// <c>/v1/bills</c>: the caller's own bills as the periodic aggregation left them (docs/billing.md). The
/// current month is <c>temporary</c> (preliminary); months that have ended are <c>closed</c>.
/// </summary>
public static class BillingApi
{
    /// <summary>How many finalized months <c>GET /bills</c> lists (SORACOM: the last 18 months).</summary>
    public const int HistoryMonths = 18;

    public static void Map(RouteGroupBuilder bills)
    {
        bills.MapGet("", ListAsync).WithName("getBillingHistory").Produces<BillingHistory>();
        bills.MapGet("/latest", LatestAsync).WithName("getLatestBilling").Produces<LatestBill>();
        bills.MapGet("/{yyyyMM}", GetAsync).WithName("getBilling").Produces<MonthlyBill>();
        bills.MapGet("/{yyyyMM}/daily", DailyAsync).WithName("getBillingPerDay").Produces<DailyBills>();
        BillingSummaries.Map(bills);
    }

    public sealed record MonthlyBill(string YearMonth, decimal Amount, decimal AppliedCouponAmount, string Currency, string State);

    public sealed record BillingHistory(IReadOnlyList<MonthlyBill> BillList);

    public sealed record LatestBill(decimal Amount, string Currency, string? LastEvaluatedTime);

    public sealed record DailyBill(string Date, decimal Amount, string Currency);

    public sealed record DailyBills(IReadOnlyList<DailyBill> BillList);

    private static MonthlyBill View(MonthlyCharge c) => new(c.YearMonth, PriceTable.Normalize(c.Amount), 0m, c.Currency, c.State);

    private static long CurrentMonth(TimeProvider clock) => UsageWindows.MonthStart(clock.GetUtcNow().ToUnixTimeSeconds());

    private static async Task<IResult> ListAsync(Caller caller, SimlaneDb db, TimeProvider clock)
    {
        var current = CurrentMonth(clock);
        var oldest = BillDates.YearMonth(DateTimeOffset.FromUnixTimeSeconds(current).AddMonths(-HistoryMonths).ToUnixTimeSeconds());
        var rows = await db.MonthlyCharges.AsNoTracking()
            .Where(b => b.OperatorId == caller.OperatorId && b.State == MonthlyCharge.Closed && string.Compare(b.YearMonth, oldest) >= 0)
            .ToListAsync();
        var list = rows.OrderByDescending(b => b.YearMonth, StringComparer.Ordinal).Take(HistoryMonths).Select(View).ToList();
        return Results.Json(new BillingHistory(list), Json.Options);
    }

    private static async Task<IResult> LatestAsync(Caller caller, SimlaneDb db, TimeProvider clock, PriceTable prices)
    {
        var month = BillDates.YearMonth(CurrentMonth(clock));
        var bill = await db.MonthlyCharges.AsNoTracking().SingleOrDefaultAsync(b => b.OperatorId == caller.OperatorId && b.YearMonth == month);
        return bill is null
            ? Results.Json(new LatestBill(0m, prices.Currency, null), Json.Options)
            : Results.Json(new LatestBill(PriceTable.Normalize(bill.Amount), bill.Currency, BillDates.EvaluatedTime(bill.LastEvaluatedTime)), Json.Options);
    }

    private static async Task<IResult> GetAsync(string yyyyMM, Caller caller, SimlaneDb db)
    {
        var month = ParseMonth(yyyyMM);
        var bill = await db.MonthlyCharges.AsNoTracking().SingleOrDefaultAsync(b => b.OperatorId == caller.OperatorId && b.YearMonth == month)
            ?? throw new SimlaneException(ErrorCodes.BillNotFound, $"There is no charge for {month}");
        return Results.Json(View(bill), Json.Options);
    }

    private static async Task<IResult> DailyAsync(string yyyyMM, Caller caller, SimlaneDb db)
    {
        var month = ParseMonth(yyyyMM);
        var rows = await db.DailyCharges.AsNoTracking().Where(d => d.OperatorId == caller.OperatorId && d.YearMonth == month).ToListAsync();
        if (rows.Count == 0)
        {
            throw new SimlaneException(ErrorCodes.BillNotFound, $"There is no charge for {month}");
        }

        var list = rows.OrderByDescending(d => d.DayStart)
            .Select(d => new DailyBill(BillDates.Date(d.DayStart), PriceTable.Normalize(d.Amount), d.Currency)).ToList();
        return Results.Json(new DailyBills(list), Json.Options);
    }

    public static string ParseMonth(string yyyyMM) =>
        BillDates.TryParseYearMonth(yyyyMM, out _)
            ? yyyyMM
            : throw new SimlaneException(ErrorCodes.InvalidBillingMonth, $"'{yyyyMM}' is not a month in the form yyyyMM");
}
