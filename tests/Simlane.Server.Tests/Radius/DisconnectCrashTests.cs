using System.Diagnostics;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Simlane.Server.Tests.Infrastructure;
using Simlane.Storage;

namespace Simlane.Server.Tests.Radius;

/// <summary>
/// kill -9 while a Disconnect-Request is in flight: the request is durable (staged with the termination), so the
/// restarted server sends it again once the killed attempt's claim has lapsed, and records the NAS's ACK.
/// </summary>
public abstract class DisconnectCrashTests(DatabaseKind kind) : FreshDatabaseTest(kind)
{
    private const string Secret = "crash-test-secret-0123456789";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Kill_MidDisconnect_TheRestartedServerSendsItAgain_AndRecordsTheAck()
    {
        // The stand-in ignores the first request (the one in flight when the server dies) and acknowledges the next.
        await using var nas = await NasStandIn.StartAsync(new { secret = Secret, mode = "ack", drop_first = 1 });
        var keys = Directory.CreateTempSubdirectory("simlane-keys-");
        var environment = new Dictionary<string, string>
        {
            ["SIMLANE_KEYS"] = keys.FullName,
            ["Simlane__Radius__Clients__0"] = nas.ClientEntry(Secret),
            ["Simlane__Radius__AuthPort"] = "0",
            ["Simlane__Radius__AcctPort"] = "0",
            ["Simlane__Radius__DynamicAuthorizationTransmissions"] = "1",
            ["Simlane__Radius__DynamicAuthorizationTimeoutMilliseconds"] = "5000",
        };
        ApiClient op;
        string simId;
        const string acct = "crash-acct-1";
        using (var first = await ServerProcess.StartAsync(Database.ConnectionString, environment))
        {
            op = await first.Client().SignUpAsync();
            (simId, var imsi) = await op.RegisterSimAsync();
            (await op.PostAsync($"/v1/sims/{simId}/activate")).ShouldBe(HttpStatusCode.OK);
            await OpenRadiusSessionAsync(simId, imsi, acct);
            (await op.PostAsync($"/v1/sims/{simId}/enable_termination")).ShouldBe(HttpStatusCode.OK);
            (await op.PostAsync($"/v1/sims/{simId}/terminate")).ShouldBe(HttpStatusCode.OK);

            var request = await nas.NextAsync(60);
            request["answered"]!.GetValue<bool>().ShouldBeFalse();
            first.Kill(); // while the attempt still waits for an answer (5 s)
        }

        var inFlight = await RequestAsync(simId);
        (inFlight.State, inFlight.Attempts).ShouldBe((NasRequestStates.Pending, 1));

        using (var second = await ServerProcess.StartAsync(Database.ConnectionString, environment))
        {
            var client = second.Client().WithCredentials(op.ApiKey!, op.Token!, op.OperatorId);

            // Past the killed attempt's claim (its longest duration plus a margin): the request is due again.
            (await client.PostAsync("/v1/sandbox/clock", new { advanceSeconds = 60 })).ShouldBe(HttpStatusCode.OK);
            var again = await nas.NextAsync(60);
            again["code"]!.GetValue<int>().ShouldBe(40);
            again["attrs"]!["Acct-Session-Id"]![0]!.GetValue<string>().ShouldBe(acct);
            again["answered"]!.GetValue<bool>().ShouldBeTrue();

            var clock = Stopwatch.StartNew();
            NasRequest done;
            while ((done = await RequestAsync(simId)).State == NasRequestStates.Pending)
            {
                clock.Elapsed.ShouldBeLessThan(Patience, "waiting for the ACK to be recorded");
                await Task.Delay(50);
            }

            (done.State, done.Attempts).ShouldBe((NasRequestStates.Acked, 2));
            var deleted = (await client.GetAsync($"/v1/sims/{simId}/events/sessions")).ShouldBe(HttpStatusCode.OK).Array
                .Single(e => e!["event"]!.GetValue<string>() == "Deleted")!;
            deleted["dynamicAuthorization"]!["state"]!.GetValue<string>().ShouldBe("acked");
            second.Kill();
        }

        keys.Delete(recursive: true);
    }

    private async Task OpenRadiusSessionAsync(string simId, string imsi, string acct)
    {
        await using var db = DatabaseOptions.Parse(Database.ConnectionString).CreateContext();
        var sim = await db.Sims.Include(s => s.Subscriptions).SingleAsync(s => s.SimId == simId);
        var session = SessionLedger.Open(db, sim, imsi, null, null, null, null, sim.LastModifiedTime);
        session.NasAddress = "127.0.0.1";
        session.AcctSessionId = acct;
        await db.SaveChangesAsync();
    }

    private async Task<NasRequest> RequestAsync(string simId)
    {
        await using var db = DatabaseOptions.Parse(Database.ConnectionString).CreateContext();
        return await db.NasRequests.AsNoTracking().SingleAsync(r => r.SimId == simId);
    }
}

public sealed class DisconnectCrashTests_Sqlite() : DisconnectCrashTests(DatabaseKind.Sqlite);

public sealed class DisconnectCrashTests_Postgres() : DisconnectCrashTests(DatabaseKind.Postgres);
