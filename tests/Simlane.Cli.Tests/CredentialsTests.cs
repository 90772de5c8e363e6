using Simlane.Cli.Auth;
using Simlane.Cli.Tests.Infrastructure;

namespace Simlane.Cli.Tests;

/// <summary>
/// Every credential form and their precedence (soracom-cli's): --api-key/--api-token, then
/// --auth-key-id/--auth-key, then the profile (--profile, else "default"); the endpoint from SIMLANE_ENDPOINT,
/// then the profile, then http://localhost:5000. Tokens are cached per profile and renewed when expired or
/// refused.
/// </summary>
public sealed class CredentialsTests(CliServer server) : IClassFixture<CliServer>, IDisposable
{
    private readonly CliRunner cli = new(server);

    public void Dispose() => cli.Dispose();

    private async Task<string> OnlyImsiAsync(params string[] args)
    {
        var list = (await cli.RunAsync([.. args, "subscribers", "list"])).ShouldSucceed().Array;
        list.Count.ShouldBe(1);
        return list[0]!["imsi"]!.GetValue<string>();
    }

    /// <summary>An operator with one SIM and an auth key, written as profile <paramref name="profile"/>: (IMSI, authKeyId, authKey).</summary>
    private async Task<(string Imsi, string AuthKeyId, string AuthKey)> OperatorAsync(string profile)
    {
        await cli.SignUpAndConfigureAsync(profile: profile);
        var (imsi, _) = await cli.NewSimAsync("--profile", profile);
        var key = (await cli.RunAsync("--profile", profile, "operator", "auth-keys", "generate")).ShouldSucceed();
        return (imsi, key.Str("authKeyId"), key.Str("authKey"));
    }

    [Fact]
    public async Task Precedence_ApiKeyThenAuthKeyFlagsThenProfile()
    {
        var a = await OperatorAsync("default");
        var b = await OperatorAsync("b");
        var c = await OperatorAsync("c");
        var token = (await cli.RunAsync("auth", "--auth-key-id", c.AuthKeyId, "--auth-key", c.AuthKey)).ShouldSucceed();

        (await OnlyImsiAsync()).ShouldBe(a.Imsi);
        (await OnlyImsiAsync("--profile", "b")).ShouldBe(b.Imsi);
        (await OnlyImsiAsync("--auth-key-id", b.AuthKeyId, "--auth-key", b.AuthKey)).ShouldBe(b.Imsi);
        (await OnlyImsiAsync("--profile", "c", "--auth-key-id", b.AuthKeyId, "--auth-key", b.AuthKey)).ShouldBe(b.Imsi);

        cli.ClearRequests();
        (await OnlyImsiAsync("--api-key", token.Str("apiKey"), "--api-token", token.Str("token"), "--auth-key-id", b.AuthKeyId, "--auth-key", b.AuthKey)).ShouldBe(c.Imsi);
        cli.Requests.ShouldBe(["GET /v1/subscribers"]); // used as is: no sign-in
    }

    [Fact]
    public async Task AuthKeyProfile_SignsInWithTheKey()
    {
        var (imsi, keyId, key) = await OperatorAsync("first");
        (await cli.RunAsync("configure", "--profile", "bykey", "--auth-key-id", keyId, "--auth-key", key)).ShouldSucceed();
        cli.ClearRequests();
        (await OnlyImsiAsync("--profile", "bykey")).ShouldBe(imsi);
        cli.Requests.ShouldBe(["POST /v1/auth", "GET /v1/subscribers"]);
    }

    [Fact]
    public async Task AuthKeyFlags_WithoutAnyProfile_SignInAndCacheNothing()
    {
        var (imsi, keyId, key) = await OperatorAsync("keys");
        File.Delete(Path.Combine(cli.ProfileDirectory, "keys.json"));
        Directory.Delete(Path.Combine(cli.ProfileDirectory, "cache"), recursive: true);

        (await OnlyImsiAsync("--auth-key-id", keyId, "--auth-key", key)).ShouldBe(imsi);
        Directory.Exists(Path.Combine(cli.ProfileDirectory, "cache")).ShouldBeFalse();
    }

    [Fact]
    public async Task OperatorId_DefaultsToTheSignedInOperator_AndIsRequiredWithAnApiKey()
    {
        var operatorId = await cli.SignUpAndConfigureAsync();
        (await cli.RunAsync("operator", "get")).ShouldSucceed().Str("operatorId").ShouldBe(operatorId);

        cli.ClearRequests();
        (await cli.RunAsync("--api-key", "k", "--api-token", "t", "operator", "get")).ShouldFail(2, "Error: required parameter '--operator-id' is not specified");
        cli.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Endpoint_EnvironmentBeatsProfile_ProfileBeatsDefault()
    {
        var email = $"cli-{Guid.NewGuid():N}@example.com";
        await cli.SignUpAsync(email);
        (await cli.RunAsync("configure", "--endpoint", "http://127.0.0.1:1", "--email", email, "--password", "p@ssw0rd-cli-test")).ShouldSucceed();

        (await cli.RunAsync("subscribers", "list")).ShouldSucceed(); // SIMLANE_ENDPOINT wins over the profile's unreachable endpoint

        cli.Environment.Remove("SIMLANE_ENDPOINT");
        (await cli.RunAsync("subscribers", "list")).ShouldFail(1, "Error: cannot reach http://127.0.0.1:1");

        (await cli.RunAsync("configure", "--endpoint", server.Endpoint, "--email", email, "--password", "p@ssw0rd-cli-test")).ShouldSucceed();
        (await cli.RunAsync("subscribers", "list")).ShouldSucceed();
    }

    [Fact]
    public void Endpoint_WithoutEnvironmentOrProfile_IsTheDefault()
    {
        var console = new CliConsole
        {
            In = TextReader.Null, Out = TextWriter.Null, Error = TextWriter.Null, HomeDirectory = cli.Home,
            Environment = new Dictionary<string, string> { ["SIMLANE_PROFILE_DIR"] = cli.ProfileDirectory },
        };
        using var session = new Session(console, new GlobalOptions());
        session.Endpoint.ShouldBe("http://localhost:5000");
    }

    [Fact]
    public async Task Token_IsCachedPerProfileWithOwnerOnlyPermissions()
    {
        await cli.SignUpAndConfigureAsync();
        cli.ClearRequests();
        (await cli.RunAsync("subscribers", "list")).ShouldSucceed();
        (await cli.RunAsync("subscribers", "list")).ShouldSucceed();
        cli.Requests.ShouldBe(["POST /v1/auth", "GET /v1/subscribers", "GET /v1/subscribers"]);

        var cache = Path.Combine(cli.ProfileDirectory, "cache", "default.json");
        File.GetUnixFileMode(cache).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.GetUnixFileMode(Path.GetDirectoryName(cache)!).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.ReadAllText(cache).ShouldNotContain("p@ssw0rd");
    }

    [Fact]
    public async Task Token_Expired_IsRenewedBeforeTheRequest()
    {
        var email = $"cli-{Guid.NewGuid():N}@example.com";
        await cli.SignUpAsync(email);
        (await cli.RunAsync("configure", "--email", email, "--password", "p@ssw0rd-cli-test", "--token-timeout-seconds", "600")).ShouldSucceed();
        (await cli.RunAsync("subscribers", "list")).ShouldSucceed();

        cli.Clock.Advance(TimeSpan.FromMinutes(8));
        cli.ClearRequests();
        (await cli.RunAsync("subscribers", "list")).ShouldSucceed();
        cli.Requests.ShouldBe(["GET /v1/subscribers"]);

        cli.Clock.Advance(TimeSpan.FromSeconds(90)); // 9.5 minutes: within the last minute of the token's life
        cli.ClearRequests();
        (await cli.RunAsync("subscribers", "list")).ShouldSucceed();
        cli.Requests.ShouldBe(["POST /v1/auth", "GET /v1/subscribers"]);
    }

    [Fact]
    public async Task Logout_RevokesAndForgetsTheCachedToken()
    {
        await cli.SignUpAndConfigureAsync();
        (await cli.RunAsync("subscribers", "list")).ShouldSucceed();
        (await cli.RunAsync("logout")).ShouldSucceed().Out.ShouldBeEmpty();
        File.Exists(Path.Combine(cli.ProfileDirectory, "cache", "default.json")).ShouldBeFalse();

        cli.ClearRequests();
        (await cli.RunAsync("subscribers", "list")).ShouldSucceed();
        cli.Requests.ShouldBe(["POST /v1/auth", "GET /v1/subscribers"]);
    }

    [Fact]
    public async Task Token_RefusedWith401_IsRenewedAndTheRequestRetriedOnce()
    {
        await cli.SignUpAndConfigureAsync();
        (await cli.RunAsync("operator", "revoke-operator-auth-tokens")).ShouldSucceed(); // every token of the operator ends, the cached one too

        cli.ClearRequests();
        (await cli.RunAsync("subscribers", "list")).ShouldSucceed();
        cli.Requests.ShouldBe(["GET /v1/subscribers", "POST /v1/auth", "GET /v1/subscribers"]);
    }

    [Fact]
    public async Task UpdatePassword_ChangesWhichPasswordSignsIn()
    {
        var email = $"cli-{Guid.NewGuid():N}@example.com";
        await cli.SignUpAndConfigureAsync(email);
        (await cli.RunAsync("operator", "update-password", "--current-password", "not-the-password", "--new-password", "n3w-cli-password")).ShouldFail(1, "Error: AUM0013: ");
        (await cli.RunAsync("operator", "update-password", "--current-password", "p@ssw0rd-cli-test", "--new-password", "n3w-cli-password")).ShouldSucceed();

        (await cli.RunAsync("configure", "--email", email, "--password", "n3w-cli-password")).ShouldSucceed();
        cli.ClearRequests();
        (await cli.RunAsync("subscribers", "list")).ShouldSucceed();
        cli.Requests.ShouldBe(["POST /v1/auth", "GET /v1/subscribers"]);
    }

    [Fact]
    public async Task GenerateApiToken_LeavesTheCachedTokenWorking()
    {
        await cli.SignUpAndConfigureAsync();
        (await cli.RunAsync("operator", "generate-api-token", "--token-timeout-seconds", "600")).ShouldSucceed().Out.ShouldContain("\"token\"");

        cli.ClearRequests();
        (await cli.RunAsync("subscribers", "list")).ShouldSucceed();
        cli.Requests.ShouldBe(["GET /v1/subscribers"]);
    }

    [Fact]
    public async Task ApiKey_Refused_IsNotRetried()
    {
        cli.ClearRequests();
        (await cli.RunAsync("--api-key", "api-nope", "--api-token", "tok-nope", "subscribers", "list")).ShouldFail(1, "Error: AUM0006: ");
        cli.Requests.ShouldBe(["GET /v1/subscribers"]);
    }

    [Fact]
    public async Task Reconfigure_DropsTheCachedToken()
    {
        var email = $"cli-{Guid.NewGuid():N}@example.com";
        await cli.SignUpAsync(email);
        (await cli.RunAsync("configure", "--email", email, "--password", "p@ssw0rd-cli-test")).ShouldSucceed();
        (await cli.RunAsync("subscribers", "list")).ShouldSucceed();
        (await cli.RunAsync("configure", "--email", email, "--password", "wrong-password")).ShouldSucceed();
        (await cli.RunAsync("subscribers", "list")).ShouldFail(1, "Error: authentication failed: AUM0002: ");
    }

    [Fact]
    public async Task Profile_ReadableByOthers_IsRefused()
    {
        await cli.SignUpAndConfigureAsync();
        var path = Path.Combine(cli.ProfileDirectory, "default.json");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        cli.ClearRequests();
        (await cli.RunAsync("subscribers", "list")).ShouldFail(1, "are too open; run `chmod 600 ");
        cli.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task NoCredentials_FailsBeforeAnyRequest()
    {
        (await cli.RunAsync("subscribers", "list")).ShouldFail(1, "Error: no credentials: run `simlane configure`");
        (await cli.RunAsync("--profile", "nope", "subscribers", "list")).ShouldFail(1, "Error: profile 'nope' not found");
        cli.Requests.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("--api-key", "k", "both --api-key and --api-token must be specified")]
    [InlineData("--api-token", "t", "both --api-key and --api-token must be specified")]
    [InlineData("--auth-key-id", "i", "both --auth-key-id and --auth-key must be specified")]
    [InlineData("--auth-key", "s", "both --auth-key-id and --auth-key must be specified")]
    public async Task HalfACredentialPair_IsAUsageError(string flag, string value, string message)
    {
        (await cli.RunAsync(flag, value, "subscribers", "list")).ShouldFail(2, "Error: " + message);
        cli.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task WrongAuthKey_FailsWithTheServersCode()
    {
        (await cli.RunAsync("--auth-key-id", "keyId-nope", "--auth-key", "secret-nope", "subscribers", "list")).ShouldFail(1, "Error: authentication failed: AUM0005: ");
        cli.Requests.ShouldBe(["POST /v1/auth"]);
    }
}
