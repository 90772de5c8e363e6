using Simlane.Core.Handlers;

namespace Simlane.Core.Engine;

/// <summary>
/// When a fired rule is evaluated again and when an action runs. Everything is UTC (decisions.md 13) and
/// in epoch milliseconds; the server's time zone never matters.
/// </summary>
public static class Timing
{
    private const long DayMs = 86_400_000;
    private const long MinuteMs = 60_000;

    /// <summary>
    /// When a (handler, unit) that fired at <paramref name="firedAt"/> is armed and evaluated again
    /// (domain.md 4.3): IMMEDIATELY at once, BEGINNING_OF_NEXT_DAY the next 00:00 UTC strictly after the
    /// firing, BEGINNING_OF_NEXT_MONTH 00:00 UTC on the 1st of the next month, AFTER_ONE_DAY 24 h later;
    /// then <paramref name="offsetMinutes"/> later still. NEVER: null, the unit never re-arms.
    /// </summary>
    public static long? ReArmAt(string inactiveTimeoutDateConst, int offsetMinutes, long firedAt) =>
        At(inactiveTimeoutDateConst, offsetMinutes, firedAt, nameof(inactiveTimeoutDateConst));

    /// <summary>
    /// When an action of a firing at <paramref name="firedAt"/> runs (domain.md 4.6): same table as
    /// <see cref="ReArmAt"/>, IMMEDIATELY being the firing time itself. NEVER: null, the action is not executed.
    /// </summary>
    public static long? ActionDueAt(string executionDateTimeConst, int offsetMinutes, long firedAt) =>
        At(executionDateTimeConst, offsetMinutes, firedAt, nameof(executionDateTimeConst));

    /// <summary>00:00 UTC of the day after the one containing <paramref name="ms"/> (strictly after it).</summary>
    public static long NextDayStart(long ms) => FloorTo(ms, DayMs) + DayMs;

    /// <summary>00:00 UTC on the 1st of the month after the one containing <paramref name="ms"/>.</summary>
    public static long NextMonthStart(long ms)
    {
        var t = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        return new DateTimeOffset(t.Year, t.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1).ToUnixTimeMilliseconds();
    }

    private static long? At(string constant, int offsetMinutes, long firedAt, string parameter)
    {
        if (offsetMinutes is < 0 or > Timings.MaxOffsetMinutes)
        {
            throw new ArgumentOutOfRangeException(nameof(offsetMinutes), offsetMinutes, $"Offset minutes must be 0..{Timings.MaxOffsetMinutes}");
        }

        long? baseTime = constant switch
        {
            Timings.Immediately => firedAt,
            Timings.BeginningOfNextDay => NextDayStart(firedAt),
            Timings.BeginningOfNextMonth => NextMonthStart(firedAt),
            Timings.AfterOneDay => firedAt + DayMs,
            Timings.Never => null,
            _ => throw new ArgumentException($"Unknown timing constant '{constant}'", parameter),
        };
        return baseTime + (offsetMinutes * MinuteMs);
    }

    private static long FloorTo(long value, long size) => value - (((value % size) + size) % size);
}
