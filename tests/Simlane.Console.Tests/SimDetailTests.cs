using System.Net;
using Microsoft.Playwright;
using Simlane.Console.Tests.Infrastructure;

namespace Simlane.Console.Tests;

/// <summary>SIM detail: properties, status history, session events, covering event handlers, traffic charts from real data.</summary>
public sealed class SimDetailTests(ConsoleServer server) : IClassFixture<ConsoleServer>
{
    private const string Imei = "353456789012345";

    [Theory]
    [InlineData("en", "Active", "Created", "Upload")]
    [InlineData("ja", "使用中", "開始", "アップロード")]
    public async Task Detail_ShowsPropertiesHistorySessionsHandlers_AndChartsOfRealTraffic(string language, string active, string created, string upload)
    {
        var op = await server.SignUpAsync();
        using var api = op.Api(server.Endpoint);
        var (simId, imsi) = await api.CreateSimAsync($"detail-{language}");
        await api.PostOkAsync($"/v1/sims/{simId}/activate");
        await api.PostOkAsync("/v1/gateway/sessions", new { imsi, imei = Imei });
        var handler = await api.SendAsync(HttpMethod.Post, "/v1/event_handlers", new
        {
            name = "daily 10 MiB",
            status = "active",
            targetSimId = simId,
            ruleConfig = new { type = "SubscriberDailyTrafficRule", properties = new { limitTotalTrafficMegaByte = "10", inactiveTimeoutDateConst = "BEGINNING_OF_NEXT_DAY" } },
            actionConfigList = new[] { new { type = "ChangeSpeedClassAction", properties = new { executionDateTimeConst = "IMMEDIATELY", speedClass = "s1.minimum" } } },
        }, HttpStatusCode.Created);
        var handlerId = handler!["handlerId"]!.GetValue<string>();

        // Traffic today and two days ago (by the sandbox clock): 1,500,000 B up and 3,000,000 B down each.
        var now = (await api.GetOkAsync("/v1/sandbox/clock"))["now"]!.GetValue<long>() / 1000;
        foreach (var at in new[] { now - 60, now - (2 * 86400) })
        {
            await api.PostOkAsync($"/v1/sandbox/stats/air/subscribers/{imsi}", new
            {
                unixtime = at,
                dataTrafficStatsMap = new Dictionary<string, object> { ["s1.standard"] = new { uploadByteSizeTotal = 1_500_000, downloadByteSizeTotal = 3_000_000 } },
            });
        }

        var page = await server.OpenConsoleAsync(language);
        await page.SignInToSimsAsync(op);
        await page.SimRow(simId).Locator("td.name a").ClickAsync();
        page.Url.ShouldEndWith($"#/sims/{simId}");

        await Assertions.Expect(page.Locator("#sim-title")).ToContainTextAsync($"detail-{language}");
        var properties = page.Locator("#sim-properties");
        await Assertions.Expect(properties.Locator("tr[data-property=simId]")).ToContainTextAsync(simId);
        await Assertions.Expect(properties.Locator("tr[data-property=imsi]")).ToContainTextAsync(imsi);
        await Assertions.Expect(properties.Locator("tr[data-property=status] .status")).ToHaveTextAsync(active);
        await Assertions.Expect(properties.Locator("tr[data-property=online]")).ToContainTextAsync(Imei);
        await Assertions.Expect(properties.Locator("tr[data-property=protection] [data-protection]")).ToHaveAttributeAsync("data-protection", "on");

        await Assertions.Expect(page.Locator("#sim-history-table .status[data-status=active]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#sim-sessions-table tr[data-event=Created]")).ToContainTextAsync(created);
        await Assertions.Expect(page.Locator("#sim-sessions-table tr[data-event=Created]")).ToContainTextAsync(Imei);
        await Assertions.Expect(page.Locator($"#sim-handlers-table tr[data-handler-id='{handlerId}']")).ToContainTextAsync("daily 10 MiB");

        // The charts: bars with the pushed values (upload and download, two days; this month in the monthly chart).
        var daily = page.Locator("#sim-chart-daily");
        await Assertions.Expect(daily).ToBeVisibleAsync();
        await Assertions.Expect(daily.Locator("rect[data-value='1500000']")).ToHaveCountAsync(2);
        await Assertions.Expect(daily.Locator("rect[data-value='3000000']")).ToHaveCountAsync(2);
        await Assertions.Expect(daily.Locator("rect[data-value]:not([data-value='0'])")).ToHaveCountAsync(4);
        await Assertions.Expect(daily).ToContainTextAsync(upload);
        await Assertions.Expect(page.Locator("#sim-traffic")).Not.ToContainTextAsync("null");
        var monthly = page.Locator("#sim-chart-monthly rect[data-value]:not([data-value='0'])");
        var sameMonth = DateTimeOffset.FromUnixTimeSeconds(now).Month == DateTimeOffset.FromUnixTimeSeconds(now - (2 * 86400)).Month;
        await Assertions.Expect(monthly).ToHaveCountAsync(sameMonth ? 2 : 4);
        if (sameMonth)
        {
            await Assertions.Expect(page.Locator("#sim-chart-monthly rect[data-value='3000000']")).ToHaveCountAsync(1);
            await Assertions.Expect(page.Locator("#sim-chart-monthly rect[data-value='6000000']")).ToHaveCountAsync(1);
        }

        await page.SaveScreenshotAsync($"sim-detail-{language}.png");

        await page.ClickAsync("#sim-back");
        await Assertions.Expect(page.SimRow(simId)).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Detail_OfATerminatedSim_HasEmptyCharts_AndItsStatusHistory()
    {
        var op = await server.SignUpAsync();
        using var api = op.Api(server.Endpoint);
        var (simId, _) = await api.CreateSimAsync("ended");
        await api.PostOkAsync($"/v1/sims/{simId}/activate");
        await api.TerminateAsync(simId);

        var page = await server.OpenConsoleAsync();
        await page.SignInToSimsAsync(op);
        await page.GotoAsync($"/console/#/sims/{simId}");
        await Assertions.Expect(page.Locator("#sim-history-table .status[data-status=terminated]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#sim-history-table .status[data-status=active]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#sim-sessions-table-empty")).ToHaveTextAsync("None.");
        await Assertions.Expect(page.Locator("#sim-traffic")).ToContainTextAsync("The traffic of a terminated SIM is not shown.");
        await Assertions.Expect(page.Locator("#sim-chart-daily rect[data-value]:not([data-value='0'])")).ToHaveCountAsync(0);
    }

    [Theory]
    [InlineData("en", "Disconnect: failed", "No RADIUS client covers the NAS address 192.0.2.99 any more")]
    [InlineData("ja", "切断: 失敗", "No RADIUS client covers the NAS address 192.0.2.99 any more")]
    public async Task Detail_ShowsTheDisconnectOwedToTheNas_OnTheDeletedSessionEvent(string language, string outcome, string error)
    {
        var op = await server.SignUpAsync();
        using var api = op.Api(server.Endpoint);
        var (simId, imsi) = await api.CreateSimAsync($"radius-{language}");
        await api.PostOkAsync($"/v1/sims/{simId}/activate");

        // A session as RADIUS accounting opens it, held by a NAS no configured client covers: its Disconnect fails at once.
        await using (var db = Simlane.Storage.DatabaseOptions.Parse(server.ConnectionString).CreateContext())
        {
            var sim = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(
                Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.Include(db.Sims, s => s.Subscriptions), s => s.SimId == simId);
            var session = Simlane.Storage.SessionLedger.Open(db, sim, imsi, null, null, null, null, sim.LastModifiedTime);
            session.NasAddress = "192.0.2.99";
            session.AcctSessionId = "console-1";
            await db.SaveChangesAsync();
        }

        await api.PostOkAsync($"/v1/sims/{simId}/suspend");

        // The page shows what the API says when it loads: wait until the delivery worker has recorded the outcome.
        var recorded = System.Diagnostics.Stopwatch.StartNew();
        while ((await api.GetOkAsync($"/v1/sims/{simId}/events/sessions")).AsArray()
               .All(e => e!["dynamicAuthorization"]?["state"]?.GetValue<string>() != "failed"))
        {
            recorded.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30), "waiting for the Disconnect's outcome to be recorded");
            await Task.Delay(50);
        }

        var page = await server.OpenConsoleAsync(language);
        await page.SignInToSimsAsync(op);
        await page.GotoAsync($"/console/#/sims/{simId}");
        var cell = page.Locator("#sim-sessions-table tr[data-event=Deleted] [data-nas-state=failed]");
        await Assertions.Expect(cell).ToContainTextAsync(outcome);
        await Assertions.Expect(cell).ToContainTextAsync(error);
        await Assertions.Expect(page.Locator("#sim-sessions-table tr[data-event=Created] td.nas-request")).ToHaveTextAsync("—");
    }

    [Fact]
    public async Task Detail_OfAnUnknownSim_ShowsTheServersError()
    {
        var op = await server.SignUpAsync();
        var page = await server.OpenConsoleAsync();
        await page.SignInToSimsAsync(op);
        await page.GotoAsync("/console/#/sims/8942310000000000000");
        await Assertions.Expect(page.Locator("main [role=alert]")).ToContainTextAsync("SEM0001");
    }
}
