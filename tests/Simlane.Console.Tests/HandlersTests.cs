using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Simlane.Console.Tests.Infrastructure;
using Simlane.Core.Handlers;
using Simlane.Core.Sims;

namespace Simlane.Console.Tests;

/// <summary>
/// Event handlers in the console (issue 8, part 4): create through the form, the firing and delivery history after
/// sandbox traffic, retry, the per-rule form, server validation errors, the dry run, ignores, edit and delete.
/// </summary>
public sealed class HandlersTests(ConsoleServer server) : IClassFixture<ConsoleServer>
{
    [Theory]
    [InlineData("en", "Event handlers", "Failed", "Succeeded", "Daily traffic of a subscriber")]
    [InlineData("ja", "イベントハンドラー", "失敗", "成功", "IMSI の日次通信量")]
    public async Task DailyTrafficHandler_CreatedThroughTheForm_FiresOnSandboxTraffic_AndTheHistoryShowsEachAction(
        string language, string title, string failed, string succeeded, string ruleLabel)
    {
        var op = await server.SignUpAsync();
        using var api = op.Api(server.Endpoint);
        var (imsi, simId) = await api.CreateRegisteredSimAsync();
        using var hook = new WebhookReceiver();
        var page = await server.OpenConsoleAsync(language);
        await page.SignInAsync(op);

        await page.GoAsync("#/handlers");
        await Assertions.Expect(page.Locator("main h1")).ToHaveTextAsync(title);
        await page.ClickAsync("#handlers-new");
        await page.FillAsync("#handler-name", $"Daily 1 MiB ({language})");
        await page.SelectOptionAsync("#rule-type", RuleCatalogue.SubscriberDailyTraffic);
        await page.FillAsync("#rule-limitTotalTrafficMegaByte", "1");
        await page.SelectOptionAsync("#rule-timeout", "BEGINNING_OF_NEXT_DAY");
        await page.FillAsync("#rule-offset", "5");
        await page.SelectOptionAsync("#target-kind", "imsi");
        await page.FillAsync("#target-id", imsi);

        // Action 1: mail to the operator (this server has no SMTP: fails, so it can be retried).
        await page.SelectOptionAsync("#action-0-type", ActionCatalogue.SendMailToOperator);
        await page.FillAsync("#action-0-title", "Traffic alert");
        await page.FillAsync("#action-0-message", "IMSI ${imsi} passed 1 MiB on ${date}");
        // Action 2: a web request to a real receiver on 127.0.0.1 (allowed in sandbox mode).
        await page.ClickAsync("#add-action");
        await page.SelectOptionAsync("#action-1-type", ActionCatalogue.ExecuteWebRequest);
        await page.FillAsync("#action-1-url", hook.Url);
        await page.FillAsync("#action-1-body", "{\"imsi\":\"${imsi}\"}");
        await page.ScreenshotAsync($"handler-form-{language}");
        await page.ClickAsync("#handler-save");

        await Assertions.Expect(page.Locator("#handler-history")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#no-executions")).ToBeVisibleAsync();
        var handlerId = Uri.UnescapeDataString(page.Url[(page.Url.LastIndexOf('/') + 1)..]);
        var stored = await ConsoleData.ReadAsync(await api.GetAsync($"/v1/event_handlers/{handlerId}"), HttpStatusCode.OK);
        stored["targetImsi"]!.GetValue<string>().ShouldBe(imsi);
        stored["ruleConfig"]!["properties"]!.ToJsonString().ShouldBe("""{"inactiveTimeoutDateConst":"BEGINNING_OF_NEXT_DAY","inactiveTimeoutOffsetMinutes":"5","limitTotalTrafficMegaByte":"1"}""");
        stored["actionConfigList"]!.AsArray().Count.ShouldBe(2);

        // 2 MiB today crosses the 1 MiB threshold: the page (refreshing itself) shows the firing and its actions.
        await api.PushTrafficAsync(imsi, 2 * 1024 * 1024);
        var firing = page.Locator(".execution");
        await Assertions.Expect(firing).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        await Assertions.Expect(firing.Locator(".execution-head")).ToContainTextAsync(imsi);
        await Assertions.Expect(firing.Locator(".execution-head")).ToContainTextAsync(simId);
        await Assertions.Expect(firing.Locator(".observed")).ToContainTextAsync("2097152");
        var mail = firing.Locator("tr[data-action-index='0']");
        var web = firing.Locator("tr[data-action-index='1']");
        await Assertions.Expect(mail.Locator(".state")).ToHaveTextAsync(failed, new() { Timeout = 20_000 });
        await Assertions.Expect(mail.Locator(".last-error")).ToContainTextAsync("not configured");
        await Assertions.Expect(web.Locator(".state")).ToHaveTextAsync(succeeded, new() { Timeout = 20_000 });
        await Assertions.Expect(web.Locator(".http-status")).ToHaveTextAsync("200");
        await Assertions.Expect(web.Locator("button.retry")).ToHaveCountAsync(0);
        hook.Count.ShouldBe(1);
        await page.ScreenshotAsync($"handler-history-{language}");

        // Retry the failed mail: attempted again (and fails again, still no SMTP).
        await Assertions.Expect(mail.Locator(".attempts")).ToHaveTextAsync("1");
        await mail.Locator("button.retry").ClickAsync();
        await Assertions.Expect(mail.Locator(".attempts")).ToHaveTextAsync("2", new() { Timeout = 20_000 });
        await Assertions.Expect(mail.Locator(".state")).ToHaveTextAsync(failed, new() { Timeout = 20_000 });

        // The list: name, status, target, rule type, number of actions, with a link to the handler.
        await page.ClickAsync("text=← ");
        var row = page.Locator($"#handlers-table tr[data-handler-id='{handlerId}']");
        await Assertions.Expect(row).ToContainTextAsync($"Daily 1 MiB ({language})");
        await Assertions.Expect(row).ToContainTextAsync(imsi);
        await Assertions.Expect(row).ToContainTextAsync(ruleLabel);
        await Assertions.Expect(row.Locator("td.num")).ToHaveTextAsync("2");
        await page.ScreenshotAsync($"handler-list-{language}");
        await row.Locator("a").ClickAsync();
        await Assertions.Expect(page.Locator("#handler-title")).ToHaveTextAsync($"Daily 1 MiB ({language})");
    }

    [Fact]
    public async Task TheForm_OffersOnlyWhatEachRuleAllows()
    {
        var op = await server.SignUpAsync();
        var page = await server.OpenConsoleAsync();
        await page.SignInAsync(op);
        await page.GoAsync("#/handlers/new");

        await page.SelectOptionAsync("#rule-type", RuleCatalogue.SubscriberDailyTraffic);
        (await Options(page, "#rule-timeout")).ShouldBe(["BEGINNING_OF_NEXT_MONTH", "BEGINNING_OF_NEXT_DAY", "AFTER_ONE_DAY", "NEVER"]);
        (await Options(page, "#target-kind")).ShouldBe(["imsi", "sim", "group", "operator"]);
        await Assertions.Expect(page.Locator("#rule-offset")).ToBeVisibleAsync();
        await page.SelectOptionAsync("#rule-timeout", "NEVER");
        await Assertions.Expect(page.Locator("#rule-offset")).ToHaveCountAsync(0);

        await page.SelectOptionAsync("#rule-type", RuleCatalogue.SubscriberFirstTraffic);
        (await Options(page, "#rule-timeout")).ShouldBe(["NEVER"]);
        await Assertions.Expect(page.Locator("#rule-offset")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#rule-limitTotalTrafficMegaByte")).ToHaveCountAsync(0);
        await page.ScreenshotAsync("handler-form-first-traffic-en");

        await page.SelectOptionAsync("#rule-type", RuleCatalogue.SimDailyTotalTraffic);
        (await Options(page, "#target-kind")).ShouldBe(["sim", "group", "operator"]);
        await Assertions.Expect(page.Locator("#rule-runOnceAmongTarget")).ToBeVisibleAsync();

        await page.SelectOptionAsync("#rule-type", RuleCatalogue.MonthlyCharge);
        (await Options(page, "#target-kind")).ShouldBe(["operator"]);
        (await Options(page, "#rule-timeout")).ShouldBe(Timings.All.ToArray());
        await Assertions.Expect(page.Locator("#target-id")).ToHaveValueAsync(op.OperatorId);
        await Assertions.Expect(page.Locator("#rule-limitTotalAmount")).ToBeVisibleAsync();

        await page.SelectOptionAsync("#rule-type", RuleCatalogue.SimSpeedClassAttribute);
        (await Options(page, "#rule-targetSpeedClass")).ShouldBe(["", .. SpeedClasses.Requestable]);

        // ImeiLockAction only with SubscriberSessionStatusRule and hasImei.
        await page.SelectOptionAsync("#rule-type", RuleCatalogue.SubscriberSessionStatus);
        (await Options(page, "#rule-sessionStatus")).ShouldBe(["Created", "Deleted"]);
        (await Options(page, "#action-0-type")).ShouldNotContain(ActionCatalogue.ImeiLock);
        await page.CheckAsync("#rule-hasImei");
        (await Options(page, "#action-0-type")).ShouldContain(ActionCatalogue.ImeiLock);

        // Each action's timing; no offset with NEVER; type-specific fields; 1 to 5 actions.
        await page.SelectOptionAsync("#action-0-type", ActionCatalogue.ExecuteWebRequest);
        await Assertions.Expect(page.Locator("#action-0-body")).ToBeVisibleAsync();
        await page.SelectOptionAsync("#action-0-httpMethod", "GET");
        await Assertions.Expect(page.Locator("#action-0-body")).ToHaveCountAsync(0);
        await page.SelectOptionAsync("#action-0-timing", "NEVER");
        await Assertions.Expect(page.Locator("#action-0-offset")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("fieldset.action .remove-action")).ToBeDisabledAsync();
        for (var i = 1; i < 5; i++)
        {
            await page.ClickAsync("#add-action");
        }

        await Assertions.Expect(page.Locator("fieldset.action")).ToHaveCountAsync(5);
        await Assertions.Expect(page.Locator("#add-action")).ToBeDisabledAsync();
    }

    [Fact]
    public async Task TheConsolesCatalogue_AgreesWithTheServers()
    {
        var op = await server.SignUpAsync();
        var page = await server.OpenConsoleAsync();
        await page.SignInAsync(op);
        var json = await page.EvaluateAsync<string>("import('/console/pages/handler-edit.js').then(async m => { await m.loadCatalogue(); return JSON.stringify({ rules: m.RULES, actions: m.ACTIONS, timings: m.TIMINGS, speeds: m.SPEED_CLASSES, max: m.MAX_ACTIONS }); })");
        var console = JsonNode.Parse(json)!;

        console["timings"]!.AsArray().Select(n => n!.GetValue<string>()).ShouldBe(Timings.All);
        console["speeds"]!.AsArray().Select(n => n!.GetValue<string>()).ShouldBe(SpeedClasses.Requestable);
        console["max"]!.GetValue<int>().ShouldBe(new HandlerLimits().MaxActions);
        var rules = console["rules"]!.AsObject();
        rules.Select(r => r.Key).ShouldBe(RuleCatalogue.Types.Keys, ignoreOrder: true);
        foreach (var (name, spec) in RuleCatalogue.Types)
        {
            var rule = rules[name]!;
            Strings(rule["required"]).ShouldBe(spec.Required, ignoreOrder: true, customMessage: name);
            Strings(rule["optional"]).ShouldBe(spec.Optional, ignoreOrder: true, customMessage: name);
            Strings(rule["timeouts"]).ShouldBe(spec.Timeouts, customMessage: name);
            Strings(rule["targets"]).ShouldBe(spec.Targets.Select(TargetKinds.Name), customMessage: name);
        }

        var actions = console["actions"]!.AsObject();
        actions.Select(a => a.Key).ShouldBe(ActionCatalogue.Types.Keys, ignoreOrder: true);
        foreach (var (name, spec) in ActionCatalogue.Types)
        {
            Strings(actions[name]!["required"]).ShouldBe(spec.Required, customMessage: name);
            Strings(actions[name]!["optional"]).ShouldBe(spec.Optional, customMessage: name);
        }
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ja")]
    public async Task ServerValidationErrors_AreShownNextToTheField_AndNothingIsCreated(string language)
    {
        var op = await server.SignUpAsync();
        using var api = op.Api(server.Endpoint);
        var (imsi, _) = await api.CreateRegisteredSimAsync();
        var page = await server.OpenConsoleAsync(language);
        await page.SignInAsync(op);
        await page.GoAsync("#/handlers/new");
        await page.FillAsync("#handler-name", "Bad threshold");
        await page.FillAsync("#rule-limitTotalTrafficMegaByte", "0");
        await page.FillAsync("#target-id", imsi);
        await page.FillAsync("#action-0-title", "t");
        await page.FillAsync("#action-0-message", "m");
        await page.ClickAsync("#handler-save");

        await Assertions.Expect(page.Locator("#handler-error")).ToContainTextAsync("EHM0003");
        var threshold = page.Locator("[data-path='ruleConfig.properties.limitTotalTrafficMegaByte']");
        await Assertions.Expect(threshold).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("invalid"));
        await Assertions.Expect(threshold.Locator(".field-error")).ToContainTextAsync("must be an integer from 1 to 2147483647");
        await page.ScreenshotAsync($"handler-form-error-{language}");

        // Fixed threshold, unknown IMSI: the error moves to the target.
        await page.FillAsync("#rule-limitTotalTrafficMegaByte", "10");
        await page.FillAsync("#target-id", "001019999999999");
        await page.ClickAsync("#handler-save");
        await Assertions.Expect(page.Locator("#handler-error")).ToContainTextAsync("EHM0006");
        await Assertions.Expect(threshold).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex("invalid"));
        await Assertions.Expect(page.Locator("[data-path='targetImsi'] .field-error")).ToContainTextAsync("001019999999999");

        // A missing mail subject names the action.
        await page.FillAsync("#target-id", imsi);
        await page.FillAsync("#action-0-title", "");
        await page.ClickAsync("#handler-save");
        await Assertions.Expect(page.Locator("[data-path='actionConfigList[0].properties.title'] .field-error")).ToContainTextAsync("is required");

        (await ConsoleData.ReadAsync(await api.GetAsync("/v1/event_handlers"), HttpStatusCode.OK)).AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task DryRun_ShowsTheUnitThatWouldFire_AndIgnoresShowInTheSavedHandlersDryRun()
    {
        var op = await server.SignUpAsync();
        using var api = op.Api(server.Endpoint);
        var (imsi, simId) = await api.CreateRegisteredSimAsync();
        var (quiet, _) = await api.CreateRegisteredSimAsync();
        await api.PushTrafficAsync(imsi, 3 * 1024 * 1024);
        await api.PushTrafficAsync(quiet, 1000);
        var page = await server.OpenConsoleAsync();
        await page.SignInAsync(op);
        await page.GoAsync("#/handlers/new");
        await page.FillAsync("#handler-name", "Dry");
        await page.SelectOptionAsync("#rule-type", RuleCatalogue.SimDailyTotalTraffic);
        await page.FillAsync("#rule-limitTotalTrafficMegaByte", "2");
        await page.SelectOptionAsync("#target-kind", "operator");
        await page.FillAsync("#action-0-title", "t");
        await page.FillAsync("#action-0-message", "m");
        await page.ClickAsync("#handler-dry-run");

        var units = page.Locator("#dry-run-result .dry-run-units tbody tr");
        await Assertions.Expect(units).ToHaveCountAsync(2);
        var firing = page.Locator("#dry-run-result tr[data-would-fire='true']");
        await Assertions.Expect(firing).ToHaveCountAsync(1);
        await Assertions.Expect(firing).ToContainTextAsync(simId);
        await Assertions.Expect(firing.Locator(".observed")).ToContainTextAsync("3145728");
        await Assertions.Expect(page.Locator("#dry-run-result .dry-run-summary")).ToHaveTextAsync("1 of 2 units would fire now.");
        await page.ScreenshotAsync("handler-dry-run-en");

        // An event rule cannot fire now.
        await page.SelectOptionAsync("#rule-type", RuleCatalogue.SimExpired);
        await page.ClickAsync("#handler-dry-run");
        await Assertions.Expect(page.Locator("#dry-run-not-evaluable")).ToBeVisibleAsync();

        // Saved (nothing fired: no traffic since), then ignored: the saved handler's dry run shows the IMSI ignored.
        await page.SelectOptionAsync("#rule-type", RuleCatalogue.SimDailyTotalTraffic);
        await page.FillAsync("#rule-limitTotalTrafficMegaByte", "2");
        await page.ClickAsync("#handler-save");
        await Assertions.Expect(page.Locator("#handler-ignores")).ToBeVisibleAsync();
        await page.FillAsync("#ignore-imsi", imsi);
        await page.FillAsync("#ignore-reason", "maintenance");
        await page.ClickAsync("#ignore-add");
        await Assertions.Expect(page.Locator("#ignore-result")).ToHaveTextAsync($"IMSI {imsi} is ignored by this handler.");
        await page.ClickAsync("#stored-dry-run-button");
        var row = page.Locator("#stored-dry-run tbody tr", new() { HasText = simId });
        await Assertions.Expect(row).ToHaveAttributeAsync("data-would-fire", "false");
        await Assertions.Expect(row.Locator("td").Last).ToHaveTextAsync("Yes");

        // An ignore in the past is refused by the server, and shown.
        await page.FillAsync("#ignore-until", "2001-01-01T00:00");
        await page.ClickAsync("#ignore-add");
        await Assertions.Expect(page.Locator("#ignore-result")).ToContainTextAsync("EHM0011");

        await page.ClickAsync("#ignore-remove");
        await Assertions.Expect(page.Locator("#ignore-result")).ToHaveTextAsync($"IMSI {imsi} is no longer ignored.");
        await page.ClickAsync("#ignore-remove");
        await Assertions.Expect(page.Locator("#ignore-result")).ToContainTextAsync("EHM0010");
        await page.ClickAsync("#stored-dry-run-button");
        await Assertions.Expect(row).ToHaveAttributeAsync("data-would-fire", "true");
    }

    [Fact]
    public async Task EditAndDelete()
    {
        var op = await server.SignUpAsync();
        using var api = op.Api(server.Endpoint);
        var (imsi, _) = await api.CreateRegisteredSimAsync();
        var created = await ConsoleData.ReadAsync(await api.PostAsync("/v1/event_handlers", JsonContent(new JsonObject
        {
            ["name"] = "Monthly 100",
            ["status"] = "active",
            ["targetImsi"] = imsi,
            ["ruleConfig"] = new JsonObject
            {
                ["type"] = "MonthlyTrafficRule", // a legacy name: answered as SubscriberMonthlyTrafficRule
                ["properties"] = new JsonObject { ["limitTotalTrafficMegaByte"] = 100, ["inactiveTimeoutDateConst"] = "BEGINNING_OF_NEXT_MONTH" },
            },
            ["actionConfigList"] = new JsonArray(
                new JsonObject { ["type"] = "ChangeSpeedClassAction", ["properties"] = new JsonObject { ["executionDateTimeConst"] = "IMMEDIATELY", ["speedClass"] = "s1.minimum" } },
                new JsonObject { ["type"] = "ChangeSpeedClassAction", ["properties"] = new JsonObject { ["executionDateTimeConst"] = "BEGINNING_OF_NEXT_MONTH", ["speedClass"] = "s1.fast" } }),
        })), HttpStatusCode.Created);
        var id = created["handlerId"]!.GetValue<string>();

        var page = await server.OpenConsoleAsync();
        await page.SignInAsync(op);
        await page.GoAsync($"#/handlers/{id}");
        await Assertions.Expect(page.Locator("#handler-name")).ToHaveValueAsync("Monthly 100");
        await Assertions.Expect(page.Locator("#rule-type")).ToHaveValueAsync(RuleCatalogue.SubscriberMonthlyTraffic);
        await Assertions.Expect(page.Locator("#rule-limitTotalTrafficMegaByte")).ToHaveValueAsync("100");
        await Assertions.Expect(page.Locator("#target-id")).ToHaveValueAsync(imsi);
        await Assertions.Expect(page.Locator("#action-1-timing")).ToHaveValueAsync("BEGINNING_OF_NEXT_MONTH");
        await Assertions.Expect(page.Locator("#action-1-speedClass")).ToHaveValueAsync("s1.fast");

        await page.FillAsync("#handler-name", "Monthly 200");
        await page.FillAsync("#rule-limitTotalTrafficMegaByte", "200");
        await page.SelectOptionAsync("#handler-status", "inactive");
        await page.Locator("fieldset.action[data-index='0'] .remove-action").ClickAsync();
        await page.ClickAsync("#handler-save");
        await Assertions.Expect(page.Locator("#handler-title")).ToHaveTextAsync("Monthly 200");
        var stored = await ConsoleData.ReadAsync(await api.GetAsync($"/v1/event_handlers/{id}"), HttpStatusCode.OK);
        stored["status"]!.GetValue<string>().ShouldBe("inactive");
        stored["ruleConfig"]!["properties"]!["limitTotalTrafficMegaByte"]!.GetValue<string>().ShouldBe("200");
        stored["actionConfigList"]!.AsArray().Single()!["properties"]!["speedClass"]!.GetValue<string>().ShouldBe("s1.fast");

        // Delete asks first; cancelling keeps the handler.
        await page.ClickAsync("#handler-delete");
        await Assertions.Expect(page.Locator("#confirm-dialog")).ToContainTextAsync("Monthly 200");
        await page.ClickAsync("#confirm-cancel");
        (await api.GetAsync($"/v1/event_handlers/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await page.ClickAsync("#handler-delete");
        await page.ClickAsync("#confirm-ok");
        await Assertions.Expect(page.Locator("#handlers-empty")).ToBeVisibleAsync();
        (await api.GetAsync($"/v1/event_handlers/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("handlers")]
    [InlineData("usage")]
    public async Task TheJapaneseAndEnglishFiles_HaveTheSameKeys_AndNameEveryRuleActionAndTiming(string area)
    {
        using var http = new HttpClient { BaseAddress = new Uri(server.Endpoint) };
        var en = (await ConsoleData.ReadAsync(await http.GetAsync($"/console/i18n/en/{area}.json"), HttpStatusCode.OK)).AsObject();
        var ja = (await ConsoleData.ReadAsync(await http.GetAsync($"/console/i18n/ja/{area}.json"), HttpStatusCode.OK)).AsObject();
        ja.Select(p => p.Key).ShouldBe(en.Select(p => p.Key), ignoreOrder: true);
        en.ShouldAllBe(p => p.Key.StartsWith(area + ".", StringComparison.Ordinal) && p.Value!.GetValue<string>().Length > 0);
        ja.ShouldAllBe(p => p.Value!.GetValue<string>().Length > 0);
        if (area == "handlers")
        {
            var keys = RuleCatalogue.Types.Keys.Select(r => $"handlers.rule.{r}")
                .Concat(ActionCatalogue.Types.Keys.Select(a => $"handlers.action.{a}"))
                .Concat(Timings.All.Select(v => $"handlers.timing.{v}"))
                .Concat(RuleCatalogue.Properties.Keys.Select(p => $"handlers.prop.{p}"))
                .Concat(ActionCatalogue.Properties.Keys.Select(p => $"handlers.prop.{p}"))
                .Concat(TargetKinds.All.Select(k => $"handlers.target.{TargetKinds.Name(k)}"))
                .Concat(new[] { "scheduled", "succeeded", "failed", "dead", "skipped" }.Select(s => $"handlers.deliveryState.{s}"));
            keys.Where(k => !en.ContainsKey(k)).ShouldBeEmpty();
        }
    }

    private static async Task<string[]> Options(IPage page, string select) =>
        [.. await page.Locator($"{select} option").EvaluateAllAsync<string[]>("os => os.map(o => o.value)")];

    private static string[] Strings(JsonNode? node) => [.. node!.AsArray().Select(n => n!.GetValue<string>())];

    private static StringContent JsonContent(JsonNode body) => new(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
}
