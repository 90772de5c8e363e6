using Simlane.Cli.Tests.Infrastructure;

namespace Simlane.Cli.Tests;

/// <summary>The README's walkthrough with the CLI: terminate is refused under protection, enable-termination, terminate.</summary>
public sealed class SeedScenarioTests(CliServer server) : IClassFixture<CliServer>, IDisposable
{
    private readonly CliRunner cli = new(server);

    public void Dispose() => cli.Dispose();

    [Fact]
    public async Task Terminate_UnderProtection_PrintsSem0004AndExits1_ThenEnableTerminationAndTerminateSucceed()
    {
        await cli.SignUpAndConfigureAsync();
        var (imsi, simId) = await cli.NewSimAsync();

        var refused = (await cli.RunAsync("sims", "terminate", "--sim-id", simId)).ShouldFail(1, "Error: SEM0004: ");
        refused.Error.ShouldContain("Termination protection is on");
        refused.Error.ShouldContain("(HTTP 400)");
        (await cli.RunAsync("sims", "get", "--sim-id", simId)).ShouldSucceed().Str("status").ShouldBe("ready");

        var enabled = (await cli.RunAsync("subscribers", "enable-termination", "--imsi", imsi)).ShouldSucceed();
        enabled.Json["terminationEnabled"]!.GetValue<bool>().ShouldBeTrue();
        enabled.Str("imsi").ShouldBe(imsi);

        (await cli.RunAsync("sims", "terminate", "--sim-id", simId)).ShouldSucceed().Str("status").ShouldBe("terminated");
        (await cli.RunAsync("sims", "get", "--sim-id", simId)).ShouldSucceed().Str("status").ShouldBe("terminated");
    }

    [Fact]
    public async Task Output_IsPrettyJsonWithTwoSpaceIndent()
    {
        await cli.SignUpAndConfigureAsync();
        var (_, simId) = await cli.NewSimAsync();
        var run = (await cli.RunAsync("sims", "get", "--sim-id", simId)).ShouldSucceed();
        run.Out.ShouldStartWith("{\n  \"");
        run.Out.ShouldEndWith("}\n");
    }
}
