using Microsoft.Playwright;
using Simlane.Console.Tests.Infrastructure;

namespace Simlane.Console.Tests;

/// <summary>Usage and billing in the console (issue 8, part 5): traffic charts with real data, this month's charge, bills.</summary>
public sealed class UsageTests(ConsoleServer server) : IClassFixture<ConsoleServer>
{
    [Theory]
    [InlineData("en", "Usage and billing", "JPY", "There are no groups.")]
    [InlineData("ja", "利用状況と請求", "￥", "グループがありません。")]
    public async Task Charts_ShowTheTraffic_AndThisMonthsChargeIsShown_AfterTheAggregation(string language, string title, string currency, string noGroups)
    {
        var op = await server.SignUpAsync();
        using var api = op.Api(server.Endpoint);
        var (imsi, simId) = await api.CreateRegisteredSimAsync();
        var page = await server.OpenConsoleAsync(language);
        await page.SignInAsync(op);

        // No traffic, no group, no aggregation yet: empty charts, a zero charge, no daily bills.
        await page.GoAsync("#/usage");
        await Assertions.Expect(page.Locator("main h1")).ToHaveTextAsync(title);
        await Assertions.Expect(page.Locator("#operator-chart svg.chart")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#operator-chart rect[data-value]:not([data-value='0'])")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#no-groups")).ToHaveTextAsync(noGroups);
        await Assertions.Expect(page.Locator("#latest-amount")).ToHaveAttributeAsync("data-amount", "0");

        // 20 MiB in a group, then an hour on the sandbox clock: the hourly aggregation prices it (s1.standard, 0.22 JPY/MiB).
        var groupId = await api.CreateGroupWithAsync($"Fleet {language}", simId);
        await api.PushTrafficAsync(imsi, 20 * 1024 * 1024);
        await api.AdvanceClockAsync(3600);
        await page.ReloadAsync();

        var bars = page.Locator("#operator-chart rect[data-value]:not([data-value='0'])");
        await Assertions.Expect(bars).ToHaveCountAsync(2); // upload and download of one day
        (await bars.EvaluateAllAsync<long>("bs => bs.reduce((s, b) => s + Number(b.dataset.value), 0)")).ShouldBe(20 * 1024 * 1024);
        await Assertions.Expect(page.Locator("#operator-total")).ToContainTextAsync("20.0 MiB");
        await Assertions.Expect(page.Locator("#group-select")).ToHaveValueAsync(groupId);
        await Assertions.Expect(page.Locator("#group-chart rect[data-value]:not([data-value='0'])")).ToHaveCountAsync(2);

        await page.SelectOptionAsync("#operator-period", "month");
        await Assertions.Expect(page.Locator("#operator-total")).ToContainTextAsync("20.0 MiB");
        await Assertions.Expect(page.Locator("#operator-chart rect[data-value]:not([data-value='0'])")).ToHaveCountAsync(2);

        var amount = page.Locator("#latest-amount");
        await Assertions.Expect(amount).Not.ToHaveAttributeAsync("data-amount", "0");
        await Assertions.Expect(amount).ToContainTextAsync(currency);
        (await amount.GetAttributeAsync("data-amount")).ShouldBe("4"); // round(20 × 0.22) = 4; ready SIM: no basic fee
        await Assertions.Expect(page.Locator("#daily-bill-chart rect[data-value]:not([data-value='0'])")).Not.ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#daily-bill-table tbody tr")).Not.ToHaveCountAsync(0);
        await page.ScreenshotAsync($"usage-{language}");
    }

    [Fact]
    public async Task AMonthWithoutCharge_SaysSo_AndClosedMonthsAreListed()
    {
        var op = await server.SignUpAsync();
        using var api = op.Api(server.Endpoint);
        var (imsi, _) = await api.CreateRegisteredSimAsync();
        var page = await server.OpenConsoleAsync();
        await page.SignInAsync(op);
        await page.GoAsync("#/usage");
        await Assertions.Expect(page.Locator("#no-daily-bills")).ToHaveTextAsync("There is no charge for this month.");
        await Assertions.Expect(page.Locator("#no-monthly-bills")).ToBeVisibleAsync();

        // Traffic now, then past the end of the month: the month closes and is listed as a monthly bill.
        await api.PushTrafficAsync(imsi, 50 * 1024 * 1024);
        await api.AdvanceClockAsync(32 * 86400);
        await page.ReloadAsync();
        var closed = page.Locator("#monthly-bill-table tbody tr");
        await Assertions.Expect(closed).Not.ToHaveCountAsync(0);
        await Assertions.Expect(closed.First).ToContainTextAsync("Closed");
        await Assertions.Expect(page.Locator("#monthly-bill-chart rect[data-value]:not([data-value='0'])")).Not.ToHaveCountAsync(0);

        // The closed month's daily bills, picked from the month list.
        var month = await page.Locator("#daily-month option").Nth(1).GetAttributeAsync("value");
        await page.SelectOptionAsync("#daily-month", month!);
        await Assertions.Expect(page.Locator("#daily-bill-table tbody tr")).Not.ToHaveCountAsync(0);
    }
}
