using System.Globalization;
using Simlane.Core.Sims;
using Simlane.Core.Usage;

namespace Simlane.Core.Billing;

/// <summary>A status a SIM took at <see cref="TimeMs"/> (epoch milliseconds), as its status history records it.</summary>
public readonly record struct StatusChange(long TimeMs, SimStatus Status);

/// <summary>
/// What billing needs to know about one SIM: its plan, when it was registered to the operator, the
/// status it had at registration and every later status change in time order.
/// </summary>
public sealed record BillableSim(string SimId, string Plan, long RegisteredTimeMs, SimStatus InitialStatus, IReadOnlyList<StatusChange> Changes)
{
    /// <summary>
    /// The status a SIM has when it is handed to an operator and before its first recorded change:
    /// physical SIMs leave inventory <c>ready</c>, virtual SIMs are created <c>active</c>.
    /// </summary>
    public static SimStatus InitialStatusOf(Plan plan) => plan.IsVirtual ? SimStatus.Active : SimStatus.Ready;

    /// <summary>The status at <paramref name="timeMs"/>: the last change at or before it, else the initial status.</summary>
    public SimStatus StatusAt(long timeMs)
    {
        var status = InitialStatus;
        foreach (var change in Changes)
        {
            if (change.TimeMs > timeMs)
            {
                break;
            }

            status = change.Status;
        }

        return status;
    }
}

/// <summary>One SIM's charge for one UTC day (<see cref="DayStart"/> in epoch seconds).</summary>
public sealed record SimDayCharge(string SimId, long DayStart, SimStatus BilledStatus, decimal BasicFee, decimal DataFee, decimal Amount);

/// <summary>
/// The daily charge rules (docs/billing.md):
/// <list type="bullet">
/// <item>A SIM is charged for a UTC day when it was registered to the operator at some moment of the day
/// and was not terminated for the whole of it: days before registration are free, the day of termination
/// is charged, the days after it are not.</item>
/// <item>The basic fee is that of the most expensive status the SIM held at any moment of the day (while
/// registered, up to the evaluation time for the current day).</item>
/// <item>The data fee is Σ over speed classes of (upload + download bytes that day ÷ 1,048,576) × the
/// plan's price per MiB for that speed class.</item>
/// <item>amount = round(basic fee + data fee) to the currency's unit (whole yen, cents), half away from
/// zero, once per SIM per day; day, month and latest totals are sums of those rounded amounts.</item>
/// </list>
/// </summary>
public static class DailyCharges
{
    public const long BytesPerMiB = 1_048_576;
    private const long DayMs = UsageWindows.DaySeconds * 1000;

    /// <summary>
    /// The statuses <paramref name="sim"/> held during [<paramref name="fromMs"/>, <paramref name="toMs"/>)
    /// while registered, or an empty list when it was not registered then or was already terminated.
    /// </summary>
    public static IReadOnlyList<SimStatus> StatusesHeld(BillableSim sim, long fromMs, long toMs)
    {
        var start = Math.Max(fromMs, sim.RegisteredTimeMs);
        if (start >= toMs)
        {
            return [];
        }

        var held = new List<SimStatus> { sim.StatusAt(start) };
        foreach (var change in sim.Changes)
        {
            if (change.TimeMs > start && change.TimeMs < toMs && !held.Contains(change.Status))
            {
                held.Add(change.Status);
            }
        }

        return held is [SimStatus.Terminated] ? [] : held;
    }

    /// <summary>
    /// The charge of <paramref name="sim"/> for the UTC day starting at <paramref name="dayStart"/> (epoch
    /// seconds), evaluated at <paramref name="nowMs"/> (a day still running counts up to and including now,
    /// so a day is charged from its first millisecond), or null
    /// when the SIM is not charged that day. <paramref name="bytesBySpeedClass"/> is that day's traffic.
    /// </summary>
    public static SimDayCharge? ForDay(
        PriceTable prices, BillableSim sim, long dayStart, long nowMs, IReadOnlyDictionary<string, long>? bytesBySpeedClass)
    {
        var fromMs = dayStart * 1000;
        var held = StatusesHeld(sim, fromMs, Math.Min(fromMs + DayMs, nowMs + 1));
        if (held.Count == 0)
        {
            return null;
        }

        var price = prices.For(sim.Plan);
        var billed = held[0];
        foreach (var status in held)
        {
            if (price.DailyFeeFor(status) > price.DailyFeeFor(billed))
            {
                billed = status;
            }
        }

        var basic = price.DailyFeeFor(billed);
        var data = 0m;
        if (bytesBySpeedClass is not null)
        {
            foreach (var (speedClass, bytes) in bytesBySpeedClass)
            {
                data += (decimal)bytes / BytesPerMiB * price.DataFeeFor(speedClass);
            }
        }

        return new SimDayCharge(sim.SimId, dayStart, billed, basic, data, prices.Round(basic + data));
    }

    /// <summary>
    /// Every charged SIM-day of the calendar month that contains <paramref name="monthStart"/> (epoch
    /// seconds), up to and including <paramref name="nowMs"/>. <paramref name="usage"/> maps (SIM ID, day start) to
    /// bytes per speed class.
    /// </summary>
    public static IEnumerable<SimDayCharge> ForMonth(
        PriceTable prices,
        IEnumerable<BillableSim> sims,
        long monthStart,
        long nowMs,
        IReadOnlyDictionary<(string SimId, long DayStart), IReadOnlyDictionary<string, long>> usage)
    {
        var monthEnd = UsageWindows.NextBucketStart(UsagePeriod.Month, monthStart);
        foreach (var sim in sims)
        {
            for (var day = monthStart; day < monthEnd && day * 1000 <= nowMs; day += UsageWindows.DaySeconds)
            {
                if (ForDay(prices, sim, day, nowMs, usage.GetValueOrDefault((sim.SimId, day))) is { } charge)
                {
                    yield return charge;
                }
            }
        }
    }
}

/// <summary>The bill date formats of domain.md 0.1: <c>yyyyMM</c>, <c>yyyyMMdd</c>, <c>yyyyMMddHHmmss</c>, all UTC.</summary>
public static class BillDates
{
    public static string YearMonth(long unixSeconds) =>
        DateTimeOffset.FromUnixTimeSeconds(unixSeconds).ToString("yyyyMM", CultureInfo.InvariantCulture);

    public static string Date(long unixSeconds) =>
        DateTimeOffset.FromUnixTimeSeconds(unixSeconds).ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public static string EvaluatedTime(long unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs).ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);

    /// <summary>Parses <c>yyyyMM</c> (six digits, month 01–12) into the month's start, epoch seconds; false when malformed.</summary>
    public static bool TryParseYearMonth(string? text, out long monthStart)
    {
        monthStart = 0;
        if (text is not { Length: 6 } || !text.All(char.IsAsciiDigit))
        {
            return false;
        }

        var year = int.Parse(text.AsSpan(0, 4), CultureInfo.InvariantCulture);
        var month = int.Parse(text.AsSpan(4, 2), CultureInfo.InvariantCulture);
        if (year < 1970 || month is < 1 or > 12)
        {
            return false;
        }

        monthStart = new DateTimeOffset(year, month, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        return true;
    }
}
