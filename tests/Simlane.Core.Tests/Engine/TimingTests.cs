using Simlane.Core.Engine;
using Simlane.Core.Handlers;

namespace Simlane.Core.Tests.Engine;

public sealed class TimingTests
{
    private static long Ms(int y, int mo, int d, int h = 0, int mi = 0, int s = 0, int ms = 0) =>
        new DateTimeOffset(y, mo, d, h, mi, s, ms, TimeSpan.Zero).ToUnixTimeMilliseconds();

    [Fact]
    public void Immediately_IsTheFiringTime_PlusOffset()
    {
        var fired = Ms(2026, 11, 2, 3, 4, 5, 678);
        Timing.ReArmAt(Timings.Immediately, 0, fired).ShouldBe(fired);
        Timing.ReArmAt(Timings.Immediately, 5, fired).ShouldBe(fired + 300_000);
        Timing.ActionDueAt(Timings.Immediately, 0, fired).ShouldBe(fired);
    }

    [Theory]
    [InlineData(2026, 11, 2, 3, 2026, 11, 3)]
    [InlineData(2026, 11, 30, 23, 2026, 12, 1)]
    [InlineData(2026, 12, 31, 12, 2027, 1, 1)]
    [InlineData(2028, 2, 28, 10, 2028, 2, 29)]
    [InlineData(2028, 2, 29, 10, 2028, 3, 1)]
    [InlineData(2027, 2, 28, 10, 2027, 3, 1)]
    public void BeginningOfNextDay_IsTheNextUtcMidnight(int y, int mo, int d, int h, int ey, int emo, int ed)
    {
        Timing.ReArmAt(Timings.BeginningOfNextDay, 0, Ms(y, mo, d, h)).ShouldBe(Ms(ey, emo, ed));
        Timing.ActionDueAt(Timings.BeginningOfNextDay, 0, Ms(y, mo, d, h)).ShouldBe(Ms(ey, emo, ed));
    }

    [Fact]
    public void BeginningOfNextDay_AtMidnightAndAtTheLastMillisecond()
    {
        // Fired exactly at midnight: the next midnight is a full day later, never the same instant.
        Timing.ReArmAt(Timings.BeginningOfNextDay, 0, Ms(2026, 11, 2)).ShouldBe(Ms(2026, 11, 3));
        Timing.ReArmAt(Timings.BeginningOfNextDay, 0, Ms(2026, 11, 2, 23, 59, 59, 999)).ShouldBe(Ms(2026, 11, 3));
        Timing.ReArmAt(Timings.BeginningOfNextDay, 0, Ms(2026, 12, 31, 23, 59, 59, 999)).ShouldBe(Ms(2027, 1, 1));
    }

    [Fact]
    public void BeginningOfNextDay_WithOffset_IsMinutesAfterMidnight()
    {
        // domain.md 4.3 example: daily rule, BEGINNING_OF_NEXT_DAY, offset 5 -> 00:05 UTC next day.
        Timing.ReArmAt(Timings.BeginningOfNextDay, 5, Ms(2026, 11, 2, 13)).ShouldBe(Ms(2026, 11, 3, 0, 5));
    }

    [Theory]
    [InlineData(2026, 11, 2, 2026, 12, 1)]
    [InlineData(2026, 12, 31, 2027, 1, 1)]
    [InlineData(2028, 1, 31, 2028, 2, 1)]
    [InlineData(2028, 2, 29, 2028, 3, 1)]
    [InlineData(2026, 1, 1, 2026, 2, 1)]
    public void BeginningOfNextMonth_IsTheFirstOfTheNextMonth(int y, int mo, int d, int ey, int emo, int ed)
    {
        Timing.ReArmAt(Timings.BeginningOfNextMonth, 0, Ms(y, mo, d, 12)).ShouldBe(Ms(ey, emo, ed));
        Timing.ReArmAt(Timings.BeginningOfNextMonth, 0, Ms(y, mo, d)).ShouldBe(Ms(ey, emo, ed));
        Timing.ActionDueAt(Timings.BeginningOfNextMonth, 0, Ms(y, mo, d, 12)).ShouldBe(Ms(ey, emo, ed));
    }

    [Fact]
    public void BeginningOfNextMonth_LastMillisecondOfTheYear()
    {
        Timing.ReArmAt(Timings.BeginningOfNextMonth, 0, Ms(2026, 12, 31, 23, 59, 59, 999)).ShouldBe(Ms(2027, 1, 1));
        Timing.ReArmAt(Timings.BeginningOfNextMonth, 0, Ms(2027, 1, 1)).ShouldBe(Ms(2027, 2, 1));
    }

    [Fact]
    public void AfterOneDay_IsTwentyFourHoursLater()
    {
        Timing.ReArmAt(Timings.AfterOneDay, 0, Ms(2028, 2, 28, 23, 30)).ShouldBe(Ms(2028, 2, 29, 23, 30));
        Timing.ActionDueAt(Timings.AfterOneDay, 1, Ms(2026, 12, 31, 23, 59, 59, 999)).ShouldBe(Ms(2027, 1, 2, 0, 0, 59, 999));
    }

    [Fact]
    public void LargestOffset_IsAYear_AcrossALeapDay()
    {
        Timing.ReArmAt(Timings.Immediately, Timings.MaxOffsetMinutes, Ms(2028, 1, 1)).ShouldBe(Ms(2028, 12, 31));
        Timing.ReArmAt(Timings.BeginningOfNextMonth, Timings.MaxOffsetMinutes, Ms(2026, 12, 15)).ShouldBe(Ms(2028, 1, 1));
        Timing.ActionDueAt(Timings.AfterOneDay, Timings.MaxOffsetMinutes, Ms(2027, 1, 1)).ShouldBe(Ms(2028, 1, 2));
    }

    [Fact]
    public void Never_IsNull()
    {
        Timing.ReArmAt(Timings.Never, 0, Ms(2026, 11, 2)).ShouldBeNull();
        Timing.ActionDueAt(Timings.Never, 0, Ms(2026, 11, 2)).ShouldBeNull();
    }

    [Fact]
    public void BadInput_Throws()
    {
        Should.Throw<ArgumentException>(() => Timing.ReArmAt("SOMETIME", 0, 0));
        Should.Throw<ArgumentOutOfRangeException>(() => Timing.ReArmAt(Timings.Immediately, -1, 0));
        Should.Throw<ArgumentOutOfRangeException>(() => Timing.ActionDueAt(Timings.Immediately, Timings.MaxOffsetMinutes + 1, 0));
    }
}
