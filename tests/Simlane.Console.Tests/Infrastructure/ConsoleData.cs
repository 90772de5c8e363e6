using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Simlane.Console.Tests.Infrastructure;

/// <summary>Test data through the public API (SIMs, traffic, groups, the sandbox clock) and the console's sign-in.</summary>
public static class ConsoleData
{
    /// <summary>A sandbox SIM registered to the caller (see <see cref="SimsData.CreateSimAsync"/>): its primary IMSI and SIM ID.</summary>
    public static async Task<(string Imsi, string SimId)> CreateRegisteredSimAsync(this HttpClient api)
    {
        var (simId, imsi) = await api.CreateSimAsync("console-sim");
        return (imsi, simId);
    }

    /// <summary>The sandbox clock, epoch milliseconds.</summary>
    public static async Task<long> NowAsync(this HttpClient api) =>
        (await ReadAsync(await api.GetAsync("/v1/sandbox/clock"), HttpStatusCode.OK))["now"]!.GetValue<long>();

    /// <summary>
    /// Adds <paramref name="bytes"/> of download traffic for the IMSI at the sandbox clock's current second minus
    /// <paramref name="secondsBack"/> (one record per second per IMSI), then drains the engine (advance by 0).
    /// </summary>
    public static async Task PushTrafficAsync(this HttpClient api, string imsi, long bytes, int secondsBack = 0)
    {
        var unixtime = (await api.NowAsync() / 1000) - secondsBack;
        var pushed = await api.PostAsJsonAsync($"/v1/sandbox/stats/air/subscribers/{imsi}", new
        {
            unixtime,
            dataTrafficStatsMap = new Dictionary<string, object>
            {
                ["s1.standard"] = new { uploadByteSizeTotal = bytes / 4, downloadByteSizeTotal = bytes - (bytes / 4), uploadPacketSizeTotal = 10, downloadPacketSizeTotal = 20 },
            },
        });
        pushed.StatusCode.ShouldBe(HttpStatusCode.OK, await pushed.Content.ReadAsStringAsync());
        await api.AdvanceClockAsync(0);
    }

    /// <summary>Moves the sandbox clock forward; everything due has fired when this answers.</summary>
    public static async Task AdvanceClockAsync(this HttpClient api, int seconds) =>
        await ReadAsync(await api.PostAsJsonAsync("/v1/sandbox/clock", new { advanceSeconds = seconds }), HttpStatusCode.OK);

    /// <summary>A group named <paramref name="name"/> with the SIM in it (from the next second on); answers the group ID.</summary>
    public static async Task<string> CreateGroupWithAsync(this HttpClient api, string name, string simId)
    {
        var group = await ReadAsync(await api.PostAsJsonAsync("/v1/groups", new { tags = new { name } }), HttpStatusCode.Created);
        var groupId = group["groupId"]!.GetValue<string>();
        await ReadAsync(await api.PostAsJsonAsync($"/v1/sims/{simId}/set_group", new { groupId }), HttpStatusCode.OK);

        // Traffic counts toward the group the SIM was in at the record's time (whole seconds): let a second pass, so
        // traffic pushed "now" is after the join.
        await api.AdvanceClockAsync(1);
        return groupId;
    }

    public static async Task<JsonNode> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, text);
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }

    /// <summary>Signs in through the console's form and waits for the first screen.</summary>
    public static async Task SignInAsync(this IPage page, SandboxOperator op)
    {
        await page.FillAsync("#signin-id", op.Email);
        await page.FillAsync("#signin-secret", op.Password);
        await page.ClickAsync("#signin-submit");
        await Assertions.Expect(page.Locator("#nav")).ToBeVisibleAsync();
    }

    /// <summary>Goes to a hash route of the console.</summary>
    public static async Task GoAsync(this IPage page, string hash)
    {
        await page.EvaluateAsync("h => { location.hash = h; }", hash);
    }

    public static Task ScreenshotAsync(this IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(ConsoleServer.ScreenshotDirectory, $"{name}.png"), FullPage = true });
}

/// <summary>A real HTTP receiver on 127.0.0.1 for web request actions: answers 200 and counts the requests.</summary>
public sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener listener = new();
    private int count;

    public WebhookReceiver()
    {
        var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Url = $"http://127.0.0.1:{port}/hook/";
        listener.Prefixes.Add(Url);
        listener.Start();
        _ = Task.Run(LoopAsync);
    }

    public string Url { get; }

    public int Count => Volatile.Read(ref count);

    private async Task LoopAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            Interlocked.Increment(ref count);
            context.Response.StatusCode = 200;
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
    }
}
