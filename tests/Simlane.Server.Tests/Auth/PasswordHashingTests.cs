using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Simlane.Core.Security;
using Simlane.Server.Auth;
using Simlane.Server.Infrastructure;
using Simlane.Server.Tests.Infrastructure;

namespace Simlane.Server.Tests.Auth;

/// <summary>
/// The PBKDF2 cost of passwords and auth-key secrets (Simlane:Auth:PasswordHashIterations): default, floor, the
/// test-only switch, and hashes made at one cost verifying after the option changes.
/// </summary>
public sealed class PasswordHashingOptionsTests
{
    [Fact]
    public void Default_IsTheProductionCostAndValid()
    {
        var options = new AuthOptions();

        options.PasswordHashIterations.ShouldBe(100_000);
        options.InsecurePasswordHashingForTests.ShouldBeFalse();
        options.Validate();
        PasswordHashing.Default.Iterations.ShouldBe(100_000);
    }

    [Theory]
    [InlineData(99_999)]
    [InlineData(1_000)]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(10_000_001)]
    public void OutsideTheRange_IsRefusedWithAClearMessage(int iterations) =>
        Should.Throw<InvalidOperationException>(new AuthOptions { PasswordHashIterations = iterations }.Validate)
            .Message.ShouldContain($"Simlane:Auth:PasswordHashIterations must be between 100000 and 10000000, not {iterations}");

    [Theory]
    [InlineData(100_000)]
    [InlineData(600_000)]
    [InlineData(10_000_000)]
    public void AtOrAboveTheFloor_IsAccepted(int iterations) => new AuthOptions { PasswordHashIterations = iterations }.Validate();

    [Fact]
    public void TestSwitch_AllowsALowCostButNotZero()
    {
        new AuthOptions { PasswordHashIterations = 1, InsecurePasswordHashingForTests = true }.Validate();
        Should.Throw<InvalidOperationException>(new AuthOptions { PasswordHashIterations = 0, InsecurePasswordHashingForTests = true }.Validate)
            .Message.ShouldContain("Simlane:Auth:PasswordHashIterations must be between 1 and 10000000, not 0");
    }

    [Fact]
    public void TestSwitch_AloneLowersNothing() =>
        new AuthOptions { InsecurePasswordHashingForTests = true }.PasswordHashIterations.ShouldBe(100_000);

    [Fact]
    public void FlagAndEnvironmentVariable_SetTheCost_ButNotTheTestSwitch()
    {
        var (settings, _) = CommandLine.Parse(["--password-hash-iterations", "200000"]);
        settings["Simlane:Auth:PasswordHashIterations"].ShouldBe("200000");
        settings.Keys.ShouldNotContain(k => k.Contains("Insecure", StringComparison.OrdinalIgnoreCase));
        var (unmapped, rest) = CommandLine.Parse(["--insecure-password-hashing-for-tests"]);
        unmapped.ShouldNotContainKey("Simlane:Auth:InsecurePasswordHashingForTests");
        rest.ShouldBe(["--insecure-password-hashing-for-tests"]);
    }
}

/// <summary>The cost on a running server: refused at start-up, and hashes verifying across a change of cost.</summary>
public abstract class PasswordHashingTests(DatabaseKind kind) : FreshDatabaseTest(kind)
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 2, 3, 4, 5, TimeSpan.Zero));

    private SimlaneFactory Server(IReadOnlyDictionary<string, string> settings) => new(Database.ConnectionString, clock, settings: settings);

    private static Dictionary<string, string> Cost(int iterations) => new() { ["Simlane:Auth:PasswordHashIterations"] = iterations.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    private static ApiClient Anonymous(SimlaneFactory server) => new(server.CreateDefaultClient(new ContractValidatingHandler()));

    [Fact]
    public async Task Start_BelowTheFloorWithoutTheTestSwitch_IsRefusedWithAClearMessage()
    {
        var settings = Cost(50_000);
        settings["Simlane:Auth:InsecurePasswordHashingForTests"] = "false";

        var output = await ServerProcess.StartFailureAsync(Database.ConnectionString, ServerProcess.AsEnvironment(settings));

        output.ShouldContain("Simlane:Auth:PasswordHashIterations must be between 100000 and 10000000, not 50000");
    }

    [Fact]
    public async Task Start_AtTheFloorWithoutTheTestSwitch_HashesNewPasswordsAtThatCost()
    {
        var settings = Cost(100_000);
        settings["Simlane:Auth:InsecurePasswordHashingForTests"] = "false";
        await using var server = Server(settings);
        var op = await Anonymous(server).SignUpAsync();
        var verifier = server.Services.GetRequiredService<SignInVerifier>();

        (await Anonymous(server).PostAsync("/v1/auth", new { email = op.Email, password = op.Password })).ShouldBe(HttpStatusCode.OK);

        verifier.Iterations.ShouldBe(100_000);
        server.Services.GetRequiredService<PasswordHashing>().Iterations.ShouldBe(100_000);
    }

    [Fact]
    public async Task CostChange_OldHashesVerifyAtTheirCost_NewOnesGetTheNewCost()
    {
        ApiClient before;
        await using (var first = Server(Cost(1_000)))
        {
            before = await Anonymous(first).SignUpAsync();
        }

        await using var second = Server(Cost(3_000));
        var verifier = second.Services.GetRequiredService<SignInVerifier>();
        var after = await Anonymous(second).SignUpAsync();

        var old = await SignInWorkAsync(second, verifier, new { email = before.Email, password = before.Password });
        var fresh = await SignInWorkAsync(second, verifier, new { email = after.Email, password = after.Password });
        var wrong = await SignInWorkAsync(second, verifier, new { email = before.Email, password = before.Password + "x" });
        var unknown = await SignInWorkAsync(second, verifier, new { email = "nobody-" + Guid.NewGuid().ToString("N") + "@example.com", password = after.Password });

        old.Response.ShouldBe(HttpStatusCode.OK);
        old.Iterations.ShouldBe(1_000);
        fresh.Response.ShouldBe(HttpStatusCode.OK);
        fresh.Iterations.ShouldBe(3_000);
        wrong.Response.ShouldBe(HttpStatusCode.Unauthorized, "AUM0002");
        wrong.Iterations.ShouldBe(1_000);
        unknown.Response.ShouldBe(HttpStatusCode.Unauthorized, "AUM0002");
        unknown.Iterations.ShouldBe(3_000); // an unknown account costs what a new one does
    }

    [Fact]
    public async Task PasswordChange_RehashesAtTheCurrentCost()
    {
        ApiClient op;
        await using (var first = Server(Cost(1_000)))
        {
            op = await Anonymous(first).SignUpAsync();
        }

        await using var second = Server(Cost(2_000));
        var signedIn = await SignInAsync(second, op.Email, op.Password);
        const string newPassword = "a-new-password-123";
        (await signedIn.PostAsync($"/v1/operators/{signedIn.OperatorId}/password", new { currentPassword = op.Password, newPassword }))
            .ShouldBe(HttpStatusCode.OK);

        var verifier = second.Services.GetRequiredService<SignInVerifier>();
        var work = await SignInWorkAsync(second, verifier, new { email = op.Email, password = newPassword });
        work.Response.ShouldBe(HttpStatusCode.OK);
        work.Iterations.ShouldBe(2_000);
    }

    [Fact]
    public void StoredHash_CarriesItsCost() =>
        Secrets.HashSecret("s3cret", TestSettings.PasswordHashIterations).Split('$')[1].ShouldBe("1000");

    private static async Task<ApiClient> SignInAsync(SimlaneFactory server, string email, string password)
    {
        var response = (await Anonymous(server).PostAsync("/v1/auth", new { email, password })).ShouldBe(HttpStatusCode.OK);
        return Anonymous(server).WithCredentials(response.Str("apiKey"), response.Str("token"), response.Str("operatorId"));
    }

    private static async Task<(long Iterations, ApiResponse Response)> SignInWorkAsync(SimlaneFactory server, SignInVerifier verifier, object signIn)
    {
        var before = verifier.Iterations;
        var response = await Anonymous(server).PostAsync("/v1/auth", signIn);
        return (verifier.Iterations - before, response);
    }
}

public sealed class PasswordHashingTests_Sqlite() : PasswordHashingTests(DatabaseKind.Sqlite);

public sealed class PasswordHashingTests_Postgres() : PasswordHashingTests(DatabaseKind.Postgres);
