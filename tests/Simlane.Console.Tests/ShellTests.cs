using Microsoft.Playwright;
using Simlane.Console.Tests.Infrastructure;

namespace Simlane.Console.Tests;

/// <summary>The console's shell: sign-in, the language switch (remembered), the sandbox clock.</summary>
public sealed class ShellTests(ConsoleServer server) : IClassFixture<ConsoleServer>
{
    [Theory]
    [InlineData("en", "Sign in", "SIM management")]
    [InlineData("ja", "ログイン", "SIM 管理")]
    public async Task SignIn_WithEmailAndPassword_OpensSimManagement_InTheChosenLanguage(string language, string signIn, string title)
    {
        var op = await server.SignUpAsync();
        var page = await server.OpenConsoleAsync(language);
        await Assertions.Expect(page.Locator("#signin-form h1")).ToHaveTextAsync(signIn);
        await page.FillAsync("#signin-id", op.Email);
        await page.FillAsync("#signin-secret", op.Password);
        await page.ClickAsync("#signin-submit");
        await Assertions.Expect(page.Locator("main h1")).ToHaveTextAsync(title);
        (await page.EvaluateAsync<string>("document.documentElement.lang")).ShouldBe(language);
        await page.ScreenshotAsync(new() { Path = Path.Combine(ConsoleServer.ScreenshotDirectory, $"signed-in-{language}.png") });
    }

    [Fact]
    public async Task SignIn_WithWrongPassword_ShowsTheError_AndStays()
    {
        var op = await server.SignUpAsync();
        var page = await server.OpenConsoleAsync();
        await page.FillAsync("#signin-id", op.Email);
        await page.FillAsync("#signin-secret", "wrong-password");
        await page.ClickAsync("#signin-submit");
        await Assertions.Expect(page.Locator("#signin-error")).ToContainTextAsync("The credentials were not accepted.");
        page.Url.ShouldEndWith("#/signin");
    }

    [Fact]
    public async Task SignIn_WithAnAuthKey_Works_AndTheLanguageSwitchIsRemembered()
    {
        var op = await server.SignUpAsync();
        using var api = op.Api(server.Endpoint);
        var key = System.Text.Json.Nodes.JsonNode.Parse(await (await api.PostAsync($"/v1/operators/{op.OperatorId}/auth_keys", null)).Content.ReadAsStringAsync())!;
        var page = await server.OpenConsoleAsync();
        await page.SelectOptionAsync("#signin-method", "authkey");
        await Assertions.Expect(page.Locator("label[for=signin-id]")).ToHaveTextAsync("Auth key ID");

        await page.SelectOptionAsync("#language", "ja");
        await Assertions.Expect(page.Locator("#signin-form h1")).ToHaveTextAsync("ログイン");
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#signin-form h1")).ToHaveTextAsync("ログイン");
        (await page.EvaluateAsync<string>("localStorage.getItem('simlane.lang')")).ShouldBe("ja");

        await page.SelectOptionAsync("#signin-method", "authkey");
        await page.FillAsync("#signin-id", key["authKeyId"]!.GetValue<string>());
        await page.FillAsync("#signin-secret", key["authKey"]!.GetValue<string>());
        await page.ClickAsync("#signin-submit");
        await Assertions.Expect(page.Locator("main h1")).ToHaveTextAsync("SIM 管理");
    }
}
