using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Simlane.Core.Billing;
using Simlane.Core.Events;
using Simlane.Core.Sims;
using Simlane.Core.Usage;
using Simlane.Server.Tests.Infrastructure;
using Simlane.Storage;

namespace Simlane.Server.Tests.Billing;

/// <summary>
/// Bills through the sandbox clock: the hourly aggregation timer fires while the clock moves, so each
/// test jumps to a month of its own and computes the expected amounts from the default JPY price table
/// (plan01s: ready 0, active 11, inactive 11, standby 4, suspended 4 per day; s1.standard 0.22/MiB,
/// s1.fast 0.24/MiB), rounded to whole yen per SIM per day.
/// </summary>
public abstract class BillingTests(ServerFixture server)
{
    private const long HourMs = 3_600_000;
    private const long DayMs = 24 * HourMs;
    private static readonly PlanPrice Plan01s = DefaultPrices.For("jp").For(Plans.Plan01s);

    private static async Task<long> NowAsync(ApiClient op) =>
        (await op.GetAsync("/v1/sandbox/clock")).ShouldBe(HttpStatusCode.OK).Json["now"]!.GetValue<long>();

    private static async Task SetClockAsync(ApiClient op, long now) =>
        (await op.PostAsync("/v1/sandbox/clock", new { now })).ShouldBe(HttpStatusCode.OK);

    /// <summary>Moves the clock to 00:30 UTC on the first day of the month after next; answers that month's start (ms).</summary>
    private static async Task<long> FreshMonthAsync(ApiClient op)
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(await NowAsync(op));
        var month = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(2).ToUnixTimeMilliseconds();
        await SetClockAsync(op, month + (HourMs / 2));
        return month;
    }

    private static string YearMonth(long ms) => BillDates.YearMonth(ms / 1000);

    private static string Date(long ms) => BillDates.Date(ms / 1000);

    private static string NextYearMonth(long monthStartMs) => YearMonth(DateTimeOffset.FromUnixTimeMilliseconds(monthStartMs).AddMonths(1).ToUnixTimeMilliseconds());

    private static decimal Amount(JsonNode? node) => decimal.Parse(node!.ToJsonString(), CultureInfo.InvariantCulture);

    private static List<(string Date, decimal Amount)> Daily(ApiResponse response) =>
        [.. response.Json["billList"]!.AsArray().Select(d =>
        {
            d!["currency"]!.GetValue<string>().ShouldBe("JPY");
            return (d["date"]!.GetValue<string>(), Amount(d["amount"]));
        })];

    private SimlaneDb Db() => DatabaseOptions.Parse(server.Database.ConnectionString).CreateContext();

    private static async Task<string> SimAsync(ApiClient op) => (await op.CreateRegisteredSimAsync()).Str("simId");

    private static async Task ChangeAsync(ApiClient op, string simId, string action) =>
        (await op.PostAsync($"/v1/sims/{simId}/{action}")).ShouldBe(HttpStatusCode.OK);

    [Fact]
    public async Task Bills_MonthWithStatusChangesAndTermination_DailyAmountsFollowTheMostExpensiveStatus()
    {
        var op = await server.NewOperatorAsync();
        var month = await FreshMonthAsync(op);
        var simId = await SimAsync(op); // day 1, 00:30: ready all day

        await SetClockAsync(op, month + DayMs + (10 * HourMs));
        await ChangeAsync(op, simId, "activate"); // day 2: ready then active
        await SetClockAsync(op, month + (2 * DayMs) + (10 * HourMs));
        await ChangeAsync(op, simId, "deactivate"); // day 3: active then inactive
        await SetClockAsync(op, month + (3 * DayMs) + (10 * HourMs));
        await ChangeAsync(op, simId, "suspend"); // day 4: inactive then suspended
        await SetClockAsync(op, month + (5 * DayMs) + (10 * HourMs)); // day 5: suspended all day
        await ChangeAsync(op, simId, "enable_termination");
        await ChangeAsync(op, simId, "terminate"); // day 6: suspended then terminated; nothing after

        var next = DateTimeOffset.FromUnixTimeMilliseconds(month).AddMonths(1).ToUnixTimeMilliseconds();
        await SetClockAsync(op, next + (90 * 60_000)); // the aggregation in the next month closes this one

        decimal[] expected =
        [
            Plan01s.DailyFeeFor(SimStatus.Ready),
            Plan01s.DailyFeeFor(SimStatus.Active),
            Plan01s.DailyFeeFor(SimStatus.Active),
            Plan01s.DailyFeeFor(SimStatus.Inactive),
            Plan01s.DailyFeeFor(SimStatus.Suspended),
            Plan01s.DailyFeeFor(SimStatus.Suspended),
        ];
        expected.ShouldBe([0m, 11m, 11m, 11m, 4m, 4m]);

        var daily = Daily((await op.GetAsync($"/v1/bills/{YearMonth(month)}/daily")).ShouldBe(HttpStatusCode.OK));
        daily.ShouldBe([.. expected.Select((amount, i) => (Date(month + (i * DayMs)), amount)).Reverse()]);

        var bill = (await op.GetAsync($"/v1/bills/{YearMonth(month)}")).ShouldBe(HttpStatusCode.OK);
        bill.Str("yearMonth").ShouldBe(YearMonth(month));
        bill.Str("state").ShouldBe("closed");
        bill.Str("currency").ShouldBe("JPY");
        Amount(bill.Json["amount"]).ShouldBe(expected.Sum());

        (await op.GetAsync($"/v1/bills/{NextYearMonth(month)}")).ShouldBe(HttpStatusCode.NotFound, "BIL0002");
        (await op.GetAsync($"/v1/bills/{NextYearMonth(month)}/daily")).ShouldBe(HttpStatusCode.NotFound, "BIL0002");
        var history = (await op.GetAsync("/v1/bills")).ShouldBe(HttpStatusCode.OK).Json["billList"]!.AsArray();
        history.Count.ShouldBe(1);
        history[0]!["yearMonth"]!.GetValue<string>().ShouldBe(YearMonth(month));
        Amount(history[0]!["amount"]).ShouldBe(41m);
    }

    [Fact]
    public async Task Aggregation_ManySims_EverySimDayWritten_AndRowsNotChargedRemoved()
    {
        var op = await server.NewOperatorAsync();
        var month = await FreshMonthAsync(op);
        var sims = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            sims.Add(await SimAsync(op));
        }

        foreach (var simId in sims.Take(3))
        {
            await ChangeAsync(op, simId, "activate");
        }

        var yearMonth = YearMonth(month);
        await using (var db = Db())
        {
            // Rows of SIMs that are not (or no longer) the operator's registered SIMs, sorting after every SIM and between two
            // (so inside a chunk's range), and one of a SIM's day that is not charged (later than the run): the next run removes them.
            foreach (var stray in new[] { "~stray-sim", sims.Order(StringComparer.Ordinal).First() + "-stray" })
            {
                db.SimDayCharges.Add(new SimDayChargeRow
                {
                    OperatorId = op.OperatorId!, SimId = stray, DayStart = month / 1000, YearMonth = yearMonth, Imsi = "", Plan = Plans.Plan01s,
                    BilledStatus = "active", Currency = "JPY", BasicFee = 11m, BasicAmount = 11m, Amount = 11m,
                });
            }

            db.SimDayCharges.Add(new SimDayChargeRow
            {
                OperatorId = op.OperatorId!, SimId = sims[0], DayStart = (month / 1000) + (20 * 86_400), YearMonth = yearMonth, Imsi = "", Plan = Plans.Plan01s,
                BilledStatus = "active", Currency = "JPY", BasicFee = 11m, BasicAmount = 11m, Amount = 11m,
            });
            await db.SaveChangesAsync();
        }

        await SetClockAsync(op, month + (2 * DayMs) + (90 * 60_000)); // days 1 and 2 aggregated at 01:00 of day 3 (and before)

        await using (var db = Db())
        {
            var rows = await db.SimDayCharges.AsNoTracking().Where(r => r.OperatorId == op.OperatorId && r.YearMonth == yearMonth).ToListAsync();
            rows.ShouldNotContain(r => r.SimId.EndsWith("stray-sim", StringComparison.Ordinal) || r.SimId.EndsWith("-stray", StringComparison.Ordinal));
            rows.ShouldNotContain(r => r.DayStart == (month / 1000) + (20 * 86_400));
            rows.Select(r => r.SimId).Distinct().Order(StringComparer.Ordinal).ShouldBe(sims.Order(StringComparer.Ordinal));
            rows.Count.ShouldBe(5 * 3); // every SIM, days 1 to 3 (the third up to the run's time)
            rows.Where(r => r.DayStart == (month / 1000) + 86_400).Sum(r => r.Amount).ShouldBe(3 * Plan01s.DailyFeeFor(SimStatus.Active));
        }

        var daily = Daily((await op.GetAsync($"/v1/bills/{yearMonth}/daily")).ShouldBe(HttpStatusCode.OK));
        daily.ShouldBe([
            (Date(month + (2 * DayMs)), 3 * Plan01s.DailyFeeFor(SimStatus.Active)),
            (Date(month + DayMs), 3 * Plan01s.DailyFeeFor(SimStatus.Active)),
            (Date(month), 3 * Plan01s.DailyFeeFor(SimStatus.Active)),
        ]);
    }

    [Fact]
    public async Task Bills_DataFees_PerMiBPerSpeedClassRoundedPerDay()
    {
        var op = await server.NewOperatorAsync();
        var month = await FreshMonthAsync(op);
        var sim = await op.CreateRegisteredSimAsync();
        var simId = sim.Str("simId");
        var imsi = sim.Json["sessionStatus"]!["imsi"]!.GetValue<string>();
        await ChangeAsync(op, simId, "activate");

        // Traffic enters through the public sandbox call, the same metering path as the gateway's, so
        // this also proves billing reads each SIM-day once (ingest writes subscriber and SIM counters).
        async Task TrafficAsync(long atMs, string speedClass, long up, long down) =>
            (await op.PostAsync($"/v1/sandbox/stats/air/subscribers/{imsi}", new
            {
                unixtime = atMs / 1000,
                dataTrafficStatsMap = new Dictionary<string, object>
                {
                    [speedClass] = new { uploadByteSizeTotal = up, downloadByteSizeTotal = down, uploadPacketSizeTotal = 1, downloadPacketSizeTotal = 1 },
                },
            })).ShouldBe(HttpStatusCode.OK);

        await TrafficAsync(month + 60_000, SpeedClasses.S1Standard, DailyCharges.BytesPerMiB, 3 * DailyCharges.BytesPerMiB / 2); // 2.5 MiB
        await TrafficAsync(month + 120_000, SpeedClasses.S1Fast, 0, DailyCharges.BytesPerMiB); // 1 MiB
        await SetClockAsync(op, month + DayMs + (HourMs / 2));
        await TrafficAsync(month + DayMs + 60_000, SpeedClasses.S1Standard, 4 * DailyCharges.BytesPerMiB, 6 * DailyCharges.BytesPerMiB); // 10 MiB

        await SetClockAsync(op, month + (2 * DayMs) + (HourMs / 2));

        var day1 = Math.Round(11m + (2.5m * Plan01s.DataFeeFor(SpeedClasses.S1Standard)) + Plan01s.DataFeeFor(SpeedClasses.S1Fast), 0, MidpointRounding.AwayFromZero);
        var day2 = Math.Round(11m + (10m * Plan01s.DataFeeFor(SpeedClasses.S1Standard)), 0, MidpointRounding.AwayFromZero);
        (day1, day2).ShouldBe((12m, 13m)); // 11.79 and 13.2

        var daily = Daily((await op.GetAsync($"/v1/bills/{YearMonth(month)}/daily")).ShouldBe(HttpStatusCode.OK));
        daily.ShouldBe([(Date(month + (2 * DayMs)), 11m), (Date(month + DayMs), day2), (Date(month), day1)]);

        var bill = (await op.GetAsync($"/v1/bills/{YearMonth(month)}")).ShouldBe(HttpStatusCode.OK);
        bill.Str("state").ShouldBe("temporary");
        Amount(bill.Json["amount"]).ShouldBe(day1 + day2 + 11m);
    }

    [Fact]
    public async Task Latest_MovesWithEachAggregation_AndRecordsTheMonthlyChargeEvent()
    {
        var op = await server.NewOperatorAsync();
        var month = await FreshMonthAsync(op);

        var empty = (await op.GetAsync("/v1/bills/latest")).ShouldBe(HttpStatusCode.OK);
        Amount(empty.Json["amount"]).ShouldBe(0m);
        empty.Str("currency").ShouldBe("JPY");

        var simId = await SimAsync(op);
        await ChangeAsync(op, simId, "activate");
        Amount((await op.GetAsync("/v1/bills/latest")).Json["amount"]).ShouldBe(0m, "not aggregated yet");
        (await op.GetAsync($"/v1/bills/{YearMonth(month)}")).ShouldBe(HttpStatusCode.NotFound, "BIL0002");

        await SetClockAsync(op, month + HourMs); // the 01:00 run
        var first = (await op.GetAsync("/v1/bills/latest")).ShouldBe(HttpStatusCode.OK);
        Amount(first.Json["amount"]).ShouldBe(11m);
        first.Str("lastEvaluatedTime").ShouldBe(BillDates.EvaluatedTime(month + HourMs));

        await SetClockAsync(op, month + HourMs + (30 * 60_000)); // no run in between: unchanged
        (await op.GetAsync("/v1/bills/latest")).Str("lastEvaluatedTime").ShouldBe(BillDates.EvaluatedTime(month + HourMs));

        var later = month + DayMs + (5 * HourMs) + 17_000;
        await SetClockAsync(op, later);
        var second = (await op.GetAsync("/v1/bills/latest")).ShouldBe(HttpStatusCode.OK);
        Amount(second.Json["amount"]).ShouldBe(22m);
        second.Str("lastEvaluatedTime").ShouldBe(BillDates.EvaluatedTime(later));
        Amount((await op.GetAsync($"/v1/bills/{YearMonth(month)}")).Json["amount"]).ShouldBe(22m);

        await using var db = Db();
        var events = await db.DomainEvents.AsNoTracking()
            .Where(e => e.OperatorId == op.OperatorId && e.Type == DomainEventTypes.MonthlyChargeAggregated)
            .OrderBy(e => e.Id).ToListAsync();
        events.ShouldAllBe(e => e.SimId == null && e.Imsi == null && e.OldValue == YearMonth(month));
        events[^1].NewValue.ShouldBe("22");
        events[^1].OccurredTime.ShouldBe(later);
        events.ShouldContain(e => e.NewValue == "11" && e.OccurredTime == month + HourMs);
    }

    [Fact]
    public async Task Bills_MonthEnds_PreviousMonthClosedCurrentTemporary()
    {
        var op = await server.NewOperatorAsync();
        var month = await FreshMonthAsync(op);
        var simId = await SimAsync(op);
        await ChangeAsync(op, simId, "activate");
        var next = DateTimeOffset.FromUnixTimeMilliseconds(month).AddMonths(1).ToUnixTimeMilliseconds();
        var days = (int)((next - month) / DayMs);

        await SetClockAsync(op, next - 1000);
        (await op.GetAsync($"/v1/bills/{YearMonth(month)}")).ShouldBe(HttpStatusCode.OK).Str("state").ShouldBe("temporary");
        (await op.GetAsync("/v1/bills")).Json["billList"]!.AsArray().Count.ShouldBe(0);

        await SetClockAsync(op, next); // the 00:00 run of the new month
        var closed = (await op.GetAsync($"/v1/bills/{YearMonth(month)}")).ShouldBe(HttpStatusCode.OK);
        closed.Str("state").ShouldBe("closed");
        Amount(closed.Json["amount"]).ShouldBe(days * 11m);
        Daily(await op.GetAsync($"/v1/bills/{YearMonth(month)}/daily")).Count.ShouldBe(days);

        var current = (await op.GetAsync($"/v1/bills/{NextYearMonth(month)}")).ShouldBe(HttpStatusCode.OK);
        current.Str("state").ShouldBe("temporary");
        Amount(current.Json["amount"]).ShouldBe(11m);
        var latest = (await op.GetAsync("/v1/bills/latest")).ShouldBe(HttpStatusCode.OK);
        Amount(latest.Json["amount"]).ShouldBe(11m);
        latest.Str("lastEvaluatedTime").ShouldBe(BillDates.EvaluatedTime(next));

        var history = (await op.GetAsync("/v1/bills")).ShouldBe(HttpStatusCode.OK).Json["billList"]!.AsArray();
        history.Select(b => b!["yearMonth"]!.GetValue<string>()).ShouldBe([YearMonth(month)]);

        // A closed month never changes, even if more traffic of that month turns up later (in the SIM's subscriber counter).
        await using (var db = Db())
        {
            var imsi = await db.Subscriptions.Where(s => s.SimId == simId).Select(s => s.Imsi).SingleAsync();
            db.UsageCounters.Add(new UsageCounter
            {
                Scope = UsageScope.Subscriber, ScopeId = imsi, Period = UsagePeriod.Day, BucketStart = month / 1000,
                SpeedClass = SpeedClasses.S1Standard, OperatorId = op.OperatorId!, UploadBytes = 100 * DailyCharges.BytesPerMiB,
            });
            await db.SaveChangesAsync();
        }

        await SetClockAsync(op, next + (2 * HourMs));
        Amount((await op.GetAsync($"/v1/bills/{YearMonth(month)}")).Json["amount"]).ShouldBe(days * 11m);
    }

    [Fact]
    public async Task AggregationTimer_ExactlyOnePending_AlsoAfterRunsAndARestart()
    {
        var op = await server.NewOperatorAsync();
        async Task<List<ScheduledTimer>> TimersAsync()
        {
            await using var db = Db();
            var keys = BillingTimers.Keys.ToList();
            return await db.Timers.AsNoTracking().Where(t => keys.Contains(t.Key)).ToListAsync();
        }

        var now = await NowAsync(op);
        var timers = await TimersAsync();
        timers.Count.ShouldBe(1);
        timers[0].Kind.ShouldBe(BillingTimers.Kind);
        timers[0].DueTime.ShouldBeGreaterThan(now);
        timers[0].DueTime.ShouldBeLessThanOrEqualTo(now + HourMs);
        (timers[0].DueTime % HourMs).ShouldBe(0);

        await SetClockAsync(op, timers[0].DueTime);
        var after = await TimersAsync();
        after.Count.ShouldBe(1);
        after[0].Key.ShouldNotBe(timers[0].Key);
        after[0].DueTime.ShouldBe(timers[0].DueTime + HourMs);

        await server.RestartAsync();
        (await TimersAsync()).Select(t => (t.Key, t.DueTime)).ShouldBe([(after[0].Key, after[0].DueTime)]);
    }

    [Theory]
    [InlineData("2026-11")]
    [InlineData("202613")]
    [InlineData("202600")]
    [InlineData("20261")]
    [InlineData("abcdef")]
    public async Task GetBilling_MalformedMonth_400(string month)
    {
        var op = await server.NewOperatorAsync();

        (await op.GetAsync($"/v1/bills/{month}")).ShouldBe(HttpStatusCode.BadRequest, "BIL0001");
        (await op.GetAsync($"/v1/bills/{month}/daily")).ShouldBe(HttpStatusCode.BadRequest, "BIL0001");
    }

    [Fact]
    public async Task Bills_OtherOperator_Invisible()
    {
        var op = await server.NewOperatorAsync();
        var other = await server.NewOperatorAsync();
        var month = await FreshMonthAsync(op);
        await ChangeAsync(op, await SimAsync(op), "activate");
        await SetClockAsync(op, month + (2 * HourMs));
        (await op.GetAsync($"/v1/bills/{YearMonth(month)}")).ShouldBe(HttpStatusCode.OK);

        (await other.GetAsync($"/v1/bills/{YearMonth(month)}")).ShouldBe(HttpStatusCode.NotFound, "BIL0002");
        (await other.GetAsync($"/v1/bills/{YearMonth(month)}/daily")).ShouldBe(HttpStatusCode.NotFound, "BIL0002");
        Amount((await other.GetAsync("/v1/bills/latest")).Json["amount"]).ShouldBe(0m);
        (await other.GetAsync("/v1/bills")).Json["billList"]!.AsArray().Count.ShouldBe(0);
        (await op.GetAsync("/v1/bills/200001")).ShouldBe(HttpStatusCode.NotFound, "BIL0002");
        (await server.Anonymous().GetAsync("/v1/bills/latest")).ShouldBe(HttpStatusCode.Unauthorized);
    }
}

public sealed class BillingTests_Sqlite(SqliteServer server) : BillingTests(server), IClassFixture<SqliteServer>;

public sealed class BillingTests_Postgres(PostgresServer server) : BillingTests(server), IClassFixture<PostgresServer>;

public sealed class BillingTests_SqliteOneSimChunks(OneSimChunkSqliteServer server) : BillingTests(server), IClassFixture<OneSimChunkSqliteServer>;

public sealed class BillingTests_PostgresOneSimChunks(OneSimChunkPostgresServer server) : BillingTests(server), IClassFixture<OneSimChunkPostgresServer>;
