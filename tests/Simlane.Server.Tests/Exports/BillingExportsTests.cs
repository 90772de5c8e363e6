using System.Globalization;
using System.Net;
using System.Text;
using Simlane.Core.Billing;
using Simlane.Server.Tests.Infrastructure;

namespace Simlane.Server.Tests.Exports;

/// <summary>
/// exportBilling, exportLatestBilling and the two billing summaries (docs/exports.md) against the bills
/// the aggregation computes (docs/billing.md, default JPY prices: plan01s active 11/day, ready 0,
/// s1.standard 0.22/MiB): every row and item adds up to the same amounts getBilling and getBillingPerDay answer.
/// </summary>
public abstract class BillingExportsTests(ServerFixture server)
{
    private const long HourMs = 3_600_000;
    private const long DayMs = 24 * HourMs;

    private static async Task<long> NowAsync(ApiClient op) =>
        (await op.GetAsync("/v1/sandbox/clock")).ShouldBe(HttpStatusCode.OK).Json["now"]!.GetValue<long>();

    private static async Task SetClockAsync(ApiClient op, long now) =>
        (await op.PostAsync("/v1/sandbox/clock", new { now })).ShouldBe(HttpStatusCode.OK);

    private static decimal Dec(string text) => decimal.Parse(text, CultureInfo.InvariantCulture);

    private static decimal Amount(System.Text.Json.Nodes.JsonNode? node) => Dec(node!.ToJsonString());

    private static string YearMonth(long ms) => BillDates.YearMonth(ms / 1000);

    private async Task<List<string[]>> CsvRowsAsync(ApiResponse export)
    {
        export.ShouldBe(HttpStatusCode.OK);
        using var client = server.Factory.CreateClient();
        using var response = await client.GetAsync(new Uri(export.Str("url")));
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await response.Content.ReadAsByteArrayAsync();
        var lines = Csv.Parse(Encoding.UTF8.GetString(body, 3, body.Length - 3));
        lines[0].ShouldBe(["imsi", "date", "billItemName", "unitPrice", "quantity", "amount", "simId", "currency"]);
        return [.. lines.Skip(1)];
    }

    /// <summary>
    /// A fresh month (the one after next, so no earlier test's charges): SIM A active from day 1 with
    /// 2.5 MiB on day 1, SIM B ready all month, SIM C active from day 2; then 01:30 on the next month's
    /// first day, when the month is closed. Answers the month start (ms) and the SIMs.
    /// </summary>
    private static async Task<(long Month, (string SimId, string Imsi) A, (string SimId, string Imsi) B, (string SimId, string Imsi) C)> ClosedMonthAsync(ApiClient op)
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(await NowAsync(op));
        var month = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(2).ToUnixTimeMilliseconds();
        await SetClockAsync(op, month + (HourMs / 2));
        var a = await op.RegisterSimAsync();
        var b = await op.RegisterSimAsync();
        var c = await op.RegisterSimAsync();
        (await op.PostAsync($"/v1/sims/{a.SimId}/activate")).ShouldBe(HttpStatusCode.OK);
        (await op.PostAsync($"/v1/sandbox/stats/air/subscribers/{a.Imsi}", new
        {
            unixtime = (month / 1000) + 60,
            dataTrafficStatsMap = new Dictionary<string, object>
            {
                ["s1.standard"] = new { uploadByteSizeTotal = DailyCharges.BytesPerMiB, downloadByteSizeTotal = 3 * DailyCharges.BytesPerMiB / 2, uploadPacketSizeTotal = 1, downloadPacketSizeTotal = 1 },
            },
        })).ShouldBe(HttpStatusCode.OK);
        await SetClockAsync(op, month + DayMs + HourMs);
        (await op.PostAsync($"/v1/sims/{c.SimId}/activate")).ShouldBe(HttpStatusCode.OK);
        var next = DateTimeOffset.FromUnixTimeMilliseconds(month).AddMonths(1).ToUnixTimeMilliseconds();
        await SetClockAsync(op, next + (90 * 60_000));
        return (month, a, b, c);
    }

    [Fact]
    public async Task ExportBilling_RowsAddUpToTheBillAndItsDailyList()
    {
        var op = await server.NewOperatorAsync();
        var (month, a, b, c) = await ClosedMonthAsync(op);
        var yearMonth = YearMonth(month);
        var days = DateTime.DaysInMonth(DateTimeOffset.FromUnixTimeMilliseconds(month).Year, DateTimeOffset.FromUnixTimeMilliseconds(month).Month);

        var rows = await CsvRowsAsync(await op.PostAsync($"/v1/bills/{yearMonth}/export"));
        var bill = (await op.GetAsync($"/v1/bills/{yearMonth}")).ShouldBe(HttpStatusCode.OK);
        bill.Str("state").ShouldBe("closed");
        rows.Sum(r => Dec(r[5])).ShouldBe(Amount(bill.Json["amount"]));
        rows.ShouldAllBe(r => r[7] == "JPY");

        var daily = (await op.GetAsync($"/v1/bills/{yearMonth}/daily")).ShouldBe(HttpStatusCode.OK).Json["billList"]!.AsArray();
        var perDay = rows.GroupBy(r => r[1]).ToDictionary(g => g.Key, g => g.Sum(r => Dec(r[5])));
        daily.Select(d => (d!["date"]!.GetValue<string>(), Amount(d["amount"]))).Order()
            .ShouldBe(perDay.Where(d => d.Value != 0).Select(d => (d.Key, d.Value)).Order());

        // Day 1 of SIM A: the active basic fee, and 2.5 MiB of s1.standard (0.55 yen) rounding the day to 12.
        var day1 = BillDates.Date(month / 1000);
        var aDay1 = rows.Where(r => r[0] == a.Imsi && r[1] == day1).ToList();
        aDay1.Count.ShouldBe(2);
        aDay1[0].ShouldBe([a.Imsi, day1, "plan01s basic fee (active)", "11", "1", "11", a.SimId, "JPY"]);
        aDay1[1][2].ShouldBe("plan01s data fee");
        aDay1[1][4].ShouldBe((5 * DailyCharges.BytesPerMiB / 2).ToString(CultureInfo.InvariantCulture));
        aDay1[1][5].ShouldBe("1");
        Math.Round(Dec(aDay1[1][3]) * Dec(aDay1[1][4]), 6).ShouldBe(0.55m);

        // Every day of the month has one basic row per SIM (B at the ready fee 0; C from day 2 on, ready on day 1).
        rows.Count(r => r[0] == a.Imsi && r[2].Contains("basic fee", StringComparison.Ordinal)).ShouldBe(days);
        rows.Where(r => r[0] == b.Imsi).ShouldAllBe(r => r[2] == "plan01s basic fee (ready)" && r[5] == "0");
        rows.Single(r => r[0] == c.Imsi && r[1] == day1)[2].ShouldBe("plan01s basic fee (ready)");
        rows.Where(r => r[0] == c.Imsi && r[1] != day1).ShouldAllBe(r => r[2] == "plan01s basic fee (active)" && r[5] == "11");
        rows.Sum(r => Dec(r[5])).ShouldBe((days * 11m) + 1m + ((days - 1) * 11m));

        // Sync and async give the same file.
        var fileId = (await op.PostAsync($"/v1/bills/{yearMonth}/export?export_mode=async")).ShouldBe(HttpStatusCode.OK).Str("exportedFileId");
        var viaFile = await CsvRowsAsync(await op.GetAsync($"/v1/files/exported/{fileId}"));
        viaFile.ShouldBe(rows);
    }

    [Fact]
    public async Task ExportLatestBilling_IsTheCurrentMonthUpToTheLastAggregation()
    {
        var op = await server.NewOperatorAsync();
        var (_, a, _, c) = await ClosedMonthAsync(op);

        var rows = await CsvRowsAsync(await op.PostAsync("/v1/bills/latest/export"));
        var latest = (await op.GetAsync("/v1/bills/latest")).ShouldBe(HttpStatusCode.OK);
        var today = BillDates.Date(await NowAsync(op) / 1000);
        rows.Select(r => r[1]).Distinct().ShouldBe([today]);
        rows.Where(r => r[5] != "0").Select(r => r[0]).Order(StringComparer.Ordinal).ShouldBe(new[] { a.Imsi, c.Imsi }.Order(StringComparer.Ordinal));
        rows.Sum(r => Dec(r[5])).ShouldBe(Amount(latest.Json["amount"]));
        Amount(latest.Json["amount"]).ShouldBe(22m);

        // An operator without any charge gets a header-only file.
        var other = await server.NewOperatorAsync();
        (await CsvRowsAsync(await other.PostAsync("/v1/bills/latest/export?export_mode=sync"))).ShouldBeEmpty();
    }

    [Fact]
    public async Task ExportBilling_BadOrMissingMonths_AndOtherOperators()
    {
        var op = await server.NewOperatorAsync();
        var other = await server.NewOperatorAsync();
        var (month, _, _, _) = await ClosedMonthAsync(op);
        var yearMonth = YearMonth(month);

        foreach (var bad in new[] { "2026-1", "202613", "202600", "abcdef", "20261", "2026011", "%20202611" })
        {
            (await op.PostAsync($"/v1/bills/{bad}/export")).ShouldBe(HttpStatusCode.BadRequest, "BIL0001");
        }

        var before = DateTimeOffset.FromUnixTimeMilliseconds(month).AddMonths(-1).ToUnixTimeMilliseconds();
        (await op.PostAsync($"/v1/bills/{YearMonth(before)}/export")).ShouldBe(HttpStatusCode.NotFound, "BIL0002");
        (await op.PostAsync("/v1/bills/197001/export")).ShouldBe(HttpStatusCode.NotFound, "BIL0002");
        (await other.PostAsync($"/v1/bills/{yearMonth}/export")).ShouldBe(HttpStatusCode.NotFound, "BIL0002");
        (await server.Anonymous().PostAsync($"/v1/bills/{yearMonth}/export")).ShouldBe(HttpStatusCode.Unauthorized, "AUM0001");

        // Bills older than 18 months cannot be exported, as SORACOM documents.
        var later = DateTimeOffset.FromUnixTimeMilliseconds(month).AddMonths(19).ToUnixTimeMilliseconds();
        await SetClockAsync(op, later + HourMs);
        (await op.GetAsync($"/v1/bills/{yearMonth}")).ShouldBe(HttpStatusCode.OK);
        (await op.PostAsync($"/v1/bills/{yearMonth}/export")).ShouldBe(HttpStatusCode.NotFound, "BIL0002");
    }

    [Fact]
    public async Task Summaries_MatchTheCsvItemsAndSims_ForTheLastFourMonths()
    {
        var op = await server.NewOperatorAsync();
        var (month, a, b, c) = await ClosedMonthAsync(op);
        var yearMonth = YearMonth(month);
        var current = YearMonth(await NowAsync(op));
        var rows = await CsvRowsAsync(await op.PostAsync($"/v1/bills/{yearMonth}/export"));

        var items = (await op.GetAsync("/v1/bills/summaries/bill_items")).ShouldBe(HttpStatusCode.OK).Array;
        items.Select(m => m!["yearMonth"]!.GetValue<string>()).ShouldBe([current, yearMonth]);
        var closed = items[1]!;
        closed["currency"]!.GetValue<string>().ShouldBe("JPY");
        var list = closed["costBreakdownList"]!.AsArray()
            .Select(i => (i!["billItemCategory"]!.GetValue<string>(), i["billItemName"]!.GetValue<string>(), Amount(i["amount"]))).ToList();
        var fromCsv = rows.GroupBy(r => r[2]).Select(g => ("Air", g.Key, g.Sum(r => Dec(r[5])))).Where(i => i.Item3 != 0).ToList();
        list.ShouldBe(fromCsv.OrderByDescending(i => i.Item3).ThenBy(i => i.Key, StringComparer.Ordinal));
        list.Sum(i => i.Item3).ShouldBe(Amount((await op.GetAsync($"/v1/bills/{yearMonth}")).Json["amount"]));
        list.Select(i => i.Item2).ShouldContain("plan01s data fee");

        var bill = (await op.GetAsync($"/v1/bills/{yearMonth}")).Json;
        closed["updatedTime"]!.GetValue<long>().ShouldBeGreaterThan(0);

        var sims = (await op.GetAsync("/v1/bills/summaries/sims")).ShouldBe(HttpStatusCode.OK).Array;
        sims.Select(m => m!["yearMonth"]!.GetValue<string>()).ShouldBe([current, yearMonth]);
        var perSim = sims[1]!["costBreakdownList"]!.AsArray().Select(s => (s!["simId"]!.GetValue<string>(), Amount(s["amount"]))).ToList();
        var perSimCsv = rows.GroupBy(r => r[6]).Select(g => (g.Key, g.Sum(r => Dec(r[5])))).Where(s => s.Item2 != 0)
            .OrderByDescending(s => s.Item2).ThenBy(s => s.Key, StringComparer.Ordinal).ToList();
        perSim.ShouldBe(perSimCsv);
        perSim.Select(s => s.Item1).ShouldBe([a.SimId, c.SimId], "A paid one more yen of data and one more active day than C; B (ready) cost nothing");
        perSim.Select(s => s.Item1).ShouldNotContain(b.SimId);
        Amount(bill["amount"]).ShouldBe(perSim.Sum(s => s.Item2));

        var other = await server.NewOperatorAsync();
        (await other.GetAsync("/v1/bills/summaries/bill_items")).ShouldBe(HttpStatusCode.OK).Array.Count.ShouldBe(0);
        (await other.GetAsync("/v1/bills/summaries/sims")).ShouldBe(HttpStatusCode.OK).Array.Count.ShouldBe(0);
        (await server.Anonymous().GetAsync("/v1/bills/summaries/sims")).ShouldBe(HttpStatusCode.Unauthorized, "AUM0001");

        // Four months on, the month has left the summaries.
        var later = DateTimeOffset.FromUnixTimeMilliseconds(month).AddMonths(4).ToUnixTimeMilliseconds();
        await SetClockAsync(op, later + HourMs);
        (await op.GetAsync("/v1/bills/summaries/bill_items")).Array.Select(m => m!["yearMonth"]!.GetValue<string>()).ShouldNotContain(yearMonth);
        (await op.GetAsync("/v1/bills/summaries/sims")).Array.Select(m => m!["yearMonth"]!.GetValue<string>()).ShouldNotContain(yearMonth);
    }
}

public sealed class BillingExportsTests_Sqlite(SqliteServer server) : BillingExportsTests(server), IClassFixture<SqliteServer>;

public sealed class BillingExportsTests_Postgres(PostgresServer server) : BillingExportsTests(server), IClassFixture<PostgresServer>;

public sealed class BillingExportsTests_SqliteOneSimChunks(OneSimChunkSqliteServer server) : BillingExportsTests(server), IClassFixture<OneSimChunkSqliteServer>;

public sealed class BillingExportsTests_PostgresOneSimChunks(OneSimChunkPostgresServer server) : BillingExportsTests(server), IClassFixture<OneSimChunkPostgresServer>;
