using Simlane.Core.Billing;
using Simlane.Core.Sims;

namespace Simlane.Core.Tests.Billing;

public class DailyChargesTests
{
    // 2026-12-01T00:00:00Z
    private const long Dec1 = 1_796_083_200;
    private const long Day = 86_400;
    private const long DayMs = Day * 1000;
    private const long Hour = 3_600_000;

    private static readonly PriceTable Jp = DefaultPrices.For("jp");
    private static readonly PriceTable Global = DefaultPrices.For("g");

    private static BillableSim Sim(long registeredMs, params StatusChange[] changes) =>
        new("sim-1", Plans.Plan01s, registeredMs, SimStatus.Ready, changes);

    private static long Ms(long dayIndex, long hours = 0) => ((Dec1 + (dayIndex * Day)) * 1000) + (hours * Hour);

    [Fact]
    public void CurrencyOf_Coverage_JpIsJpyGIsUsd()
    {
        PriceTable.CurrencyOf("jp").ShouldBe("JPY");
        PriceTable.CurrencyOf("g").ShouldBe("USD");
        Jp.Decimals.ShouldBe(0);
        Global.Decimals.ShouldBe(2);
        Should.Throw<ArgumentOutOfRangeException>(() => PriceTable.CurrencyOf("eu"));
    }

    [Theory]
    [InlineData("11.5", "12")]
    [InlineData("11.49", "11")]
    [InlineData("-0.5", "-1")]
    [InlineData("2.5", "3")]
    public void Round_Jpy_WholeYenHalfAwayFromZero(string amount, string expected) =>
        Jp.Round(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture))
            .ShouldBe(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));

    [Theory]
    [InlineData("0.065", "0.07")]
    [InlineData("0.0649", "0.06")]
    [InlineData("1.005", "1.01")]
    public void Round_Usd_CentsHalfAwayFromZero(string amount, string expected) =>
        Global.Round(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture))
            .ShouldBe(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void For_UnknownPlanAndSpeedClass_FallBackToDefaultEntries()
    {
        Jp.For("planX3").ShouldBeSameAs(Jp.For(PriceTable.FallbackKey));
        Jp.For("plan-D").ShouldNotBeSameAs(Jp.For(PriceTable.FallbackKey));
        Jp.For(Plans.Plan01s).DataFeeFor("t1.standard").ShouldBe(0.22m);
        Jp.For(Plans.Plan01s).DailyFeeFor(SimStatus.Terminated).ShouldBe(0m);
    }

    [Fact]
    public void ForDay_BeforeRegistration_NotCharged()
    {
        var sim = Sim(Ms(3, 5));

        DailyCharges.ForDay(Jp, sim, Dec1 + (2 * Day), Ms(10), null).ShouldBeNull();
        DailyCharges.ForDay(Jp, sim, Dec1 + (3 * Day), Ms(10), null).ShouldNotBeNull().BilledStatus.ShouldBe(SimStatus.Ready);
    }

    [Fact]
    public void ForDay_SeveralStatusesInOneDay_MostExpensiveIsBilled()
    {
        var sim = Sim(Ms(0), new StatusChange(Ms(1, 1), SimStatus.Active), new StatusChange(Ms(1, 2), SimStatus.Suspended));

        var day1 = DailyCharges.ForDay(Jp, sim, Dec1 + Day, Ms(10), null).ShouldNotBeNull();
        day1.BilledStatus.ShouldBe(SimStatus.Active);
        day1.Amount.ShouldBe(11m);

        var day2 = DailyCharges.ForDay(Jp, sim, Dec1 + (2 * Day), Ms(10), null).ShouldNotBeNull();
        day2.BilledStatus.ShouldBe(SimStatus.Suspended);
        day2.Amount.ShouldBe(4m);
    }

    [Fact]
    public void ForDay_TerminatedDuringTheDay_ThatDayChargedLaterDaysNot()
    {
        var sim = Sim(Ms(0), new StatusChange(Ms(0, 1), SimStatus.Active), new StatusChange(Ms(4, 23), SimStatus.Terminated));

        DailyCharges.ForDay(Jp, sim, Dec1 + (4 * Day), Ms(10), null).ShouldNotBeNull().Amount.ShouldBe(11m);
        DailyCharges.ForDay(Jp, sim, Dec1 + (5 * Day), Ms(10), null).ShouldBeNull();
    }

    [Fact]
    public void ForDay_TerminatedAtMidnight_NextDayNotCharged()
    {
        var sim = Sim(Ms(0), new StatusChange(Ms(5), SimStatus.Terminated));

        DailyCharges.ForDay(Jp, sim, Dec1 + (4 * Day), Ms(10), null).ShouldNotBeNull();
        DailyCharges.ForDay(Jp, sim, Dec1 + (5 * Day), Ms(10), null).ShouldBeNull();
    }

    [Fact]
    public void ForDay_RunningDay_OnlyStatusesUpToNowCount()
    {
        var sim = Sim(Ms(0), new StatusChange(Ms(2, 10), SimStatus.Active));

        DailyCharges.ForDay(Jp, sim, Dec1 + (2 * Day), Ms(2, 9), null).ShouldNotBeNull().BilledStatus.ShouldBe(SimStatus.Ready);
        DailyCharges.ForDay(Jp, sim, Dec1 + (2 * Day), Ms(2, 11), null).ShouldNotBeNull().BilledStatus.ShouldBe(SimStatus.Active);
    }

    [Fact]
    public void ForDay_DataFee_PerMiBPerSpeedClassThenRoundedOnce()
    {
        var sim = Sim(Ms(0), new StatusChange(Ms(0, 1), SimStatus.Active));
        var usage = new Dictionary<string, long>
        {
            [SpeedClasses.S1Standard] = 5 * DailyCharges.BytesPerMiB / 2, // 2.5 MiB × 0.22 = 0.55
            [SpeedClasses.S1Fast] = DailyCharges.BytesPerMiB, // 1 MiB × 0.24 = 0.24
        };

        var charge = DailyCharges.ForDay(Jp, sim, Dec1 + Day, Ms(10), usage).ShouldNotBeNull();

        charge.BasicFee.ShouldBe(11m);
        charge.DataFee.ShouldBe(0.79m);
        charge.Amount.ShouldBe(12m); // round(11.79)
    }

    [Fact]
    public void ForDay_UsdCoverage_RoundsToCents()
    {
        var sim = Sim(Ms(0), new StatusChange(Ms(0, 1), SimStatus.Active));
        var usage = new Dictionary<string, long> { [SpeedClasses.S1Standard] = 3 * DailyCharges.BytesPerMiB / 4 }; // 0.75 × 0.08 = 0.06

        DailyCharges.ForDay(Global, sim, Dec1 + Day, Ms(10), usage).ShouldNotBeNull().Amount.ShouldBe(0.12m);

        var tiny = new Dictionary<string, long> { [SpeedClasses.S1Standard] = 1000 }; // 0.0000763 USD
        DailyCharges.ForDay(Global, sim, Dec1 + Day, Ms(10), tiny).ShouldNotBeNull().Amount.ShouldBe(0.06m);
    }

    [Fact]
    public void ForMonth_StopsAtNowAndAtMonthEnd()
    {
        var sim = Sim(Ms(0), new StatusChange(Ms(0, 1), SimStatus.Active));
        var none = new Dictionary<(string, long), IReadOnlyDictionary<string, long>>();

        DailyCharges.ForMonth(Jp, [sim], Dec1, Ms(2, 3), none).Select(c => c.DayStart)
            .ShouldBe([Dec1, Dec1 + Day, Dec1 + (2 * Day)]);
        var all = DailyCharges.ForMonth(Jp, [sim], Dec1, Ms(40), none).ToList();
        all.Count.ShouldBe(31);
        all.Sum(c => c.Amount).ShouldBe(31 * 11m);
    }

    [Fact]
    public void ForDay_FirstMillisecondOfTheDay_AlreadyCharged()
    {
        var sim = Sim(Ms(0), new StatusChange(Ms(0, 1), SimStatus.Active));

        DailyCharges.ForDay(Jp, sim, Dec1 + Day, Ms(1), null).ShouldNotBeNull().Amount.ShouldBe(11m);
        DailyCharges.ForMonth(Jp, [sim], Dec1, Ms(1), new Dictionary<(string, long), IReadOnlyDictionary<string, long>>()).Count().ShouldBe(2);
    }

    [Fact]
    public void StatusAt_NoChangeYet_InitialStatus()
    {
        var sim = new BillableSim("v", Plans.PlanArc01, Ms(0), BillableSim.InitialStatusOf(Plans.Get(Plans.PlanArc01)), []);

        sim.StatusAt(Ms(3)).ShouldBe(SimStatus.Active);
        BillableSim.InitialStatusOf(Plans.Get(Plans.Plan01s)).ShouldBe(SimStatus.Ready);
    }

    [Theory]
    [InlineData("202611", true)]
    [InlineData("202612", true)]
    [InlineData("202613", false)]
    [InlineData("202600", false)]
    [InlineData("2026-1", false)]
    [InlineData("20261", false)]
    [InlineData("2026111", false)]
    [InlineData("abcdef", false)]
    public void TryParseYearMonth_ValidatesFormat(string text, bool valid) =>
        BillDates.TryParseYearMonth(text, out _).ShouldBe(valid);

    [Fact]
    public void BillDates_Formats_AreUtc()
    {
        BillDates.TryParseYearMonth("202612", out var start).ShouldBeTrue();
        start.ShouldBe(Dec1);
        BillDates.YearMonth(Dec1).ShouldBe("202612");
        BillDates.Date(Dec1 + Day).ShouldBe("20261202");
        BillDates.EvaluatedTime(Ms(1, 4) + 61_000).ShouldBe("20261202040101");
    }

    [Fact]
    public void Normalize_DropsTrailingZeros() =>
        PriceTable.Normalize(14.0000m).ToString(System.Globalization.CultureInfo.InvariantCulture).ShouldBe("14");
}
