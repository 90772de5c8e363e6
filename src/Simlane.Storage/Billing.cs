namespace Simlane.Storage;

/// <summary>
/// One operator's charge for one UTC day: the sum of its SIMs' rounded daily charges (docs/billing.md).
/// Rewritten by every aggregation of its month until the month is closed.
/// </summary>
public sealed class DailyCharge
{
    public required string OperatorId { get; set; }

    /// <summary>Start of the UTC day, epoch seconds.</summary>
    public long DayStart { get; set; }

    /// <summary>The month the day belongs to, <c>yyyyMM</c>.</summary>
    public required string YearMonth { get; set; }

    public decimal Amount { get; set; }

    /// <summary><c>JPY</c> or <c>USD</c>.</summary>
    public required string Currency { get; set; }
}

/// <summary>
/// One operator's bill for one calendar month (UTC). <see cref="State"/> is <c>temporary</c> while the
/// month runs and becomes <c>closed</c> at the first aggregation after it ended; a closed bill never changes.
/// </summary>
public sealed class MonthlyCharge
{
    public const string Temporary = "temporary";
    public const string Closed = "closed";

    public required string OperatorId { get; set; }

    /// <summary><c>yyyyMM</c>.</summary>
    public required string YearMonth { get; set; }

    public decimal Amount { get; set; }

    public required string Currency { get; set; }

    public required string State { get; set; }

    /// <summary>When the amount was last computed, epoch milliseconds.</summary>
    public long LastEvaluatedTime { get; set; }
}

/// <summary>The durable timer that aggregates charges (docs/billing.md, "Aggregation").</summary>
public static class BillingTimers
{
    public const string Kind = "billing-aggregation";

    /// <summary>
    /// The two keys the aggregation timer alternates between: a run schedules the next one under the other
    /// key, so the new row can never collide with the row being fired (deleted in the same transaction).
    /// </summary>
    public static readonly IReadOnlyList<string> Keys = [$"{Kind}:a", $"{Kind}:b"];

    public static string NextKey(string firedKey) => string.Equals(firedKey, Keys[0], StringComparison.Ordinal) ? Keys[1] : Keys[0];
}

/// <summary>
/// One SIM's charge for one UTC day, as the aggregation computed it (docs/billing.md): the rows behind the
/// operator's daily and monthly amounts, read by the billing exports and summaries (docs/exports.md). The
/// amount is rounded once per SIM-day; <see cref="BasicAmount"/> is the basic fee rounded and
/// <see cref="DataAmount"/> the rest, so the two always add up to <see cref="Amount"/>.
/// </summary>
public sealed class SimDayChargeRow
{
    public required string OperatorId { get; set; }

    public required string SimId { get; set; }

    /// <summary>Start of the UTC day, epoch seconds.</summary>
    public long DayStart { get; set; }

    /// <summary>The month the day belongs to, <c>yyyyMM</c>.</summary>
    public required string YearMonth { get; set; }

    /// <summary>The SIM's primary IMSI when the day was aggregated.</summary>
    public required string Imsi { get; set; }

    public required string Plan { get; set; }

    /// <summary>The status whose daily fee was charged (the most expensive one the SIM held that day).</summary>
    public required string BilledStatus { get; set; }

    /// <summary>The daily fee of <see cref="BilledStatus"/>, unrounded.</summary>
    public decimal BasicFee { get; set; }

    public decimal BasicAmount { get; set; }

    /// <summary>Upload plus download bytes of the day, all speed classes.</summary>
    public long DataBytes { get; set; }

    /// <summary>The data fee before rounding.</summary>
    public decimal DataFee { get; set; }

    public decimal DataAmount { get; set; }

    public decimal Amount { get; set; }

    public required string Currency { get; set; }
}
