using Simlane.Cli.Tests.Infrastructure;

namespace Simlane.Cli.Tests;

/// <summary>--fetch-all follows x-soracom-next-key with last_evaluated_key; --jsonl prints one item per line.</summary>
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
}
