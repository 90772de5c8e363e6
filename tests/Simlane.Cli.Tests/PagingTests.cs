using Simlane.Cli.Tests.Infrastructure;

namespace Simlane.Cli.Tests;

/// <summary>Lists and flag values: --fetch-all follows x-soracom-next-key with last_evaluated_key, --jsonl prints one item per line, array flags repeat or take commas, body flags keep their JSON types.</summary>
public sealed class PagingTests(CliServer server) : IClassFixture<CliServer>, IDisposable
{
    private readonly CliRunner cli = new(server);

    public void Dispose() => cli.Dispose();

    [Fact]
    public async Task FetchAll_LimitOne_CollectsEveryPage()
    {
        await cli.SignUpAndConfigureAsync();
        var simIds = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            simIds.Add((await cli.NewSimAsync()).SimId);
        }

        (await cli.RunAsync("sims", "list", "--limit", "1")).ShouldSucceed().Array.Count.ShouldBe(1);

        cli.ClearRequests();
        var all = (await cli.RunAsync("sims", "list", "--limit", "1", "--fetch-all")).ShouldSucceed().Array;
        all.Select(s => s!["simId"]!.GetValue<string>()).Order(StringComparer.Ordinal).ShouldBe(simIds.Order(StringComparer.Ordinal));
        var pages = cli.Requests.Where(r => r.StartsWith("GET /v1/sims?", StringComparison.Ordinal)).ToList();
        pages.Count.ShouldBe(3, string.Join('\n', cli.Requests)); // the third page answers no next key
        pages[0].ShouldNotContain("last_evaluated_key");
        pages[1].ShouldContain("last_evaluated_key=");
        pages[2].ShouldContain("last_evaluated_key=");
    }

    [Fact]
    public async Task FetchAll_Jsonl_PrintsOneCompactItemPerLine()
    {
        await cli.SignUpAndConfigureAsync();
        var imsis = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            imsis.Add((await cli.NewSimAsync()).Imsi);
        }

        var run = (await cli.RunAsync("subscribers", "list", "--limit", "1", "--fetch-all", "--jsonl")).ShouldSucceed();
        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(2);
        lines.ShouldAllBe(l => l.StartsWith("{\"", StringComparison.Ordinal) && !l.Contains('\n', StringComparison.Ordinal));
        lines.Select(l => System.Text.Json.Nodes.JsonNode.Parse(l)!["imsi"]!.GetValue<string>()).Order(StringComparer.Ordinal).ShouldBe(imsis.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task LastEvaluatedKey_Flag_StartsAfterTheKey()
    {
        await cli.SignUpAndConfigureAsync();
        await cli.NewSimAsync();
        await cli.NewSimAsync();
        var first = (await cli.RunAsync("subscribers", "list", "--limit", "1")).ShouldSucceed().Array[0]!["imsi"]!.GetValue<string>();
        var rest = (await cli.RunAsync("subscribers", "list", "--last-evaluated-key", first)).ShouldSucceed().Array;
        rest.Count.ShouldBe(1);
        rest[0]!["imsi"]!.GetValue<string>().ShouldNotBe(first);
    }

    [Fact]
    public async Task Query_ArrayFlags_TakeCommaSeparatedOrRepeatedValues()
    {
        await cli.SignUpAndConfigureAsync();
        var a = (await cli.NewSimAsync()).Imsi;
        var b = (await cli.NewSimAsync()).Imsi;
        await cli.NewSimAsync();

        (await cli.RunAsync("query", "subscribers", "--imsi", $"{a},{b}")).ShouldSucceed().Array.Count.ShouldBe(2);
        (await cli.RunAsync("query", "subscribers", "--imsi", a, "--imsi", b)).ShouldSucceed().Array.Count.ShouldBe(2);
        (await cli.RunAsync("query", "subscribers", "--imsi", a)).ShouldSucceed().Array.Count.ShouldBe(1);
    }

    [Fact]
    public async Task BodyFlags_AreSentWithTheirJsonTypes()
    {
        await cli.SignUpAndConfigureAsync();
        var (_, simId) = await cli.NewSimAsync();
        var now = (await cli.RunAsync("sandbox", "clock", "get")).ShouldSucceed().Json["now"]!.GetValue<long>();
        var expiry = now + 3_600_000;

        var sim = (await cli.RunAsync("sims", "set-expiry-time", "--sim-id", simId, "--expiry-time", expiry.ToString(System.Globalization.CultureInfo.InvariantCulture), "--expiry-action", "doNothing")).ShouldSucceed().Json;
        sim["expiryTime"]!.GetValue<long>().ShouldBe(expiry);
        sim["expiryAction"]!.GetValue<string>().ShouldBe("doNothing");
    }
}
