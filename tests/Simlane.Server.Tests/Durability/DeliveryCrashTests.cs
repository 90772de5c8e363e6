using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Simlane.Server.Tests.Actions;
using Simlane.Server.Tests.Engine;
using Simlane.Server.Tests.Infrastructure;
using Simlane.Server.Tests.Usage;

namespace Simlane.Server.Tests.Durability;

/// <summary>
/// kill -9 while a web request action is in flight: the restarted server delivers it again once its lease has
/// lapsed, with the same delivery id, so a receiver that de-duplicates on it acts exactly once.
/// </summary>
public abstract class DeliveryCrashTests(DatabaseKind kind) : FreshDatabaseTest(kind)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Kill_MidDelivery_RedeliversAfterRestart_AndADeduplicatingReceiverActsOnce()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var keys = Directory.CreateTempSubdirectory("simlane-keys-");
        var environment = new Dictionary<string, string>
        {
            // Long enough that the restarted server's own attempt (cut at 90 % of the lease) is never cut on a loaded
            // machine: with 2 s, a slow first request after the restart timed out and a third attempt followed.
            ["Simlane__Delivery__LeaseSeconds"] = "10",
            ["SIMLANE_KEYS"] = keys.FullName,
        };
        var path = $"/hang-once/{Guid.NewGuid():N}";
        ApiClient op;
        string handlerId;
        using (var first = await ServerProcess.StartAsync(Database.ConnectionString, environment))
        {
            op = await first.Client().SignUpAsync();
            var imsi = (await op.CreateRegisteredSimAsync()).Imsi();
            handlerId = await op.CreateHandlerAsync("targetImsi", imsi, "SubscriberDailyTrafficRule",
                """{"limitTotalTrafficMegaByte":"1","inactiveTimeoutDateConst":"BEGINNING_OF_NEXT_DAY"}""",
                actions: new JsonArray(new JsonObject
                {
                    ["type"] = "ExecuteWebRequestAction",
                    ["properties"] = new JsonObject
                    {
                        ["executionDateTimeConst"] = "IMMEDIATELY", ["url"] = receiver.Url(path).ToString(), ["httpMethod"] = "POST",
                        ["contentType"] = "application/json", ["headers"] = "{}", ["body"] = """{"imsi":"${imsi}"}""",
                    },
                }));

            // Recorded without draining, so the background loops fire and deliver while this test waits.
            var now = await op.NowMsAsync();
            (await op.PostAsync($"/v1/sandbox/stats/air/subscribers/{imsi}", new
            {
                unixtime = now / 1000,
                dataTrafficStatsMap = new Dictionary<string, object> { ["s1.standard"] = new { downloadByteSizeTotal = 2 * EngineTestKit.MiB } },
            })).ShouldBe(HttpStatusCode.OK);

            await WaitForAsync(() => receiver.Requests.Any(r => r.PathAndQuery == path), "the first delivery attempt to arrive");
            first.Kill();
        }

        using (var second = await ServerProcess.StartAsync(Database.ConnectionString, environment))
        {
            await WaitForAsync(() => receiver.Requests.Count(r => r.PathAndQuery == path) >= 2, "the redelivery after restart");
            var client = second.Client().WithCredentials(op.ApiKey!, op.Token!, op.OperatorId);
            JsonObject action = null!;
            await WaitForAsync(
                async () =>
                {
                    action = (await client.ExecutionsAsync(handlerId)).Single()!["actions"]!.AsArray()[0]!.AsObject();
                    return action["state"]!.GetValue<string>() == "succeeded";
                },
                "the redelivery to be recorded");
            action["attempts"]!.GetValue<int>().ShouldBe(2);
            action["lastHttpStatus"]!.GetValue<int>().ShouldBe(200);

            // Nothing more is sent, also after the clock moves on.
            await client.DrainAsync();
            var requests = receiver.Requests.Where(r => r.PathAndQuery == path).ToList();
            requests.Count.ShouldBe(2);

            // What a de-duplicating receiver keeps: one delivery.
            var deliveryIds = requests.Select(r => r.Header("X-Simlane-Delivery-Id")).Distinct().ToList();
            deliveryIds.ShouldBe([action["deliveryId"]!.GetValue<string>()]);
            second.Kill();
        }

        keys.Delete(recursive: true);
    }

    private static Task WaitForAsync(Func<bool> condition, string what) => WaitForAsync(() => Task.FromResult(condition()), what);

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            clock.Elapsed.ShouldBeLessThan(Patience, $"waiting for {what}");
            await Task.Delay(50);
        }
    }
}

public sealed class DeliveryCrashTests_Sqlite() : DeliveryCrashTests(DatabaseKind.Sqlite);

public sealed class DeliveryCrashTests_Postgres() : DeliveryCrashTests(DatabaseKind.Postgres);
