using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Simlane.Server.Tests.Infrastructure;

namespace Simlane.Server.Tests.Operations;

/// <summary>
/// What the real server process writes (docs/operations.md, "Logs"): the start-up line naming where the API, the console,
/// the docs and the health endpoints are, one request line per request in the default format, and the same as structured
/// fields with <c>SIMLANE_LOG_FORMAT=json</c>; a bad <c>Simlane:Health</c> setting stops it at start.
/// </summary>
public abstract class LogOutputTests(DatabaseKind kind) : FreshDatabaseTest(kind)
{
    private const string QuerySecret = "query-secret-b41e07";

    [Fact]
    public async Task TextFormat_StartupLineNamesTheUrls_OneRequestLinePerRequest()
    {
        using var server = await ServerProcess.StartAsync(Database.ConnectionString);
        var root = server.BaseAddress.GetLeftPart(UriPartial.Authority);
        var startup = await WaitForLineAsync(server, "info: Simlane.Startup[1] Simlane API at");
        startup.ShouldEndWith(
            $"Simlane API at {root}/v1, console at {root}/console/, API docs at {root}/docs (OpenAPI document {root}/openapi/v1.json), "
            + $"health at {root}/healthz (liveness) and {root}/healthz/ready (readiness)");
        using var http = new HttpClient();
        (await http.GetAsync(new Uri($"{root}/docs"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await http.GetAsync(new Uri($"{root}/openapi/v1.json"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await http.GetAsync(new Uri($"{root}/healthz/ready"))).StatusCode.ShouldBe(HttpStatusCode.OK);

        var op = await server.Client().SignUpAsync();
        var (simId, _) = await op.RegisterSimAsync();
        (await op.GetAsync($"/v1/sims/{simId}?token={QuerySecret}")).ShouldBe(HttpStatusCode.OK);

        var line = await WaitForLineAsync(server, "GET /v1/sims/{sim_id} 200");
        // The console logger writes in order: once a later request's line is out, a second line for the first would be too.
        (await op.GetAsync("/v1/sims")).ShouldBe(HttpStatusCode.OK);
        await WaitForLineAsync(server, "GET /v1/sims/ 200");
        line.ShouldMatch(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info: Simlane\.Requests\[1\] GET /v1/sims/\{sim_id\} 200 in \d+(\.\d)? ms, operator " + Regex.Escape(op.OperatorId!) + "$");
        Lines(server).Count(l => l.Contains("Simlane.Requests[1] GET /v1/sims/{sim_id} ", StringComparison.Ordinal)).ShouldBe(1);
        // ASP.NET's own per-request lines stay off: one line per request, not three.
        server.Output().ShouldNotContain("Microsoft.AspNetCore.Hosting.Diagnostics");
        server.Output().ShouldNotContain(QuerySecret);
        server.Output().ShouldNotContain(op.Token!);
        Lines(server).Where(l => l.Contains("Simlane.Requests", StringComparison.Ordinal)).ShouldAllBe(l => !l.Contains(simId));
        // Health probes are at Debug: not in the default log.
        Lines(server).ShouldAllBe(l => !l.Contains("/healthz", StringComparison.Ordinal) || l.Contains("Simlane.Startup", StringComparison.Ordinal));
    }

    [Fact]
    public async Task JsonFormat_RequestAndStartupFieldsAreProperties()
    {
        using var server = await ServerProcess.StartAsync(Database.ConnectionString, new Dictionary<string, string> { ["SIMLANE_LOG_FORMAT"] = "json" });
        var root = server.BaseAddress.GetLeftPart(UriPartial.Authority);
        var op = await server.Client().SignUpAsync();
        var (simId, _) = await op.RegisterSimAsync();
        (await op.GetAsync($"/v1/sims/{simId}?token={QuerySecret}")).ShouldBe(HttpStatusCode.OK);

        await WaitForLineAsync(server, "\"Route\":\"/v1/sims/{sim_id}\"");
        var events = Lines(server).Where(l => l.StartsWith('{')).Select(l => JsonNode.Parse(l)!).ToList();
        var request = events.Single(e => e["Category"]!.GetValue<string>() == "Simlane.Requests" && e["State"]!["Route"]!.GetValue<string>() == "/v1/sims/{sim_id}");
        request["LogLevel"]!.GetValue<string>().ShouldBe("Information");
        var state = request["State"]!;
        state["Method"]!.GetValue<string>().ShouldBe("GET");
        state["StatusCode"]!.GetValue<int>().ShouldBe(200);
        state["DurationMs"]!.GetValue<double>().ShouldBeGreaterThanOrEqualTo(0);
        state["OperatorId"]!.GetValue<string>().ShouldBe(op.OperatorId);
        request.ToJsonString().ShouldNotContain(simId);

        var startup = events.Single(e => e["Category"]!.GetValue<string>() == "Simlane.Startup")["State"]!;
        startup["Api"]!.GetValue<string>().ShouldBe($"{root}/v1");
        startup["Console"]!.GetValue<string>().ShouldBe($"{root}/console/");
        startup["Docs"]!.GetValue<string>().ShouldBe($"{root}/docs");
        startup["OpenApi"]!.GetValue<string>().ShouldBe($"{root}/openapi/v1.json");
        startup["Readiness"]!.GetValue<string>().ShouldBe($"{root}/healthz/ready");
        server.Output().ShouldNotContain(QuerySecret);
    }

    [Fact]
    public async Task BadHealthSetting_StopsTheServerAtStartNamingIt()
    {
        var failure = await ServerProcess.StartFailureAsync(Database.ConnectionString, new Dictionary<string, string> { ["Simlane__Health__MaxOutboxBacklog"] = "0" });

        failure.ShouldContain("Simlane:Health:MaxOutboxBacklog must be a whole number of events between 1 and 100000000, not 0");
    }

    private static string[] Lines(ServerProcess server) => server.Output().Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The first line holding <paramref name="text"/>, waiting (bounded) for the console logger to write it.</summary>
    private static async Task<string> WaitForLineAsync(ServerProcess server, string text)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var line = Lines(server).FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal));
            if (line is not null)
            {
                return line;
            }

            waited.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30), $"no line with '{text}':\n{server.Output()}");
            await Task.Delay(20);
        }
    }
}

public sealed class LogOutputTests_Sqlite() : LogOutputTests(DatabaseKind.Sqlite);

public sealed class LogOutputTests_Postgres() : LogOutputTests(DatabaseKind.Postgres);
