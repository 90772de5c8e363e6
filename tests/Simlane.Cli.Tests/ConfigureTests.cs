using System.Text.Json.Nodes;
using Simlane.Cli.Tests.Infrastructure;

namespace Simlane.Cli.Tests;

/// <summary>simlane configure: flags, prompts when stdin is a terminal, owner-only files, and its usage errors.</summary>
public sealed class ConfigureTests(CliServer server) : IClassFixture<CliServer>, IDisposable
{
    private readonly CliRunner cli = new(server);

    public void Dispose() => cli.Dispose();

    private JsonObject Profile(string name = "default") => (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(cli.ProfileDirectory, name + ".json")))!;

    [Fact]
    public async Task Flags_WriteTheProfileOwnerOnly()
    {
        var run = (await cli.RunAsync("configure", "--profile", "prod", "--endpoint", "https://simlane.example.com", "--auth-key-id", "keyId-1", "--auth-key", "secret-1", "--token-timeout-seconds", "3600")).ShouldSucceed();
        run.Out.ShouldContain("profile 'prod' written to");

        var profile = Profile("prod");
        profile["endpoint"]!.GetValue<string>().ShouldBe("https://simlane.example.com");
        profile["authKeyId"]!.GetValue<string>().ShouldBe("keyId-1");
        profile["authKey"]!.GetValue<string>().ShouldBe("secret-1");
        profile["tokenTimeoutSeconds"]!.GetValue<int>().ShouldBe(3600);
        profile.ContainsKey("email").ShouldBeFalse();
        File.GetUnixFileMode(Path.Combine(cli.ProfileDirectory, "prod.json")).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.GetUnixFileMode(cli.ProfileDirectory).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        cli.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task WithoutProfileDirVariable_WritesUnderHome()
    {
        cli.Environment.Remove("SIMLANE_PROFILE_DIR");
        (await cli.RunAsync("configure", "--email", "a@example.com", "--password", "pw")).ShouldSucceed();
        File.Exists(Path.Combine(cli.Home, ".simlane", "default.json")).ShouldBeTrue();
    }

    [Fact]
    public async Task ProfileDirectoryThatIsAFile_FailsWithTheReason()
    {
        var file = Path.Combine(cli.Home, "not-a-directory");
        File.WriteAllText(file, "");
        cli.Environment["SIMLANE_PROFILE_DIR"] = file;
        (await cli.RunAsync("configure", "--email", "a@example.com", "--password", "pw")).ShouldFail(1, "Error: ");
    }

    [Fact]
    public async Task Interactive_AsksForEndpointAndAuthKey()
    {
        var run = (await cli.RunWithInputAsync("http://10.0.0.1:5000\n1\nkeyId-2\nsecret-2\n", interactive: true, "configure")).ShouldSucceed();
        run.Out.ShouldContain("endpoint [http://localhost:5000]: ");
        run.Out.ShouldContain("authKey: ");
        var profile = Profile();
        profile["endpoint"]!.GetValue<string>().ShouldBe("http://10.0.0.1:5000");
        profile["authKeyId"]!.GetValue<string>().ShouldBe("keyId-2");
        profile["authKey"]!.GetValue<string>().ShouldBe("secret-2");
    }

    [Fact]
    public async Task Interactive_EmailAndPassword_EmptyEndpointKeepsTheDefault()
    {
        (await cli.RunWithInputAsync("\n3\n2\nops@example.com\n\np@ss\n", interactive: true, "configure", "--profile", "mail")).ShouldSucceed();
        var profile = Profile("mail");
        profile["endpoint"]!.GetValue<string>().ShouldBe("http://localhost:5000");
        profile["email"]!.GetValue<string>().ShouldBe("ops@example.com");
        profile["password"]!.GetValue<string>().ShouldBe("p@ss");
    }

    [Fact]
    public async Task Interactive_AsksOnlyForWhatTheFlagsLeaveOut()
    {
        var run = (await cli.RunWithInputAsync("secret-3\n", interactive: true, "configure", "--endpoint", "http://127.0.0.1:9", "--auth-key-id", "keyId-3")).ShouldSucceed();
        run.Out.ShouldNotContain("endpoint [");
        run.Out.ShouldNotContain("authKeyId: ");
        Profile()["authKey"]!.GetValue<string>().ShouldBe("secret-3");
    }

    [Fact]
    public async Task Interactive_StdinEnds_IsAUsageError()
    {
        (await cli.RunWithInputAsync("\n1\nkeyId-4\n", interactive: true, "configure")).ExitCode.ShouldBe(2);
        File.Exists(Path.Combine(cli.ProfileDirectory, "default.json")).ShouldBeFalse();
    }

    [Theory]
    [InlineData(new[] { "configure" }, "configure needs --auth-key-id and --auth-key, or --email and --password")]
    [InlineData(new[] { "configure", "--auth-key-id", "k" }, "both --auth-key-id and --auth-key must be specified")]
    [InlineData(new[] { "configure", "--password", "p" }, "both --email and --password must be specified")]
    [InlineData(new[] { "configure", "--auth-key-id", "k", "--auth-key", "s", "--email", "e" }, "give either --auth-key-id and --auth-key, or --email and --password, not both")]
    [InlineData(new[] { "configure", "--email", "e", "--password", "p", "--endpoint", "localhost:5000" }, "invalid argument \"localhost:5000\" for \"--endpoint\" flag")]
    [InlineData(new[] { "configure", "--email", "e", "--password", "p", "--token-timeout-seconds", "60" }, "invalid argument \"60\" for \"--token-timeout-seconds\" flag")]
    [InlineData(new[] { "configure", "--profile", "../evil", "--email", "e", "--password", "p" }, "invalid profile name '../evil'")]
    public async Task NonInteractive_BadOrMissingFlags_AreUsageErrorsAndWriteNothing(string[] args, string message)
    {
        (await cli.RunAsync(args)).ShouldFail(2, "Error: " + message);
        Directory.Exists(cli.ProfileDirectory).ShouldBeFalse();
    }
}
