using System.Net;
using System.Net.Sockets;
using Simlane.Server.Tests.Infrastructure;
using Simlane.Server.Tests.Usage;
using Simlane.TestSupport.Diameter;
using static Simlane.Server.Tests.Gateway.SessionTestKit;

namespace Simlane.Server.Tests.Diameter;

/// <summary>
/// kill -9 of simlane-server while CCR-Updates are in flight or answered but the answers lost: the PGW reconnects to
/// the restarted server and retries the same requests (same Session-Id and CC-Request-Number, T flag); every report is
/// counted exactly once, whichever side of the commit the kill fell on.
/// </summary>
public abstract class GyCrashTests(DatabaseKind kind) : FreshDatabaseTest(kind)
{
    private const string Pgw = "pgw.crash.example";
    private const int Sessions = 12;

    [Fact]
    public async Task Kill_BetweenUpdateAndAnswer_RetriedUpdatesCountedOnce()
    {
        var port = Simlane.TestSupport.LoopbackPorts.FreeTcpPort();
        var keys = Directory.CreateTempSubdirectory("simlane-keys-");
        var environment = new Dictionary<string, string>
        {
            ["SIMLANE_KEYS"] = keys.FullName,
            ["Simlane__Diameter__Peers__0"] = $"{Pgw}=127.0.0.1",
            ["Simlane__Diameter__Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Simlane__Diameter__Bind"] = "127.0.0.1",
        };
        ApiClient op;
        var imsis = new List<string>();
        var ids = Enumerable.Range(0, Sessions).Select(_ => GyPeer.NewSessionId(Pgw)).ToList();
        GyPeer? pgw = null;
        try
        {
            using (var first = await ServerProcess.StartAsync(Database.ConnectionString, environment))
            {
                op = await first.Client().SignUpAsync();
                for (var i = 0; i < Sessions; i++)
                {
                    var (_, imsi) = await op.RegisterSimAsync();
                    imsis.Add(imsi);
                }

                pgw = await GyPeer.StartAsync(port, originHost: Pgw);
                pgw.CapabilitiesResultCode.ShouldBe(2001);
                for (var i = 0; i < Sessions; i++)
                {
                    (await pgw.CcrAsync(new GyRequest(ids[i], GyRequestType.InitialRequest, 0, imsis[i])))["resultCode"]!.GetValue<int>().ShouldBe(2001);
                }

                // Session 0: its update is answered, and the answer "lost" (the PGW will retry it anyway).
                (await pgw.CcrAsync(Update(0)))["resultCode"]!.GetValue<int>().ShouldBe(2001);

                // The others: sent together, and the server killed without waiting for their answers.
                var inFlight = Enumerable.Range(1, Sessions - 1).Select(i => pgw.CcrAsync(Update(i))).ToList();
                first.Kill();
                await Task.WhenAll(inFlight.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
            }

            using (var second = await ServerProcess.StartAsync(Database.ConnectionString, environment))
            {
                var client = second.Client().WithCredentials(op.ApiKey!, op.Token!, op.OperatorId);
                var reconnected = await pgw.ReconnectAsync();
                GyPeer.ResultCode(reconnected["cea"]!.AsObject()).ShouldBe(2001, reconnected.ToJsonString());
                for (var i = 0; i < Sessions; i++)
                {
                    var retry = await pgw.CcrAsync(Update(i) with { Retransmit = true });
                    retry["resultCode"]!.GetValue<int>().ShouldBe(2001, $"session {i}");
                }

                // And once more, as a peer that retried twice: still nothing more.
                (await pgw.CcrAsync(Update(0) with { Retransmit = true }))["resultCode"]!.GetValue<int>().ShouldBe(2001);
                for (var i = 0; i < Sessions; i++)
                {
                    (await TotalsAsync(client, imsis[i])).ShouldBe((1_000L + i, 2_000L + i), $"session {i}: counted exactly once");
                }

                second.Kill();
            }
        }
        finally
        {
            if (pgw is not null)
            {
                await pgw.DisposeAsync();
            }
        }

        keys.Delete(recursive: true);

        GyRequest Update(int i) => new(ids[i], GyRequestType.UpdateRequest, 1, imsis[i]) { UsedInput = (ulong)(1_000 + i), UsedOutput = (ulong)(2_000 + i) };
    }


    private static async Task<(long Up, long Down)> TotalsAsync(ApiClient op, string imsi)
    {
        var now = (await op.GetAsync("/v1/sandbox/clock")).ShouldBe(HttpStatusCode.OK).Json["now"]!.GetValue<long>() / 1000;
        var buckets = (await op.StatsAsync($"subscribers/{imsi}", now - 86_400, now + 86_400, "day")).Buckets();
        return (buckets.Sum(b => b.Up), buckets.Sum(b => b.Down));
    }
}

public sealed class GyCrashTests_Sqlite() : GyCrashTests(DatabaseKind.Sqlite);

public sealed class GyCrashTests_Postgres() : GyCrashTests(DatabaseKind.Postgres);
