namespace Simlane.Core.Engine;

/// <summary>
/// The threshold rule of decisions.md 2: a traffic rule fires when usage (upload + download bytes over all
/// speed classes) is strictly greater than <c>limit × 1,048,576</c> bytes; the MonthlyChargeRule fires when
/// the month's charge is strictly greater than <c>limitTotalAmount</c>. All arithmetic is exact: 64-bit bytes
/// (the largest limit is about 2.25e15 bytes) and decimal amounts.
/// </summary>
public static class Thresholds
{
    public const long BytesPerMiB = 1_048_576;

    /// <summary>The largest accepted <c>limitTotalTrafficMegaByte</c>.</summary>
    public const long MaxLimitMiB = int.MaxValue;

    /// <summary>The limit in bytes: <paramref name="limitMiB"/> × 1,048,576. Limits must be 1..2147483647.</summary>
    public static long LimitBytes(long limitMiB)
    {
        if (limitMiB is < 1 or > MaxLimitMiB)
        {
            throw new ArgumentOutOfRangeException(nameof(limitMiB), limitMiB, $"Limits must be 1..{MaxLimitMiB} MiB");
        }

        return limitMiB * BytesPerMiB;
    }

    /// <summary>True when <paramref name="totalBytes"/> is strictly greater than the limit in bytes.</summary>
    public static bool Exceeds(long totalBytes, long limitMiB) => totalBytes > LimitBytes(limitMiB);

    /// <summary>True when the month's charge is strictly greater than <paramref name="limitTotalAmount"/>.</summary>
    public static bool ChargeExceeds(decimal chargeAmount, decimal limitTotalAmount) => chargeAmount > limitTotalAmount;
}
