using System.Net;
using Microsoft.EntityFrameworkCore;
using Simlane.Server.Scheduling;
using Simlane.Server.Tests.Infrastructure;
using Simlane.Storage;

namespace Simlane.Server.Tests.Durability;

/// <summary>
/// A timer that comes due while the server is dead (killed, not stopped) fires exactly once when it
/// starts again: the expiry's effect and the timer's deletion commit together.
/// </summary>
public abstract class TimerCrashTests(DatabaseKind kind) : FreshDatabaseTest(kind)
{
    [Fact]
    public async Task Kill_WithAnExpiryDue_FiresItExactlyOnceAfterRestart()
    {
        // Far enough ahead that the kill lands before the expiry on any machine; the dead server's sandbox clock
        // is then moved past it (no real-time wait).
        const long leadMs = 3_600_000;
        ApiClient op;
        string simId;
        long expiry;
        using (var first = await ServerProcess.StartAsync(Database.ConnectionString))
        {
            op = await first.Client().SignUpAsync();
            simId = (await op.CreateRegisteredSimAsync()).Str("simId");
            (await op.PostAsync($"/v1/sims/{simId}/enable_termination")).ShouldBe(HttpStatusCode.OK);
            var now = (await op.GetAsync("/v1/sandbox/clock")).Json["now"]!.GetValue<long>();
            expiry = now + leadMs;
            (await op.PostAsync($"/v1/sims/{simId}/set_expiry_time", new { expiryTime = expiry, expiryAction = "terminate" })).ShouldBe(HttpStatusCode.OK);
            first.Kill();
        }

        (await CountAsync(simId, "Expired")).ShouldBe(0, "the server was killed before the expiry came due");
        (await TimerPendingAsync(simId)).ShouldBeTrue();

        // While no server runs, the sandbox clock moves past the expiry (as POST /v1/sandbox/clock would have
        // persisted it): the next server starts with the timer already overdue.
        await MoveSandboxClockAsync(leadMs + 60_000);

        using (var second = await ServerProcess.StartAsync(Database.ConnectionString))
        {
            var again = second.Client().WithCredentials(op.ApiKey!, op.Token!, op.OperatorId);
            var sim = await WaitForStatusAsync(again, simId, "terminated");
            sim.Json.AsObject().ContainsKey("expiryTime").ShouldBeFalse();
            second.Kill();
        }

        // A third start finds nothing left to fire.
        using (var third = await ServerProcess.StartAsync(Database.ConnectionString))
        {
            var again = third.Client().WithCredentials(op.ApiKey!, op.Token!, op.OperatorId);
            (await again.GetAsync($"/v1/sims/{simId}")).ShouldBe(HttpStatusCode.OK).Str("status").ShouldBe("terminated");
        }

        (await CountAsync(simId, "Expired", simLevel: true)).ShouldBe(1);
        (await CountAsync(simId, "StatusChanged", simLevel: true)).ShouldBe(1);
        (await TimerPendingAsync(simId)).ShouldBeFalse();
    }

    private static async Task<ApiResponse> WaitForStatusAsync(ApiClient client, string simId, string status)
    {
        // The scheduler drains overdue timers as the server starts; allow it a bounded moment.
        for (var attempt = 0; ; attempt++)
        {
            var sim = (await client.GetAsync($"/v1/sims/{simId}")).ShouldBe(HttpStatusCode.OK);
            if (sim.Str("status") == status || attempt == 100)
            {
                sim.Str("status").ShouldBe(status);
                return sim;
            }

            await Task.Delay(100);
        }
    }

    private async Task MoveSandboxClockAsync(long byMs)
    {
        await using var db = DatabaseOptions.Parse(Database.ConnectionString).CreateContext();
        var state = await db.ClockStates.SingleOrDefaultAsync(s => s.Name == SandboxClock.StateName);
        if (state is null)
        {
            db.ClockStates.Add(new ClockState { Name = SandboxClock.StateName, OffsetMs = byMs });
        }
        else
        {
            state.OffsetMs += byMs;
        }

        await db.SaveChangesAsync();
    }

    private async Task<int> CountAsync(string simId, string type, bool simLevel = false)
    {
        await using var db = DatabaseOptions.Parse(Database.ConnectionString).CreateContext();
        return await db.DomainEvents.CountAsync(e => e.SimId == simId && e.Type == type && (!simLevel || e.Imsi == null));
    }

    private async Task<bool> TimerPendingAsync(string simId)
    {
        await using var db = DatabaseOptions.Parse(Database.ConnectionString).CreateContext();
        return await db.Timers.AnyAsync(t => t.Key == TimerKinds.SimExpiryKey(simId));
    }
}

public sealed class TimerCrashTests_Sqlite() : TimerCrashTests(DatabaseKind.Sqlite);

public sealed class TimerCrashTests_Postgres() : TimerCrashTests(DatabaseKind.Postgres);
