using System.Net;
using Simlane.Server.Tests.Infrastructure;

namespace Simlane.Server.Tests.Scheduling;

public abstract class SandboxClockTests(ServerFixture server)
{
    [Fact]
    public async Task Clock_StartsAtTheServerTime_AndMovesOnlyForward()
    {
        var op = await server.NewOperatorAsync();
        var now = (await op.GetAsync("/v1/sandbox/clock")).ShouldBe(HttpStatusCode.OK).Json["now"]!.GetValue<long>();
        now.ShouldBeGreaterThanOrEqualTo(server.Clock.GetUtcNow().ToUnixTimeMilliseconds());

        var advanced = (await op.PostAsync("/v1/sandbox/clock", new { advanceSeconds = 86400 })).ShouldBe(HttpStatusCode.OK).Json["now"]!.GetValue<long>();
        advanced.ShouldBe(now + 86_400_000);

        var target = advanced + 5000;
        (await op.PostAsync("/v1/sandbox/clock", new { now = target })).ShouldBe(HttpStatusCode.OK).Json["now"]!.GetValue<long>().ShouldBe(target);
        (await op.PostAsync("/v1/sandbox/clock", new { now = target })).ShouldBe(HttpStatusCode.OK);

        (await op.PostAsync("/v1/sandbox/clock", new { now = target - 1 })).ShouldBe(HttpStatusCode.BadRequest, "SBX1010");
        (await op.PostAsync("/v1/sandbox/clock", new { advanceSeconds = -1 })).ShouldBe(HttpStatusCode.BadRequest, "SBX1010");
        (await op.PostAsync("/v1/sandbox/clock", new { })).ShouldBe(HttpStatusCode.BadRequest, "SBX1011");
        (await op.PostAsync("/v1/sandbox/clock", new { now = target, advanceSeconds = 1 })).ShouldBe(HttpStatusCode.BadRequest, "SBX1011");
        (await op.PostAsync("/v1/sandbox/clock", new { advanceSeconds = long.MaxValue })).ShouldBe(HttpStatusCode.BadRequest, "COM0004");
        (await op.GetAsync("/v1/sandbox/clock")).Json["now"]!.GetValue<long>().ShouldBe(target);
    }

    [Fact]
    public async Task Clock_NeedsCredentials()
    {
        (await server.Anonymous().GetAsync("/v1/sandbox/clock")).ShouldBe(HttpStatusCode.Unauthorized, "AUM0001");
        (await server.Anonymous().PostAsync("/v1/sandbox/clock", new { advanceSeconds = 1 })).ShouldBe(HttpStatusCode.Unauthorized, "AUM0001");
    }

    [Fact]
    public async Task Clock_OffsetSurvivesARestart()
    {
        var op = await server.NewOperatorAsync();
        var moved = (await op.PostAsync("/v1/sandbox/clock", new { advanceSeconds = 7 * 86400 })).Json["now"]!.GetValue<long>();

        await server.RestartAsync();
        var again = server.Anonymous().WithCredentials(op.ApiKey!, op.Token!);
        var now = (await again.GetAsync("/v1/sandbox/clock")).ShouldBe(HttpStatusCode.OK).Json["now"]!.GetValue<long>();
        now.ShouldBeGreaterThanOrEqualTo(moved);
        now.ShouldBeLessThan(moved + 60_000);
    }
}

public sealed class SandboxClockTests_Sqlite(SqliteServer server) : SandboxClockTests(server), IClassFixture<SqliteServer>;

public sealed class SandboxClockTests_Postgres(PostgresServer server) : SandboxClockTests(server), IClassFixture<PostgresServer>;

/// <summary>Outside sandbox mode the clock cannot be moved: its routes do not exist.</summary>
public sealed class SandboxClockDisabledTests : IAsyncLifetime
{
    private TestDatabase database = null!;
    private SimlaneFactory factory = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        factory = new SimlaneFactory(database.ConnectionString, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(), sandbox: false);
    }

    public async Task DisposeAsync()
    {
        await factory.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task Clock_WithoutSandboxMode_Answers404()
    {
        var client = new ApiClient(factory.CreateDefaultClient(new ContractValidatingHandler()));
        (await client.GetAsync("/v1/sandbox/clock")).ShouldBe(HttpStatusCode.NotFound, "COM0009");
        (await client.PostAsync("/v1/sandbox/clock", new { advanceSeconds = 1 })).ShouldBe(HttpStatusCode.NotFound, "COM0009");
        (await client.PostAsync("/v1/sandbox/init", new { email = "a@example.com", password = "p", authKeyId = "k", authKey = "s" })).ShouldBe(HttpStatusCode.NotFound, "COM0009");
    }
}
