using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Simlane.TestSupport;

namespace Simlane.Console.Tests.Infrastructure;

/// <summary>
/// A real Simlane server for the browser (<see cref="LoopbackServer"/>: on 127.0.0.1, sandbox mode, fresh SQLite, real
/// clock) with Chromium (Debian's /usr/bin/chromium, headless) driven by Playwright. Shared by the tests of one class;
/// tests isolate themselves by signing up their own operators.
/// </summary>
public sealed class ConsoleServer : LoopbackServer
{
    private Microsoft.Playwright.IPlaywright? playwright;

    public Microsoft.Playwright.IBrowser Browser { get; private set; } = null!;

    /// <summary>Where the tests write their screenshots (the artifacts of issue 8): SIMLANE_SCREENSHOTS, else artifacts/screenshots in the repository.</summary>
    public static string ScreenshotDirectory { get; } = Environment.GetEnvironmentVariable("SIMLANE_SCREENSHOTS") is { Length: > 0 } dir
        ? dir
        : Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "artifacts", "screenshots"));

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await AwayFromDayEndAsync();
        playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    public override async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        playwright?.Dispose();
        await base.DisposeAsync();
    }

    /// <summary>A new browser page (its own context: no shared storage) at the console, in <paramref name="language"/>.</summary>
    public async Task<Microsoft.Playwright.IPage> OpenConsoleAsync(string language = "en")
    {
        var context = await Browser.NewContextAsync(new() { BaseURL = Endpoint, Locale = language == "ja" ? "ja-JP" : "en-GB", ViewportSize = new() { Width = 1400, Height = 900 } });
        await context.AddInitScriptAsync($"if (!localStorage.getItem('simlane.lang')) localStorage.setItem('simlane.lang', '{language}')");
        var page = await context.NewPageAsync();
        await page.GotoAsync("/console/");
        return page;
    }

    /// <summary>
    /// The server runs on the real clock (plus the sandbox offset). Tests read "today's" and "this month's" totals
    /// and move the clock by an hour, so within two hours of the end of a UTC day (or month) the sandbox clock is
    /// first moved to 00:30 of the next day.
    /// </summary>
    private async Task AwayFromDayEndAsync()
    {
        var op = await SignUpAsync();
        using var api = op.Api(Endpoint);
        var now = JsonNode.Parse(await api.GetStringAsync("/v1/sandbox/clock"))!["now"]!.GetValue<long>();
        const long day = 86_400_000;
        var nextDay = now - (now % day) + day;
        if (nextDay - now < 2 * 3_600_000)
        {
            var moved = await api.PostAsJsonAsync("/v1/sandbox/clock", new { now = nextDay + (30 * 60_000) });
            moved.StatusCode.ShouldBe(HttpStatusCode.OK, await moved.Content.ReadAsStringAsync());
        }
    }

    /// <summary>Signs up a sandbox operator through the API; answers its email, password and API credentials.</summary>
    public async Task<SandboxOperator> SignUpAsync()
    {
        using var http = new HttpClient { BaseAddress = new Uri(Endpoint) };
        var email = $"console-{Guid.NewGuid():N}@example.com";
        const string password = "p@ssw0rd-Console-1";
        var init = await http.PostAsJsonAsync("/v1/sandbox/init", new { email, password, authKeyId = "keyId-console", authKey = "secret-console", coverageTypes = new[] { "jp" } });
        init.StatusCode.ShouldBe(HttpStatusCode.Created, await init.Content.ReadAsStringAsync());
        var body = JsonNode.Parse(await init.Content.ReadAsStringAsync())!;
        return new SandboxOperator(email, password, body["operatorId"]!.GetValue<string>(), body["apiKey"]!.GetValue<string>(), body["token"]!.GetValue<string>());
    }
}

/// <summary>A sandbox operator: what the console's sign-in form needs, and API credentials for setting up test data.</summary>
public sealed record SandboxOperator(string Email, string Password, string OperatorId, string ApiKey, string Token)
{
    /// <summary>An API client signed in as this operator.</summary>
    public HttpClient Api(string endpoint)
    {
        var http = new HttpClient { BaseAddress = new Uri(endpoint) };
        http.DefaultRequestHeaders.Add("X-Soracom-API-Key", ApiKey);
        http.DefaultRequestHeaders.Add("X-Soracom-Token", Token);
        return http;
    }
}
