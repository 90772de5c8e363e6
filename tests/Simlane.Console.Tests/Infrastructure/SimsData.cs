using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Simlane.Console.Tests.Infrastructure;

/// <summary>Test data through the public API (as SimHelpers does for the server tests), and signing in through the form.</summary>
public static class SimsData
{
    /// <summary>Sends a request and answers its JSON body, failing the test unless the status is <paramref name="expected"/>.</summary>
    public static async Task<JsonNode?> SendAsync(this HttpClient api, HttpMethod method, string path, object? body = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await api.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, $"{method} {path}: {text}");
        return text.Length == 0 ? null : JsonNode.Parse(text);
    }

    public static async Task<JsonNode> PostOkAsync(this HttpClient api, string path, object? body = null) =>
        (await api.SendAsync(HttpMethod.Post, path, body ?? new { }))!;

    public static async Task<JsonNode> GetOkAsync(this HttpClient api, string path) =>
        (await api.SendAsync(HttpMethod.Get, path))!;

    /// <summary>Creates a sandbox SIM and registers it with the name tag <paramref name="name"/>; answers its SIM ID and IMSI.</summary>
    public static async Task<(string SimId, string Imsi)> CreateSimAsync(this HttpClient api, string name, string subscription = "plan01s")
    {
        var created = await api.PostOkAsync("/v1/sandbox/subscribers/create", new { subscription });
        var imsi = created["imsi"]!.GetValue<string>();
        var registered = await api.SendAsync(HttpMethod.Post, $"/v1/subscribers/{imsi}/register",
            new { registrationSecret = created["registrationSecret"]!.GetValue<string>(), tags = new Dictionary<string, string> { ["name"] = name } },
            HttpStatusCode.Created);
        return (registered!["simId"]!.GetValue<string>(), imsi);
    }

    /// <summary>Turns protection off (enable_termination) and terminates the SIM through the API.</summary>
    public static async Task TerminateAsync(this HttpClient api, string simId)
    {
        await api.PostOkAsync($"/v1/sims/{simId}/enable_termination");
        (await api.PostOkAsync($"/v1/sims/{simId}/terminate"))["status"]!.GetValue<string>().ShouldBe("terminated");
    }

    public static async Task<string> StatusAsync(this HttpClient api, string simId) =>
        (await api.GetOkAsync($"/v1/sims/{simId}"))["status"]!.GetValue<string>();

    /// <summary>Signs in through the console's form with email and password and waits for SIM management's table.</summary>
    public static async Task SignInToSimsAsync(this IPage page, SandboxOperator op)
    {
        await page.FillAsync("#signin-id", op.Email);
        await page.FillAsync("#signin-secret", op.Password);
        await page.ClickAsync("#signin-submit");
        await Assertions.Expect(page.Locator("#sims-table")).ToBeVisibleAsync();
        await page.ListLoadedAsync();
    }

    /// <summary>Waits until SIM management's list is not loading (aria-busy unset).</summary>
    public static Task ListLoadedAsync(this IPage page) => Assertions.Expect(page.Locator("#sims-table[aria-busy]")).ToHaveCountAsync(0);

    /// <summary>Closes the bulk or terminate dialog with its Close button and waits for the list to reload.</summary>
    public static async Task CloseDialogAsync(this IPage page, string dialog)
    {
        await page.ClickAsync($"#{dialog}-close");
        await Assertions.Expect(page.Locator($"#{dialog}-dialog")).ToHaveCountAsync(0);
        await page.ListLoadedAsync();
    }

    /// <summary>The list's row of one SIM.</summary>
    public static ILocator SimRow(this IPage page, string simId) => page.Locator($"#sims-table tr[data-sim-id='{simId}']");

    /// <summary>All SIM rows of the list.</summary>
    public static ILocator SimRows(this IPage page) => page.Locator("#sims-table tbody tr[data-sim-id]");

    public static Task SaveScreenshotAsync(this IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(ConsoleServer.ScreenshotDirectory, name), FullPage = true });
}
