using System.Net;
using Microsoft.EntityFrameworkCore;
using Simlane.Server.Infrastructure;
using Simlane.Server.Tests.Infrastructure;
using Simlane.Storage;

namespace Simlane.Server.Tests.Contract;

/// <summary>
/// SORACOM-like rate limits (docs/operations.md, "Rate limits"), turned on with small limits and a one-hour
/// window so that every assertion is by count: N requests pass with counting headers, the next answers 429.
/// </summary>
public abstract class RateLimitTests(ServerFixture server)
{
    public static readonly IReadOnlyDictionary<string, string> Settings = new Dictionary<string, string>
    {
        ["Simlane:RateLimits:Enabled"] = "true",
        ["Simlane:RateLimits:WindowSeconds"] = "3600",
        ["Simlane:RateLimits:Groups:sims:Limit"] = "3",
        ["Simlane:RateLimits:Groups:groups:Limit"] = "2",
        ["Simlane:RateLimits:Groups:other:Limit"] = "2",
        // Sign-up stays generous so that every test can create its operators; sign-in gets a small group of its own.
        ["Simlane:RateLimits:Groups:auth:Limit"] = "100000",
        ["Simlane:RateLimits:Groups:auth:Paths:0"] = "/v1/sandbox/init",
        ["Simlane:RateLimits:Groups:signin:Limit"] = "3",
        ["Simlane:RateLimits:Groups:signin:PartitionBy"] = "ip",
        ["Simlane:RateLimits:Groups:signin:Paths:0"] = "/v1/auth",
    };

    private static void ShouldCount(ApiResponse response, int limit, int remaining)
    {
        response.Header(RateLimits.LimitHeader).ShouldBe(limit.ToString(System.Globalization.CultureInfo.InvariantCulture), response.Text);
        response.Header(RateLimits.RemainingHeader).ShouldBe(remaining.ToString(System.Globalization.CultureInfo.InvariantCulture), response.Text);
        var seconds = long.Parse(response.Header(RateLimits.RefreshHeader)!, System.Globalization.CultureInfo.InvariantCulture);
        seconds.ShouldBeInRange(1, 3600);
    }

    private static ApiResponse ShouldBeLimited(ApiResponse response, int limit, string group)
    {
        response.ShouldBe(HttpStatusCode.TooManyRequests, "COM0014");
        ShouldCount(response, limit, 0);
        response.Str("message").ShouldStartWith($"Too many requests to the {group} API group: at most {limit} in 3600 seconds; retry in ");
        response.Header("Retry-After").ShouldBe(response.Header(RateLimits.RefreshHeader));
        return response;
    }

    [Fact]
    public async Task Requests_CountDown_ThenAnswer429WithSoracomsErrorBody()
    {
        var op = await server.NewOperatorAsync();
        for (var remaining = 2; remaining >= 0; remaining--)
        {
            ShouldCount((await op.GetAsync("/v1/sims")).ShouldBe(HttpStatusCode.OK), 3, remaining);
        }

        ShouldBeLimited(await op.GetAsync("/v1/sims"), 3, "sims");
        ShouldBeLimited(await op.GetAsync("/v1/subscribers"), 3, "sims");
        ShouldBeLimited(await op.GetAsync("/v1/sims/8942310000000000000"), 3, "sims");

        var japanese = server.Factory.CreateDefaultClient(new ContractValidatingHandler());
        japanese.DefaultRequestHeaders.Add("X-Soracom-Lang", "ja");
        var limited = await new ApiClient(japanese).WithCredentials(op.ApiKey!, op.Token!).GetAsync("/v1/sims");
        limited.ShouldBe(HttpStatusCode.TooManyRequests, "COM0014");
        limited.Str("message").ShouldStartWith("API グループ sims へのリクエストが多すぎます。3600 秒あたり 3 回までです。");
    }

    [Fact]
    public async Task ErrorAnswers_CountAndCarryTheHeaders()
    {
        var op = await server.NewOperatorAsync();
        ShouldCount((await op.GetAsync("/v1/sims/8942310000000000000")).ShouldBe(HttpStatusCode.NotFound, "SEM0001"), 3, 2);
        ShouldCount((await op.GetAsync("/v1/sims?limit=0")).ShouldBe(HttpStatusCode.BadRequest, "COM0007"), 3, 1);
    }

    [Fact]
    public async Task ARejectedRequest_ChangesNothing()
    {
        var op = await server.NewOperatorAsync();
        (await op.PostAsync("/v1/groups", new { tags = new { name = "one" } })).ShouldBe(HttpStatusCode.Created);
        (await op.PostAsync("/v1/groups", new { tags = new { name = "two" } })).ShouldBe(HttpStatusCode.Created);
        ShouldBeLimited(await op.PostAsync("/v1/groups", new { tags = new { name = "three" } }), 2, "groups");

        await using var db = DatabaseOptions.Parse(server.Database.ConnectionString).CreateContext();
        (await db.Groups.CountAsync(g => g.OperatorId == op.OperatorId)).ShouldBe(2);
    }

    [Fact]
    public async Task Operators_AreCountedIndependently()
    {
        var alice = await server.NewOperatorAsync();
        var bob = await server.NewOperatorAsync();
        for (var i = 0; i < 3; i++)
        {
            (await alice.GetAsync("/v1/sims")).ShouldBe(HttpStatusCode.OK);
        }

        ShouldBeLimited(await alice.GetAsync("/v1/sims"), 3, "sims");
        ShouldCount((await bob.GetAsync("/v1/sims")).ShouldBe(HttpStatusCode.OK), 3, 2);
        ShouldBeLimited(await alice.GetAsync("/v1/sims"), 3, "sims");
    }

    [Fact]
    public async Task RouteGroups_AreCountedIndependently()
    {
        var op = await server.NewOperatorAsync();
        for (var i = 0; i < 3; i++)
        {
            (await op.GetAsync("/v1/sims")).ShouldBe(HttpStatusCode.OK);
        }

        ShouldBeLimited(await op.GetAsync("/v1/sims"), 3, "sims");
        ShouldCount((await op.GetAsync("/v1/groups")).ShouldBe(HttpStatusCode.OK), 2, 1);
        ShouldCount((await op.GetAsync("/v1/event_handlers")).ShouldBe(HttpStatusCode.OK), 300, 299);
        ShouldCount((await op.GetAsync($"/v1/operators/{op.OperatorId}")).ShouldBe(HttpStatusCode.OK), 120, 119);
    }

    [Fact]
    public async Task SignIn_IsCountedByClientIp_WhateverTheAccount()
    {
        var op = await server.NewOperatorAsync();
        var anonymous = server.Anonymous();
        ShouldCount((await anonymous.PostAsync("/v1/auth", new { email = op.Email, password = "wrong" })).ShouldBe(HttpStatusCode.Unauthorized, "AUM0002"), 3, 2);
        ShouldCount((await anonymous.PostAsync("/v1/auth", new { email = "nobody@example.com", password = "wrong" })).ShouldBe(HttpStatusCode.Unauthorized, "AUM0002"), 3, 1);
        ShouldCount((await anonymous.PostAsync("/v1/auth", new { email = op.Email, password = op.Password })).ShouldBe(HttpStatusCode.OK), 3, 0);
        ShouldBeLimited(await anonymous.PostAsync("/v1/auth", new { email = op.Email, password = op.Password }), 3, "signin");
    }

    [Fact]
    public async Task TheGatewaysPlatformApi_IsNotLimited()
    {
        var gateway = server.Gateway();
        for (var i = 0; i < 4; i++)
        {
            var response = await gateway.PostAsync("/v1/gateway/usage", new { records = Array.Empty<object>() });
            response.Status.ShouldNotBe(HttpStatusCode.TooManyRequests, response.Text);
            response.Header(RateLimits.LimitHeader).ShouldBeNull();
        }
    }

    [Fact]
    public async Task RoutesOutsideTheApi_AreNotLimited()
    {
        for (var i = 0; i < 4; i++)
        {
            var response = await server.Anonymous().GetAsync("/healthz");
            response.ShouldBe(HttpStatusCode.OK);
            response.Header(RateLimits.LimitHeader).ShouldBeNull();
        }
    }
}

public sealed class RateLimitedSqliteServer() : ServerFixture(DatabaseKind.Sqlite)
{
    protected override IReadOnlyDictionary<string, string>? Settings => RateLimitTests.Settings;
}

public sealed class RateLimitedPostgresServer() : ServerFixture(DatabaseKind.Postgres)
{
    protected override IReadOnlyDictionary<string, string>? Settings => RateLimitTests.Settings;
}

public sealed class RateLimitTests_Sqlite(RateLimitedSqliteServer server) : RateLimitTests(server), IClassFixture<RateLimitedSqliteServer>;

public sealed class RateLimitTests_Postgres(RateLimitedPostgresServer server) : RateLimitTests(server), IClassFixture<RateLimitedPostgresServer>;

/// <summary>Simlane:RateLimits is checked when the server starts; every mistake names its key.</summary>
public sealed class RateLimitOptionsTests
{
    private static RateLimitOptions With(string group, RateLimitGroupOptions options, int windowSeconds = 60) =>
        new() { WindowSeconds = windowSeconds, Groups = new(StringComparer.Ordinal) { [group] = options } };

    [Fact]
    public void TheDefaults_AreValid_AndLeaveTheGatewayOut()
    {
        var options = new RateLimitOptions();
        options.Validate();
        options.EffectiveGroups().Values.SelectMany(g => g.Paths).ShouldNotContain(p => p.StartsWith(RateLimitOptions.GatewayPath, StringComparison.Ordinal));
    }

    [Fact]
    public void TheFlagAndVariable_TurnLimitsOff()
    {
        CommandLine.Parse(["--rate-limits=false"]).Settings["Simlane:RateLimits:Enabled"].ShouldBe("false");
        CommandLine.Parse(["--rate-limits"]).Settings["Simlane:RateLimits:Enabled"].ShouldBe("true");
    }

    [Fact]
    public void AConfiguredLimit_KeepsTheGroupsDefaultPaths()
    {
        var groups = With("sims", new RateLimitGroupOptions { Limit = 1000 }).EffectiveGroups();
        groups["sims"].Limit.ShouldBe(1000);
        groups["sims"].Paths.ShouldBe(RateLimitOptions.Defaults["sims"].Paths);
        groups["groups"].Limit.ShouldBe(RateLimitOptions.Defaults["groups"].Limit);
    }

    [Theory]
    [InlineData(0, "sims", 10, "operator", "/v1/sims", "Simlane:RateLimits:WindowSeconds must be between 1 and 3600, not 0")]
    [InlineData(3601, "sims", 10, "operator", "/v1/sims", "WindowSeconds must be between 1 and 3600, not 3601")]
    [InlineData(60, "sims", 0, "operator", "/v1/sims", "Simlane:RateLimits:Groups:sims:Limit must be between 1 and 1000000, not 0")]
    [InlineData(60, "custom", null, "operator", "/v1/things", "Simlane:RateLimits:Groups:custom:Limit must be between 1 and 1000000, not empty")]
    [InlineData(60, "sims", 10, "everyone", "/v1/sims", "Simlane:RateLimits:Groups:sims:PartitionBy must be 'operator' or 'ip', not 'everyone'")]
    [InlineData(60, "custom", 10, "operator", "/v2/sims", "Simlane:RateLimits:Groups:custom:Paths: '/v2/sims' is not a path prefix under /v1")]
    [InlineData(60, "custom", 10, "operator", "/v1/things/", "'/v1/things/' is not a path prefix under /v1")]
    [InlineData(60, "custom", 10, "operator", "/v1/gateway/usage", "'/v1/gateway/usage' is the packet gateway's platform API, which is not rate limited per operator")]
    [InlineData(60, "custom", 10, "operator", "/v1/groups", "Simlane:RateLimits:Groups:custom:Paths: '/v1/groups' is already in group 'groups'")]
    [InlineData(60, "bad name", 10, "operator", "/v1/things", "Simlane:RateLimits:Groups:bad name: a group name is 1 to 40 letters, digits, '_' or '-'")]
    public void Validate_NamesTheMistake(int windowSeconds, string group, int? limit, string partitionBy, string path, string message)
    {
        var options = With(group, new RateLimitGroupOptions { Limit = limit, PartitionBy = partitionBy, Paths = [path] }, windowSeconds);
        Should.Throw<InvalidOperationException>(options.Validate).Message.ShouldContain(message);
    }

    [Fact]
    public async Task TheServer_RefusesToStartWithAnInvalidConfiguration()
    {
        var directory = Directory.CreateTempSubdirectory("simlane-ratelimit-");
        try
        {
            var settings = new Dictionary<string, string> { ["Simlane:RateLimits:Groups:sims:Limit"] = "-5" };
            var output = await ServerProcess.StartFailureAsync($"Data Source={Path.Combine(directory.FullName, "simlane.db")}", ServerProcess.AsEnvironment(settings));

            output.ShouldContain("Simlane:RateLimits:Groups:sims:Limit must be between 1 and 1000000, not -5");
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
