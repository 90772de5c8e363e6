using Simlane.Cli.Tests.Infrastructure;

namespace Simlane.Cli.Tests;

/// <summary>Mistakes caught before any request, with soracom-cli's wording and exit code 2; nothing is sent.</summary>
public sealed class ClientErrorsTests(CliServer server) : IClassFixture<CliServer>, IDisposable
{
    private readonly CliRunner cli = new(server);

    public void Dispose() => cli.Dispose();

    [Theory]
    [InlineData(new[] { "sims", "terminate" }, "required parameter '--sim-id' is not specified")]
    [InlineData(new[] { "subscribers", "enable-termination" }, "required parameter '--imsi' is not specified")]
    [InlineData(new[] { "stats", "air", "get", "--imsi", "001010000000001", "--from", "1", "--to", "2" }, "required parameter '--period' is not specified")]
    [InlineData(new[] { "sims", "create", "--subscription", "plan01s" }, "required parameter 'type' in body (or command line option 'type') is not specified")]
    [InlineData(new[] { "event-handlers", "create", "--name", "n", "--status", "active" }, "required parameter 'actionConfigList' in body is not specified")]
    [InlineData(new[] { "sims", "put-tags", "--sim-id", "x" }, "required parameter '--body' is not specified")]
    [InlineData(new[] { "sims", "terminate", "--sim-id" }, "flag needs an argument: --sim-id")]
    [InlineData(new[] { "sims", "list", "--limit", "ten" }, "invalid argument \"ten\" for \"--limit\" flag: an integer is expected")]
    [InlineData(new[] { "sims", "set-expiry-time", "--sim-id", "x", "--expiry-time", "soon" }, "invalid argument \"soon\" for \"--expiry-time\" flag: an integer is expected")]
    [InlineData(new[] { "sims", "list", "--fetch-all=maybe" }, "invalid argument \"maybe\" for \"--fetch-all\" flag: true or false is expected")]
    [InlineData(new[] { "sims", "create", "--body", "{\"type\": \"virtual\",", "--subscription", "planX3" }, "invalid json format specified for `--body` parameter: ")]
    [InlineData(new[] { "sims", "create", "--body", "[1]", "--type", "virtual" }, "`--body` must be a JSON object to combine it with --type")]
    [InlineData(new[] { "sims", "terminat", "--sim-id", "x" }, "unknown command \"terminat\" for \"simlane sims\"")]
    [InlineData(new[] { "simz" }, "unknown command \"simz\" for \"simlane\"")]
    [InlineData(new[] { "sims", "terminate", "--sim-id", "x", "--force" }, "unknown flag: --force")]
    [InlineData(new[] { "sims", "terminate", "-f" }, "unknown shorthand flag: 'f' in -f")]
    [InlineData(new[] { "sims", "terminate", "--sim-id", "x", "extra" }, "unexpected arguments passed => [extra]")]
    [InlineData(new[] { "sims", "create", "--body", "@/nonexistent/simlane/body.json" }, "cannot read the body file '/nonexistent/simlane/body.json'")]
    public async Task Mistake_IsAUsageErrorBeforeAnyRequest(string[] args, string message)
    {
        await cli.SignUpAndConfigureAsync();
        cli.ClearRequests();
        var run = (await cli.RunAsync(args)).ShouldFail(2, "Error: " + message);
        run.Error.ShouldContain("--help' for usage.");
        cli.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task UnreadableBodyFile_IsAUsageError()
    {
        await cli.SignUpAndConfigureAsync();
        var path = Path.Combine(cli.Home, "secret.json");
        File.WriteAllText(path, "{}");
        File.SetUnixFileMode(path, UnixFileMode.None);
        cli.ClearRequests();
        var run = await cli.RunAsync("sims", "create", "--body", "@" + path);
        if (Environment.UserName == "root")
        {
            // root reads any file: the body is read and the server answers instead
            run.ExitCode.ShouldBe(2);
            run.Error.ShouldContain("required parameter 'subscription' in body");
        }
        else
        {
            run.ShouldFail(2, $"Error: cannot read the body file '{path}'");
        }

        cli.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task BodyDirectory_IsAUsageError()
    {
        await cli.SignUpAndConfigureAsync();
        cli.ClearRequests();
        (await cli.RunAsync("sims", "create", "--body", "@" + cli.Home)).ShouldFail(2, $"Error: cannot read the body file '{cli.Home}'");
        cli.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task ServerError_PrintsCodeAndMessageToStderr_Exit1()
    {
        await cli.SignUpAndConfigureAsync();
        var run = (await cli.RunAsync("sims", "get", "--sim-id", "no-such-sim")).ShouldFail(1, "Error: ");
        run.Error.ShouldMatch(@"^Error: [A-Z]{3}\d{4}: .+ \(HTTP 404\)\n$");
    }

    [Fact]
    public async Task UnreachableServer_Exit1()
    {
        cli.Environment["SIMLANE_ENDPOINT"] = "http://127.0.0.1:1";
        (await cli.RunAsync("sandbox", "init", "--email", "x@example.com", "--password", "p", "--auth-key-id", "k", "--auth-key", "s")).ShouldFail(1, "Error: cannot reach http://127.0.0.1:1");
    }
}
