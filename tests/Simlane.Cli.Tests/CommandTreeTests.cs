using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Simlane.Cli.Commands;
using Simlane.Cli.Spec;
using Simlane.Cli.Tests.Infrastructure;

namespace Simlane.Cli.Tests;

/// <summary>
/// The command tree stays in step with the spec and the server: every operation the server publishes (but the
/// gateway's) has exactly one command, help exists for every command, and the completion and version commands work.
/// </summary>
public sealed partial class CommandTreeTests(CliServer server) : IClassFixture<CliServer>, IDisposable
{
    private readonly CliRunner cli = new(server);

    public void Dispose() => cli.Dispose();

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex PathParameter();

    [Fact]
    public async Task Commands_CoverEveryOperationTheServerPublishes_ExceptTheGateway()
    {
        using var http = new HttpClient();
        var document = JsonNode.Parse(await http.GetStringAsync(new Uri(server.Endpoint + "/openapi/v1.json")))!;
        var published = new List<string>();
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            if (!path.StartsWith("/v1/", StringComparison.Ordinal) || path.StartsWith("/v1/gateway/", StringComparison.Ordinal))
            {
                continue;
            }

            published.AddRange(item!.AsObject().Select(m => $"{m.Key.ToUpperInvariant()} {PathParameter().Replace(path, "{}")} {m.Value!["operationId"]}"));
        }

        var commands = ApiSpec.Operations.Select(o => $"{o.Method} {PathParameter().Replace("/v1" + o.Path, "{}")} {o.OperationId}");
        commands.Order(StringComparer.Ordinal).ShouldBe(published.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Commands_HaveUniqueSoracomCliNames()
    {
        ApiSpec.Operations.Select(o => o.CommandLine).ShouldBeUnique();
        var names = ApiSpec.Operations.ToDictionary(o => o.OperationId, o => o.CommandLine);
        names["terminateSim"].ShouldBe("sims terminate");
        names["enableTermination"].ShouldBe("subscribers enable-termination");
        names["createEventHandler"].ShouldBe("event-handlers create");
        names["sandboxInitializeOperator"].ShouldBe("sandbox init");
        names["getAirStats"].ShouldBe("stats air get");
        names["getBilling"].ShouldBe("bills get");
    }

    [Fact]
    public void Flags_AreKebabCase()
    {
        var flags = ApiSpec.Operations.SelectMany(o => o.Parameters).Select(p => (p.Name, p.Flag)).Distinct().ToDictionary(p => p.Name, p => p.Flag);
        flags["sim_id"].ShouldBe("sim-id");
        flags["last_evaluated_key"].ShouldBe("last-evaluated-key");
        flags["yyyyMM"].ShouldBe("yyyy-mm");
        flags["registrationSecret"].ShouldBe("registration-secret");
        flags["mfaOTPCode"].ShouldBe("mfa-otp-code");
        flags["tag_value_match_mode"].ShouldBe("tag-value-match-mode");
    }

    [Fact]
    public async Task Help_ForEveryCommand_ShowsItsSummaryAndFlags()
    {
        foreach (var node in CommandTree.Root.Descendants().Prepend(CommandTree.Root))
        {
            var words = node.FullName.Split(' ').Skip(1).ToArray();
            var run = (await cli.RunAsync([.. words, "--help"])).ShouldSucceed();
            run.Out.ShouldStartWith(node.ShortHelp + "\n", customMessage: node.FullName);
            if (node.Operation is { } operation)
            {
                operation.Summary.ShouldNotBeNullOrWhiteSpace(node.FullName);
                foreach (var parameter in operation.Parameters)
                {
                    run.Out.ShouldContain("--" + parameter.Flag, customMessage: node.FullName);
                }
            }
        }

        cli.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Help_MarksRequiredFlags_AndHelpCommandAndGroupsPrintHelp()
    {
        var help = (await cli.RunAsync("help", "sims", "terminate")).ShouldSucceed();
        help.Out.ShouldStartWith("Terminate an IoT SIM\n");
        help.Out.ShouldContain("--sim-id string   (required)");
        (await cli.RunAsync("sims", "terminate", "-h")).ShouldSucceed().Out.ShouldBe(help.Out);

        var group = (await cli.RunAsync("sims")).ShouldSucceed();
        group.Out.ShouldContain("Available Commands:");
        group.Out.ShouldContain("  terminate ");
        (await cli.RunAsync()).ShouldSucceed().Out.ShouldContain("  event-handlers ");
        (await cli.RunAsync("help", "nope")).ShouldFail(2, "Error: unknown command \"nope\" for \"simlane\"");
    }

    [Fact]
    public async Task Version_PrintsTheToolAndSpecVersions()
    {
        (await cli.RunAsync("version")).ShouldSucceed().Out.ShouldMatch(@"^simlane \d+\.\d+\.\d+ \(SORACOM API spec [0-9-]+\)\n$");
    }

    [Theory]
    [InlineData("sims ter", "terminate")]
    [InlineData("subscribers enable-t", "enable-termination")]
    [InlineData("sims terminate --si", "--sim-id")]
    [InlineData("--profile demo event-handlers cr", "create")]
    [InlineData("stats air g", "get groups")]
    public async Task CompletionBash_CompletesCommandsAndFlags(string line, string expected)
    {
        var script = (await cli.RunAsync("completion", "bash")).ShouldSucceed().Out;
        var file = Path.Combine(cli.Home, "simlane.bash");
        File.WriteAllText(file, script);
        var words = ("simlane " + line).Split(' ');
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"source '{file}'; COMP_WORDS=({string.Join(' ', words.Select(w => $"'{w}'"))}); COMP_CWORD={words.Length - 1}; _simlane; echo \"${{COMPREPLY[*]}}\"");
        using var bash = Process.Start(start)!;
        var output = await bash.StandardOutput.ReadToEndAsync();
        var error = await bash.StandardError.ReadToEndAsync();
        await bash.WaitForExitAsync();
        bash.ExitCode.ShouldBe(0, error);
        error.ShouldBeEmpty();
        output.Trim().ShouldBe(expected);
    }

    [Fact]
    public async Task SandboxClock_SimlaneExtension_Works()
    {
        await cli.SignUpAndConfigureAsync();
        var now = (await cli.RunAsync("sandbox", "clock", "get")).ShouldSucceed().Json["now"]!.GetValue<long>();
        now.ShouldBeGreaterThan(0);
    }
}
