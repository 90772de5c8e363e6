using System.Net;
using Microsoft.EntityFrameworkCore;
using Simlane.Core.Errors;
using Simlane.Server.Scheduling;
using Simlane.Server.Tests.Infrastructure;
using Simlane.Storage;

namespace Simlane.Server.Tests.Contract;

/// <summary>
/// The sandbox clock stays within <see cref="InputLimits"/>' range: a move beyond it is 400 and changes
/// nothing, and an offset stored beyond it (before the range existed) is repaired at start-up instead of
/// failing every clock-dependent call for good. Its own server: these tests move the shared clock. No SIM
/// exists before the jump to year 3000, whose billing catch-up would take minutes.
/// </summary>
public abstract class ClockBoundsTests(ServerFixture server)
{
    [Theory]
    [InlineData("""{"now":253402300799000}""")] // 9999-12-31T23:59:59Z
    [InlineData("""{"now":32503680000000}""")] // 3000-01-01, the first instant beyond the range
    [InlineData("""{"now":9223372036854775807}""")]
    [InlineData("""{"advanceSeconds":31536000000}""")] // 1,000 years
    [InlineData("""{"advanceSeconds":9223372036854775807}""")]
    public async Task MoveBeyondTheRange_Answers400_AndTheClockKeepsWorking(string body)
    {
        var op = await server.NewOperatorAsync();
        var before = (await op.GetAsync("/v1/sandbox/clock")).ShouldBe(HttpStatusCode.OK).Json["now"]!.GetValue<long>();

        (await op.SendRawAsync(HttpMethod.Post, "/v1/sandbox/clock", body)).ShouldBe(HttpStatusCode.BadRequest, "COM0004");

        var after = (await op.GetAsync("/v1/sandbox/clock")).ShouldBe(HttpStatusCode.OK).Json["now"]!.GetValue<long>();
        after.ShouldBeLessThan(before + 60_000);
        (await op.GetAsync("/v1/sims")).ShouldBe(HttpStatusCode.OK);
        (await server.NewOperatorAsync()).Token.ShouldNotBeNull();
    }

    [Fact]
    public async Task BrokenStoredOffset_IsRepairedAtStartUp_AndEveryCallWorks()
    {
        await SetStoredOffsetAsync(long.MaxValue / 2);
        await server.RestartAsync();

        var op = await server.NewOperatorAsync();
        var now = (await op.GetAsync("/v1/sandbox/clock")).ShouldBe(HttpStatusCode.OK).Json["now"]!.GetValue<long>();
        now.ShouldBeLessThan(InputLimits.MaxTimeMs);
        now.ShouldBeGreaterThan(InputLimits.MaxTimeMs - 86_400_000);
        var sim = await op.CreateRegisteredSimAsync();
        (await op.PostAsync($"/v1/sims/{sim.Str("simId")}/deactivate")).ShouldBe(HttpStatusCode.OK);
        (await op.GetAsync($"/v1/sims/{sim.Str("simId")}/statuses/history")).ShouldBe(HttpStatusCode.OK);
        (await op.PostAsync("/v1/sandbox/clock", new { advanceSeconds = 0 })).ShouldBe(HttpStatusCode.OK);
        (await op.PostAsync("/v1/sandbox/clock", new { advanceSeconds = 86_400 })).ShouldBe(HttpStatusCode.BadRequest, "COM0004");

        (await ReadStoredOffsetAsync()).ShouldBeLessThan(InputLimits.MaxTimeMs);
    }

    [Theory]
    [InlineData(0L, 0L)]
    [InlineData(-5L, 0L)]
    [InlineData(1000L, 1000L)]
    [InlineData(long.MaxValue, InputLimits.MaxTimeMs - 1 - 1_000_000)]
    public void SafeOffset_KeepsTheClockInTheRange(long stored, long expected) =>
        SandboxClock.SafeOffset(1_000_000, stored).ShouldBe(expected);

    private async Task SetStoredOffsetAsync(long offset)
    {
        await using var db = DatabaseOptions.Parse(server.Database.ConnectionString).CreateContext();
        var state = await db.ClockStates.SingleOrDefaultAsync(s => s.Name == SandboxClock.StateName);
        if (state is null)
        {
            db.ClockStates.Add(new ClockState { Name = SandboxClock.StateName, OffsetMs = offset });
        }
        else
        {
            state.OffsetMs = offset;
        }

        await db.SaveChangesAsync();
    }

    private async Task<long> ReadStoredOffsetAsync()
    {
        await using var db = DatabaseOptions.Parse(server.Database.ConnectionString).CreateContext();
        var offset = (await db.ClockStates.SingleAsync(s => s.Name == SandboxClock.StateName)).OffsetMs;
        return server.Clock.GetUtcNow().ToUnixTimeMilliseconds() + offset;
    }
}

public sealed class ClockBoundsTests_Sqlite(SqliteServer server) : ClockBoundsTests(server), IClassFixture<SqliteServer>;

public sealed class ClockBoundsTests_Postgres(PostgresServer server) : ClockBoundsTests(server), IClassFixture<PostgresServer>;
