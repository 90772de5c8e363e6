using System.Net;
using Microsoft.Playwright;
using Simlane.Console.Tests.Infrastructure;

namespace Simlane.Console.Tests;

/// <summary>SIM management: the seed scenario (terminate under protection), bulk actions with results per SIM, filters, paging.</summary>
public sealed class SimsTests(ConsoleServer server) : IClassFixture<ConsoleServer>
{
    /// <summary>
    /// The seed requirement, in both languages: tick the SIM, open the termination dialog, termination is refused while
    /// protection is ON, switch protection OFF in the dialog, confirm, terminate, the SIM is shown as terminated.
    /// </summary>
    [Theory]
    [InlineData("en", "termination protection is ON for 1 of the selected SIMs", "Terminated", "Active")]
    [InlineData("ja", "1 件の解約プロテクションが ON です", "解約済み", "使用中")]
    public async Task Terminate_RefusedUnderProtection_SwitchedOffInTheDialog_ThenTerminated(string language, string refused, string terminated, string active)
    {
        var op = await server.SignUpAsync();
        using var api = op.Api(server.Endpoint);
        var (simId, _) = await api.CreateSimAsync($"seed-{language}");
        var (otherId, _) = await api.CreateSimAsync($"keep-{language}");
        await api.PostOkAsync($"/v1/sims/{simId}/activate");
        await api.PostOkAsync($"/v1/sims/{otherId}/activate");

        var page = await server.OpenConsoleAsync(language);
        await page.SignInToSimsAsync(op);
        var row = page.SimRow(simId);
        await Assertions.Expect(row.Locator(".status")).ToHaveTextAsync(active);
        await Assertions.Expect(row.Locator("[data-protection]")).ToHaveAttributeAsync("data-protection", "on");
        await page.SaveScreenshotAsync($"sims-list-{language}.png");

        await row.Locator("input.select-sim").CheckAsync();
        await page.SelectOptionAsync("#bulk-action", "terminate");
        await page.ClickAsync("#bulk-apply");
        var dialog = page.Locator("#terminate-dialog");
        await Assertions.Expect(dialog).ToBeVisibleAsync();

        // Refused under protection: the refusal is explained, nothing can be confirmed or terminated.
        var dialogRow = dialog.Locator($"tr[data-sim-id='{simId}']");
        await Assertions.Expect(dialogRow.Locator("[data-protection]")).ToHaveAttributeAsync("data-protection", "on");
        await Assertions.Expect(page.Locator("#terminate-protected")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#terminate-protected")).ToContainTextAsync(refused);
        await Assertions.Expect(page.Locator("#terminate-run")).ToBeDisabledAsync();
        await Assertions.Expect(page.Locator("#terminate-confirm")).ToBeDisabledAsync();
        await Assertions.Expect(page.Locator("#terminate-protection-switch")).ToBeCheckedAsync();
        await Assertions.Expect(page.Locator("#terminate-warning")).ToBeVisibleAsync();
        await page.SaveScreenshotAsync($"terminate-dialog-protected-{language}.png");
        (await api.GetOkAsync($"/v1/sims/{simId}"))["terminationEnabled"]!.GetValue<bool>().ShouldBeFalse();

        // Protection switched off in the dialog (enable_termination), then explicit confirmation.
        await page.Locator("#terminate-protection-switch").UncheckAsync();
        await Assertions.Expect(dialogRow.Locator("[data-protection]")).ToHaveAttributeAsync("data-protection", "off");
        await Assertions.Expect(page.Locator("#terminate-protected")).ToBeHiddenAsync();
        (await api.GetOkAsync($"/v1/sims/{simId}"))["terminationEnabled"]!.GetValue<bool>().ShouldBeTrue();
        await Assertions.Expect(page.Locator("#terminate-run")).ToBeDisabledAsync();
        await page.Locator("#terminate-confirm").CheckAsync();
        await Assertions.Expect(page.Locator("#terminate-run")).ToBeEnabledAsync();
        await page.SaveScreenshotAsync($"terminate-dialog-{language}.png");

        await page.ClickAsync("#terminate-run");
        await Assertions.Expect(dialogRow.Locator("[data-result]")).ToHaveAttributeAsync("data-result", "ok");
        await Assertions.Expect(dialogRow.Locator(".status")).ToHaveTextAsync(terminated);
        await Assertions.Expect(page.Locator("#terminate-run")).ToBeDisabledAsync();
        await page.SaveScreenshotAsync($"terminate-dialog-done-{language}.png");
        await page.CloseDialogAsync("terminate");

        // Shown as terminated in the list, terminated through the API, and hidden by the filter.
        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        await Assertions.Expect(row.Locator(".status")).ToHaveTextAsync(terminated);
        await Assertions.Expect(row.Locator(".status")).ToHaveAttributeAsync("data-status", "terminated");
        (await api.StatusAsync(simId)).ShouldBe("terminated");
        (await api.StatusAsync(otherId)).ShouldBe("active");
        await page.SaveScreenshotAsync($"sims-list-terminated-{language}.png");

        await page.Locator("#sims-hide-terminated").CheckAsync();
        await Assertions.Expect(page.SimRows()).ToHaveCountAsync(1);
        await Assertions.Expect(row).ToHaveCountAsync(0);
        await Assertions.Expect(page.SimRow(otherId)).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Terminate_WithAlreadyTerminatedSim_SkipsIt_AndUnprotectedSimsNeedOnlyTheConfirmation()
    {
        var op = await server.SignUpAsync();
        using var api = op.Api(server.Endpoint);
        var (gone, _) = await api.CreateSimAsync("gone");
        var (open, _) = await api.CreateSimAsync("open");
        await api.TerminateAsync(gone);
        await api.PostOkAsync($"/v1/sims/{open}/enable_termination");

        var page = await server.OpenConsoleAsync();
        await page.SignInToSimsAsync(op);
        await page.Locator("#sims-select-all").CheckAsync();
        await Assertions.Expect(page.Locator("#sims-selected-count")).ToHaveTextAsync("2 selected");
        await page.SelectOptionAsync("#bulk-action", "terminate");
        await page.ClickAsync("#bulk-apply");

        var dialog = page.Locator("#terminate-dialog");
        await Assertions.Expect(dialog.Locator($"tr[data-sim-id='{gone}'] [data-result]")).ToHaveAttributeAsync("data-result", "skipped");
        await Assertions.Expect(page.Locator("#terminate-protected")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#terminate-protection-switch")).Not.ToBeCheckedAsync();
        await Assertions.Expect(page.Locator("#terminate-run")).ToBeDisabledAsync();
        await page.Locator("#terminate-confirm").CheckAsync();
        await page.ClickAsync("#terminate-run");
        await Assertions.Expect(dialog.Locator($"tr[data-sim-id='{open}'] [data-result]")).ToHaveAttributeAsync("data-result", "ok");
        await Assertions.Expect(page.Locator("#terminate-summary")).ToHaveTextAsync("1 succeeded, 0 failed.");
        (await api.StatusAsync(open)).ShouldBe("terminated");
    }

    [Fact]
    public async Task Terminate_SwitchingProtectionBackOn_RefusesAgain_AndLeavesTheSimsProtected()
    {
        var op = await server.SignUpAsync();
        using var api = op.Api(server.Endpoint);
        var (simId, _) = await api.CreateSimAsync("undecided");

        var page = await server.OpenConsoleAsync();
        await page.SignInToSimsAsync(op);
        await page.SimRow(simId).Locator("input.select-sim").CheckAsync();
        await page.SelectOptionAsync("#bulk-action", "terminate");
        await page.ClickAsync("#bulk-apply");
        await page.Locator("#terminate-protection-switch").UncheckAsync();
        await Assertions.Expect(page.Locator("#terminate-confirm")).ToBeEnabledAsync();
        await page.Locator("#terminate-confirm").CheckAsync();

        await page.Locator("#terminate-protection-switch").CheckAsync();
        await Assertions.Expect(page.Locator("#terminate-protected")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#terminate-confirm")).Not.ToBeCheckedAsync();
        await Assertions.Expect(page.Locator("#terminate-run")).ToBeDisabledAsync();
        (await api.GetOkAsync($"/v1/sims/{simId}"))["terminationEnabled"]!.GetValue<bool>().ShouldBeFalse();

        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(page.Locator("#terminate-dialog")).ToHaveCountAsync(0);
        (await api.StatusAsync(simId)).ShouldBe("ready");
    }

    [Theory]
    [InlineData("en", "The SIM is terminated and cannot be changed", "1 succeeded, 1 failed.")]
    [InlineData("ja", "解約済みの SIM は変更できません", "成功 1 件、失敗 1 件。")]
    public async Task BulkActivate_TwoSims_OneFails_ShowsTheResultPerSim(string language, string label, string summary)
    {
        var op = await server.SignUpAsync();
        using var api = op.Api(server.Endpoint);
        var (ready, _) = await api.CreateSimAsync("bulk-ready");
        var (dead, _) = await api.CreateSimAsync("bulk-dead");
        await api.TerminateAsync(dead);

        var page = await server.OpenConsoleAsync(language);
        await page.SignInToSimsAsync(op);
        await Assertions.Expect(page.Locator("#bulk-apply")).ToBeDisabledAsync();
        await page.SimRow(ready).Locator("input.select-sim").CheckAsync();
        await page.SimRow(dead).Locator("input.select-sim").CheckAsync();
        await page.SelectOptionAsync("#bulk-action", "activate");
        await page.ClickAsync("#bulk-apply");
        await Assertions.Expect(page.Locator("#bulk-dialog")).ToHaveAttributeAsync("data-action", "activate");
        await page.ClickAsync("#bulk-run");

        var results = page.Locator("#bulk-results");
        await Assertions.Expect(results.Locator($"tr[data-sim-id='{ready}'] [data-result]")).ToHaveAttributeAsync("data-result", "ok");
        var failed = results.Locator($"tr[data-sim-id='{dead}'] [data-result]");
        await Assertions.Expect(failed).ToHaveAttributeAsync("data-result", "error");
        await Assertions.Expect(failed).ToHaveAttributeAsync("data-code", "SEM0003");
        await Assertions.Expect(failed).ToContainTextAsync(label);
        await Assertions.Expect(failed.Locator("code")).ToHaveTextAsync("SEM0003");
        await Assertions.Expect(page.Locator("#bulk-summary")).ToHaveTextAsync(summary);
        await page.SaveScreenshotAsync($"bulk-results-{language}.png");
        await page.CloseDialogAsync("bulk");

        (await api.StatusAsync(ready)).ShouldBe("active");
        (await api.StatusAsync(dead)).ShouldBe("terminated");
        await Assertions.Expect(page.SimRow(ready).Locator(".status")).ToHaveAttributeAsync("data-status", "active");
    }

    [Fact]
    public async Task BulkActions_WithParameters_ChangeEachSim()
    {
        var op = await server.SignUpAsync();
        using var api = op.Api(server.Endpoint);
        var (a, _) = await api.CreateSimAsync("param-a");
        var (b, _) = await api.CreateSimAsync("param-b");
        var group = await api.SendAsync(HttpMethod.Post, "/v1/groups", new { tags = new { name = "fleet-param" } }, HttpStatusCode.Created);
        var groupId = group!["groupId"]!.GetValue<string>();
        var now = (await api.GetOkAsync("/v1/sandbox/clock"))["now"]!.GetValue<long>();

        var page = await server.OpenConsoleAsync();
        await page.SignInToSimsAsync(op);

        async Task RunAsync(string action, Func<Task>? fill = null)
        {
            await Assertions.Expect(page.Locator("#sims-table")).ToBeVisibleAsync();
            await page.Locator("#sims-select-all").CheckAsync();
            await page.SelectOptionAsync("#bulk-action", action);
            await page.ClickAsync("#bulk-apply");
            if (fill is not null)
            {
                await fill();
            }

            await page.ClickAsync("#bulk-run");
            await Assertions.Expect(page.Locator("#bulk-results [data-result=ok]")).ToHaveCountAsync(2);
            await page.CloseDialogAsync("bulk");
        }

        await RunAsync("speedClass", () => page.SelectOptionAsync("#bulk-speed-class", "s1.fast"));
        await RunAsync("setGroup", () => page.SelectOptionAsync("#bulk-group", groupId));
        await RunAsync("setImeiLock", () => page.FillAsync("#bulk-imei", "353456789012345"));
        var expiry = DateTimeOffset.FromUnixTimeMilliseconds(now).AddDays(10);
        await RunAsync("setExpiry", async () =>
        {
            await page.FillAsync("#bulk-expiry-time", expiry.ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture));
            await page.SelectOptionAsync("#bulk-expiry-action", "suspend");
        });
        await RunAsync("protectionOff");

        foreach (var id in new[] { a, b })
        {
            var sim = await api.GetOkAsync($"/v1/sims/{id}");
            sim["speedClass"]!.GetValue<string>().ShouldBe("s1.fast");
            sim["groupId"]!.GetValue<string>().ShouldBe(groupId);
            sim["imeiLock"]!["imei"]!.GetValue<string>().ShouldBe("353456789012345");
            sim["expiryAction"]!.GetValue<string>().ShouldBe("suspend");
            sim["expiryTime"]!.GetValue<long>().ShouldBe(expiry.ToUnixTimeMilliseconds() / 60000 * 60000);
            sim["terminationEnabled"]!.GetValue<bool>().ShouldBeTrue();
        }

        await Assertions.Expect(page.SimRow(a)).ToContainTextAsync("fleet-param");
        await RunAsync("unsetGroup");
        await RunAsync("unsetImeiLock");
        await RunAsync("unsetExpiry");
        await RunAsync("protectionOn");
        foreach (var id in new[] { a, b })
        {
            var sim = await api.GetOkAsync($"/v1/sims/{id}");
            sim["groupId"].ShouldBeNull();
            sim["imeiLock"].ShouldBeNull();
            sim["expiryTime"].ShouldBeNull();
            sim["terminationEnabled"]!.GetValue<bool>().ShouldBeFalse();
        }
    }

    [Fact]
    public async Task BulkAction_WithMissingOrBadInput_ShowsTheProblem_AndChangesNothing()
    {
        var op = await server.SignUpAsync();
        using var api = op.Api(server.Endpoint);
        var (simId, _) = await api.CreateSimAsync("bad-input");

        var page = await server.OpenConsoleAsync();
        await page.SignInToSimsAsync(op);
        await page.SimRow(simId).Locator("input.select-sim").CheckAsync();

        // No expiry time entered: refused in the dialog, no call made.
        await page.SelectOptionAsync("#bulk-action", "setExpiry");
        await page.ClickAsync("#bulk-apply");
        await page.ClickAsync("#bulk-run");
        await Assertions.Expect(page.Locator("#bulk-dialog [role=alert]")).ToHaveTextAsync("Enter the expiry time.");
        await Assertions.Expect(page.Locator("#bulk-run")).ToBeEnabledAsync();
        await page.CloseDialogAsync("bulk");

        // A malformed IMEI: the server's code and message for the SIM.
        await page.SimRow(simId).Locator("input.select-sim").CheckAsync();
        await page.SelectOptionAsync("#bulk-action", "setImeiLock");
        await page.ClickAsync("#bulk-apply");
        await page.FillAsync("#bulk-imei", "12345");
        await page.ClickAsync("#bulk-run");
        var result = page.Locator($"#bulk-results tr[data-sim-id='{simId}'] [data-result]");
        await Assertions.Expect(result).ToHaveAttributeAsync("data-code", "SEM0008");
        await Assertions.Expect(result).ToContainTextAsync("The IMEI is malformed");
        await page.CloseDialogAsync("bulk");

        var sim = await api.GetOkAsync($"/v1/sims/{simId}");
        sim["imeiLock"].ShouldBeNull();
        sim["expiryTime"].ShouldBeNull();
    }

    [Fact]
    public async Task Filters_BySearchStatusGroupTagAndHideTerminated()
    {
        var op = await server.SignUpAsync();
        using var api = op.Api(server.Endpoint);
        var (alpha, _) = await api.CreateSimAsync("alpha-one");
        var (beta, betaImsi) = await api.CreateSimAsync("beta-two");
        var (gamma, _) = await api.CreateSimAsync("gamma-three");
        var group = await api.SendAsync(HttpMethod.Post, "/v1/groups", new { tags = new { name = "fleet-a" } }, HttpStatusCode.Created);
        var groupId = group!["groupId"]!.GetValue<string>();
        await api.PostOkAsync($"/v1/sims/{alpha}/activate");
        await api.PostOkAsync($"/v1/sims/{alpha}/set_group", new { groupId });
        await api.SendAsync(HttpMethod.Put, $"/v1/sims/{alpha}/tags", new[] { new { tagName = "env", tagValue = "prod" } });
        await api.PostOkAsync($"/v1/sims/{beta}/deactivate");
        await api.TerminateAsync(gamma);

        var page = await server.OpenConsoleAsync();
        await page.SignInToSimsAsync(op);
        await Assertions.Expect(page.SimRows()).ToHaveCountAsync(3);

        async Task ExpectRowsAsync(params string[] ids)
        {
            await Assertions.Expect(page.SimRows()).ToHaveCountAsync(ids.Length);
            foreach (var id in ids)
            {
                await Assertions.Expect(page.SimRow(id)).ToBeVisibleAsync();
            }
        }

        await page.FillAsync("#sims-search", "ALPHA");
        await page.ClickAsync("#sims-search-submit");
        await ExpectRowsAsync(alpha);
        await page.ClickAsync("#sims-filter-clear");
        await ExpectRowsAsync(alpha, beta, gamma);

        // "active" must not also find the inactive SIM (the query API matches statuses partially).
        await page.SelectOptionAsync("#sims-filter-status", "active");
        await ExpectRowsAsync(alpha);
        await page.SelectOptionAsync("#sims-filter-status", "inactive");
        await ExpectRowsAsync(beta);
        await page.SelectOptionAsync("#sims-filter-status", "");
        await ExpectRowsAsync(alpha, beta, gamma);

        await page.SelectOptionAsync("#sims-filter-group", groupId);
        await ExpectRowsAsync(alpha);
        await Assertions.Expect(page.SimRow(alpha)).ToContainTextAsync("fleet-a");
        await page.ClickAsync("#sims-filter-clear");
        await ExpectRowsAsync(alpha, beta, gamma);

        await page.FillAsync("#sims-filter-tag", "prod");
        await page.ClickAsync("#sims-search-submit");
        await ExpectRowsAsync(alpha);
        await page.ClickAsync("#sims-filter-clear");

        await page.Locator("#sims-hide-terminated").CheckAsync();
        await ExpectRowsAsync(alpha, beta);

        await page.SelectOptionAsync("#sims-search-by", "imsi");
        await page.FillAsync("#sims-search", betaImsi[^8..]);
        await page.ClickAsync("#sims-search-submit");
        await ExpectRowsAsync(beta);

        await page.SelectOptionAsync("#sims-search-by", "sim_id");
        await page.FillAsync("#sims-search", gamma);
        await page.ClickAsync("#sims-search-submit");
        await Assertions.Expect(page.Locator("#sims-empty")).ToHaveTextAsync("No SIMs match.");
        await page.Locator("#sims-hide-terminated").UncheckAsync();
        await ExpectRowsAsync(gamma);

        // A one-character value is refused before any request.
        await page.FillAsync("#sims-search", "x");
        await page.ClickAsync("#sims-search-submit");
        await Assertions.Expect(page.Locator("#sims-message")).ToHaveTextAsync("A search value or tag must be at least 2 characters and must not contain a comma.");
        await ExpectRowsAsync(gamma);
    }

    [Fact]
    public async Task Paging_FollowsTheNextKey_ForwardAndBack()
    {
        var op = await server.SignUpAsync();
        using var api = op.Api(server.Endpoint);
        var ids = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            ids.Add((await api.CreateSimAsync($"page-{i:00}")).SimId);
        }

        ids.Sort(StringComparer.Ordinal);
        var page = await server.OpenConsoleAsync();
        await page.SignInToSimsAsync(op);
        await Assertions.Expect(page.SimRows()).ToHaveCountAsync(12);
        await Assertions.Expect(page.Locator("#sims-next")).ToBeDisabledAsync();

        await page.SelectOptionAsync("#sims-page-size", "10");
        await Assertions.Expect(page.SimRows()).ToHaveCountAsync(10);
        await Assertions.Expect(page.Locator("#sims-page")).ToHaveTextAsync("Page 1");
        await Assertions.Expect(page.Locator("#sims-prev")).ToBeDisabledAsync();
        await page.ClickAsync("#sims-next");
        await Assertions.Expect(page.SimRows()).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#sims-page")).ToHaveTextAsync("Page 2");
        await Assertions.Expect(page.SimRow(ids[10])).ToBeVisibleAsync();
        await Assertions.Expect(page.SimRow(ids[11])).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#sims-next")).ToBeDisabledAsync();
        await page.ClickAsync("#sims-prev");
        await Assertions.Expect(page.SimRows()).ToHaveCountAsync(10);
        await Assertions.Expect(page.SimRow(ids[0])).ToBeVisibleAsync();

        // Paging also follows the query API's key when a filter is set.
        await page.FillAsync("#sims-search", "page-");
        await page.ClickAsync("#sims-search-submit");
        await Assertions.Expect(page.Locator("#sims-page")).ToHaveTextAsync("Page 1");
        await page.ClickAsync("#sims-next");
        await Assertions.Expect(page.SimRows()).ToHaveCountAsync(2);
    }
}
