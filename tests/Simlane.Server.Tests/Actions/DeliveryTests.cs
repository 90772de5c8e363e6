using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Simlane.Server.Tests.Engine;
using Simlane.Server.Tests.Gateway;
using Simlane.Server.Tests.Infrastructure;
using Simlane.Server.Tests.Usage;

namespace Simlane.Server.Tests.Actions;

/// <summary>A server whose mail goes to a real SMTP server (Debian's aiosmtpd) started for the test class.</summary>
public abstract class DeliveryServer(DatabaseKind kind) : ServerFixture(kind)
{
    public SmtpSink Smtp { get; private set; } = null!;

    protected override async Task BeforeStartAsync() => Smtp = await SmtpSink.StartAsync();

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Simlane:Smtp:Host"] = "127.0.0.1",
        ["Simlane:Smtp:Port"] = Smtp.Port.ToString(CultureInfo.InvariantCulture),
        ["Simlane:Smtp:TlsMode"] = "none",
        ["Simlane:Smtp:From"] = "alerts@simlane.test",
    };

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

public sealed class SqliteDeliveryServer() : DeliveryServer(DatabaseKind.Sqlite);

public sealed class PostgresDeliveryServer() : DeliveryServer(DatabaseKind.Postgres);

/// <summary>
/// Actions delivered end to end (issue 6): a handler fires through public calls, the worker delivers to a real
/// SMTP server and a real HTTP endpoint, and the sandbox clock drives retries, the dead letter and due times.
/// </summary>
public abstract class DeliveryTests(DeliveryServer server)
{
    private const string MonthlyOver1 = """{"limitTotalTrafficMegaByte":"1","inactiveTimeoutDateConst":"BEGINNING_OF_NEXT_MONTH"}""";

    private static JsonObject WebAction(Uri url, string when = "IMMEDIATELY") => new()
    {
        ["type"] = "ExecuteWebRequestAction",
        ["properties"] = new JsonObject
        {
            ["executionDateTimeConst"] = when,
            ["url"] = url.ToString(),
            ["httpMethod"] = "POST",
            ["contentType"] = "application/json",
            ["headers"] = """{"X-Fleet":"${tags.fleet}"}""",
            ["body"] = """{"imsi":"${imsi}","sim":"${simId}","operator":"${operatorId}","coverage":"${coverage}"}""",
        },
    };

    private async Task<(ApiClient Op, string Imsi, string SimId)> SimWithTagAsync()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var simId = sim.Str("simId");
        (await op.PutAsync($"/v1/sims/{simId}/tags", new[] { new { tagName = "fleet", tagValue = "north" } })).ShouldBe(HttpStatusCode.OK);
        return (op, sim.Imsi(), simId);
    }

    private static readonly string[] Times = ["IMMEDIATELY", "BEGINNING_OF_NEXT_DAY", "AFTER_ONE_DAY", "BEGINNING_OF_NEXT_MONTH", "NEVER"];

    /// <summary>
    /// Every action type with every execution time: five copies of the action, one per time, in one handler. Each
    /// runs at its due time and not before, NEVER never runs, and each run reaches the real receiver of its type.
    /// </summary>
    [Theory]
    [InlineData("SendMailAction")]
    [InlineData("SendMailToOperatorAction")]
    [InlineData("ExecuteWebRequestAction")]
    [InlineData("InvokeAWSLambdaAction")]
    [InlineData("ActivationAction")]
    [InlineData("DeactivationAction")]
    [InlineData("StandbyAction")]
    [InlineData("SuspendAction")]
    [InlineData("ChangeSpeedClassAction")]
    [InlineData("ImeiLockAction")]
    public async Task EachActionType_RunsAtEachExecutionTime(string type)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var lambda = await FakeLambda.StartAsync();
        var (op, imsi, _) = await SimWithTagAsync();
        var marker = Guid.NewGuid().ToString("N");
        (await op.PostAsync($"/v1/credentials/lambda-{marker}", CredentialsTests.Aws())).ShouldBe(HttpStatusCode.Created);
        JsonObject Properties(string when)
        {
            var p = new JsonObject { ["executionDateTimeConst"] = when, ["executionOffsetMinutes"] = "1" };
            if (when is "NEVER" or "IMMEDIATELY")
            {
                p.Remove("executionOffsetMinutes");
            }

            switch (type)
            {
                case "SendMailAction":
                    p["to"] = $"{marker}@example.com";
                    p["title"] = $"{marker} {when}";
                    p["message"] = "m";
                    break;
                case "SendMailToOperatorAction":
                    p["title"] = $"{marker} {when}";
                    p["message"] = "m";
                    break;
                case "ExecuteWebRequestAction":
                    p["url"] = receiver.Url($"/ok/{marker}/{when}").ToString();
                    p["httpMethod"] = "GET";
                    p["contentType"] = "application/json";
                    p["headers"] = "{}";
                    break;
                case "InvokeAWSLambdaAction":
                    p["endpoint"] = lambda.Endpoint.ToString();
                    p["functionName"] = "f";
                    p["credentialsId"] = $"lambda-{marker}";
                    p["parameter1"] = when;
                    break;
                case "ChangeSpeedClassAction":
                    p["speedClass"] = "s1.slow";
                    break;
            }

            return p;
        }

        int Arrived(string when) => type switch
        {
            "SendMailAction" or "SendMailToOperatorAction" => server.Smtp.Messages().Count(m => m.Message.Subject == $"{marker} {when}"),
            "ExecuteWebRequestAction" => receiver.Requests.Count(r => r.PathAndQuery == $"/ok/{marker}/{when}"),
            "InvokeAWSLambdaAction" => lambda.Received.Count(r => System.Text.Encoding.UTF8.GetString(r.Body).Contains(when, StringComparison.Ordinal)),
            _ => -1, // SIM actions: the state says it; the change itself is checked in SimActionTests
        };

        var actions = new JsonArray([.. Times.Select(when => (JsonNode)new JsonObject { ["type"] = type, ["properties"] = Properties(when) })]);
        string id;
        if (type == "ImeiLockAction")
        {
            id = await op.CreateHandlerAsync("targetImsi", imsi, "SubscriberSessionStatusRule",
                """{"sessionStatus":"Created","hasImei":true,"inactiveTimeoutDateConst":"NEVER"}""", actions: actions);
            await server.Gateway().AcceptedSessionAsync(imsi, Simlane.Server.Tests.Gateway.SessionTestKit.Imei1);
            await op.DrainAsync();
        }
        else
        {
            id = await op.CreateHandlerAsync("targetImsi", imsi, "SubscriberMonthlyTrafficRule", MonthlyOver1, actions: actions);
            await server.TrafficAsync(op, imsi, EngineTestKit.MiB + 1);
        }

        var execution = (await op.ExecutionsAsync(id)).Single()!;
        EngineTestKit.ActionState(execution, 0)["state"]!.GetValue<string>().ShouldBe("succeeded", EngineTestKit.ActionState(execution, 0)["lastError"]?.ToString());
        EngineTestKit.ActionState(execution, 4)["state"]!.GetValue<string>().ShouldBe("skipped");
        if (Arrived("IMMEDIATELY") >= 0)
        {
            Arrived("IMMEDIATELY").ShouldBe(1);
        }

        var fired = execution["firedTime"]!.GetValue<long>();
        var dues = new[] { 1, 2, 3 }.Select(i => (Index: i, When: Times[i], Due: EngineTestKit.ActionState(execution, i)["dueTime"]!.GetValue<long>())).OrderBy(x => x.Due).ToList();
        dues.Single(d => d.When == "AFTER_ONE_DAY").Due.ShouldBe(fired + 86_400_000 + 60_000);
        foreach (var (index, when, due) in dues)
        {
            await op.SetClockAsync(due - 1);
            EngineTestKit.ActionState((await op.ExecutionsAsync(id)).Single()!, index)["state"]!.GetValue<string>().ShouldBe("scheduled");
            await op.SetClockAsync(due);
            var state = EngineTestKit.ActionState((await op.ExecutionsAsync(id)).Single()!, index);
            state["state"]!.GetValue<string>().ShouldBe("succeeded", state["lastError"]?.ToString());
            state["completedTime"]!.GetValue<long>().ShouldBe(due);
            if (Arrived(when) >= 0)
            {
                Arrived(when).ShouldBe(1);
            }
        }

        Arrived("NEVER").ShouldBeLessThanOrEqualTo(0);
        EngineTestKit.ActionState((await op.ExecutionsAsync(id)).Single()!, 4)["attempts"]!.GetValue<int>().ShouldBe(0);
    }

    [Fact]
    public async Task Mail_ArrivesAtTheSmtpServer_WithTheVariablesOfTheFiring_AndTheDeliveryIdAsMessageId()
    {
        var (op, imsi, simId) = await SimWithTagAsync();
        var id = await op.CreateHandlerAsync("targetImsi", imsi, "SubscriberMonthlyTrafficRule", MonthlyOver1, actions: new JsonArray(
            new JsonObject
            {
                ["type"] = "SendMailAction",
                ["properties"] = new JsonObject
                {
                    ["executionDateTimeConst"] = "IMMEDIATELY", ["to"] = $"ops-{imsi}@example.com",
                    ["title"] = "Over the limit: ${imsi}", ["message"] = "SIM ${simId} (${tags.fleet}) on ${date}",
                },
            },
            new JsonObject { ["type"] = "SendMailToOperatorAction", ["properties"] = new JsonObject { ["executionDateTimeConst"] = "IMMEDIATELY", ["title"] = "To you ${imsi}", ["message"] = "m" } }));

        await server.TrafficAsync(op, imsi, EngineTestKit.MiB + 1);
        var execution = (await op.ExecutionsAsync(id)).Single()!;
        EngineTestKit.ActionState(execution, 0)["state"]!.GetValue<string>().ShouldBe("succeeded");
        EngineTestKit.ActionState(execution, 1)["state"]!.GetValue<string>().ShouldBe("succeeded");

        var mail = server.Smtp.Messages().Single(m => m.Recipients.Contains($"ops-{imsi}@example.com"));
        mail.Message.Subject.ShouldBe($"Over the limit: {imsi}");
        var date = DateTimeOffset.FromUnixTimeMilliseconds(execution["firedTime"]!.GetValue<long>());
        mail.Body.ShouldContain($"SIM {simId} (north) on {date.Year}/{date.Month}/{date.Day}");
        mail.MailFrom.ShouldBe("alerts@simlane.test");
        mail.Message.MessageId.ShouldStartWith(EngineTestKit.ActionState(execution, 0)["deliveryId"]!.GetValue<string>());

        var email = (await op.GetAsync($"/v1/operators/{op.OperatorId}")).ShouldBe(HttpStatusCode.OK).Str("email");
        server.Smtp.Messages().Single(m => m.Message.Subject == $"To you {imsi}").Recipients.ShouldBe([email]);
    }

    [Fact]
    public async Task WebRequest_ThatFailsTwiceThenSucceeds_IsRetriedWithBackoff_WithOneDeliveryId_AndSucceeds()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (op, imsi, simId) = await SimWithTagAsync();
        var path = $"/flaky/2/{Guid.NewGuid():N}";
        var id = await op.CreateHandlerAsync("targetImsi", imsi, "SubscriberMonthlyTrafficRule", MonthlyOver1,
            actions: new JsonArray(WebAction(receiver.Url(path))));
        await server.TrafficAsync(op, imsi, EngineTestKit.MiB + 1);

        var first = EngineTestKit.ActionState((await op.ExecutionsAsync(id)).Single()!, 0);
        first["state"]!.GetValue<string>().ShouldBe("scheduled");
        first["attempts"]!.GetValue<int>().ShouldBe(1);
        first["lastHttpStatus"]!.GetValue<int>().ShouldBe(503);
        var lastAttempt = first["lastAttemptTime"]!.GetValue<long>();
        var retryAt = first["nextAttemptTime"]!.GetValue<long>();
        (retryAt - lastAttempt).ShouldBeInRange(15_000, 30_000); // first backoff: 30 s with equal jitter

        // Not before its time.
        await op.SetClockAsync(retryAt - 1);
        EngineTestKit.ActionState((await op.ExecutionsAsync(id)).Single()!, 0)["attempts"]!.GetValue<int>().ShouldBe(1);

        await op.SetClockAsync(retryAt);
        var second = EngineTestKit.ActionState((await op.ExecutionsAsync(id)).Single()!, 0);
        second["attempts"]!.GetValue<int>().ShouldBe(2);
        (second["nextAttemptTime"]!.GetValue<long>() - retryAt).ShouldBeInRange(30_000, 60_000); // doubled

        await op.SetClockAsync(second["nextAttemptTime"]!.GetValue<long>());
        var done = EngineTestKit.ActionState((await op.ExecutionsAsync(id)).Single()!, 0);
        done["state"]!.GetValue<string>().ShouldBe("succeeded");
        done["attempts"]!.GetValue<int>().ShouldBe(3);
        done["lastHttpStatus"]!.GetValue<int>().ShouldBe(200);
        done["lastError"].ShouldBeNull();

        var requests = receiver.Requests.Where(r => r.PathAndQuery == path).ToList();
        requests.Count.ShouldBe(3);
        requests.Select(r => r.Header("X-Simlane-Delivery-Id")).Distinct().Single().ShouldBe(done["deliveryId"]!.GetValue<string>());
        var body = JsonNode.Parse(requests[^1].Body)!;
        body["imsi"]!.GetValue<string>().ShouldBe(imsi);
        body["sim"]!.GetValue<string>().ShouldBe(simId);
        body["operator"]!.GetValue<string>().ShouldBe(op.OperatorId);
        body["coverage"]!.GetValue<string>().ShouldBe("jp");
        requests[^1].Header("X-Fleet").ShouldBe("north");
    }

    [Fact]
    public async Task WebRequest_ToAnEndpointThatStaysDown_IsDeadAfterTheRetryWindow_AndCanBeRetriedByHand()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (op, imsi, _) = await SimWithTagAsync();
        var id = await op.CreateHandlerAsync("targetImsi", imsi, "SubscriberMonthlyTrafficRule", MonthlyOver1,
            actions: new JsonArray(WebAction(receiver.Url($"/status/500/{Guid.NewGuid():N}"))));
        await server.TrafficAsync(op, imsi, EngineTestKit.MiB + 1);
        var start = EngineTestKit.ActionState((await op.ExecutionsAsync(id)).Single()!, 0)["lastAttemptTime"]!.GetValue<long>();

        // Follow the retries through the 24 h window: each attempt is scheduled, until one after the window ends it.
        JsonObject action;
        var rounds = 0;
        while (true)
        {
            action = EngineTestKit.ActionState((await op.ExecutionsAsync(id)).Single()!, 0);
            if (action["state"]!.GetValue<string>() != "scheduled")
            {
                break;
            }

            (++rounds).ShouldBeLessThan(60);
            await op.SetClockAsync(action["nextAttemptTime"]!.GetValue<long>());
        }

        action["state"]!.GetValue<string>().ShouldBe("dead");
        action["lastHttpStatus"]!.GetValue<int>().ShouldBe(500);
        action["lastError"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
        action["completedTime"]!.GetValue<long>().ShouldBeGreaterThanOrEqualTo(start + (24 * 3_600_000));
        var attempts = action["attempts"]!.GetValue<int>();
        attempts.ShouldBeGreaterThan(5);

        // Nothing more happens by itself…
        await op.SetClockAsync(await op.NowMsAsync() + (7 * 86_400_000L));
        EngineTestKit.ActionState((await op.ExecutionsAsync(id)).Single()!, 0)["attempts"]!.GetValue<int>().ShouldBe(attempts);

        // …until it is retried through the API: one more attempt now, with a fresh window.
        var executionId = (await op.ExecutionsAsync(id)).Single()!["executionId"]!.GetValue<string>();
        (await op.PostAsync($"/v1/event_handlers/{id}/executions/{executionId}/actions/0/retry")).ShouldBe(HttpStatusCode.OK);
        await op.DrainAsync();
        var retried = EngineTestKit.ActionState((await op.ExecutionsAsync(id)).Single()!, 0);
        retried["attempts"]!.GetValue<int>().ShouldBe(attempts + 1);
        retried["state"]!.GetValue<string>().ShouldBe("scheduled");
    }

    [Fact]
    public async Task WebRequest_Signature_VerifiesWithTheOperatorsSecret()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (op, imsi, _) = await SimWithTagAsync();
        var secret = (await op.PostAsync($"/v1/operators/{op.OperatorId}/webhook_secret")).ShouldBe(HttpStatusCode.OK).Str("secret");
        var path = $"/ok/{Guid.NewGuid():N}";
        await op.CreateHandlerAsync("targetImsi", imsi, "SubscriberMonthlyTrafficRule", MonthlyOver1, actions: new JsonArray(WebAction(receiver.Url(path))));
        await server.TrafficAsync(op, imsi, EngineTestKit.MiB + 1);

        var request = receiver.Requests.Single(r => r.PathAndQuery == path);
        var timestamp = request.Header("X-Simlane-Timestamp")!;
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{request.Body}")));
        request.Header("X-Simlane-Signature").ShouldBe($"v1={expected}");
    }

    [Fact]
    public async Task ActionsOfOneFiring_AreIndependent_AFailingOneDoesNotHoldBackTheOthers()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (op, imsi, _) = await SimWithTagAsync();
        var path = $"/ok/{Guid.NewGuid():N}";
        var id = await op.CreateHandlerAsync("targetImsi", imsi, "SubscriberMonthlyTrafficRule", MonthlyOver1, actions: new JsonArray(
            WebAction(receiver.Url($"/status/404/{Guid.NewGuid():N}")), WebAction(receiver.Url(path)),
            new JsonObject { ["type"] = "SendMailAction", ["properties"] = new JsonObject { ["executionDateTimeConst"] = "IMMEDIATELY", ["to"] = "reject@example.com", ["title"] = "t", ["message"] = "m" } },
            new JsonObject { ["type"] = "ActivationAction", ["properties"] = new JsonObject { ["executionDateTimeConst"] = "IMMEDIATELY" } }));
        await server.TrafficAsync(op, imsi, EngineTestKit.MiB + 1);

        var execution = (await op.ExecutionsAsync(id)).Single()!;
        EngineTestKit.ActionState(execution, 0)["state"]!.GetValue<string>().ShouldBe("failed");
        EngineTestKit.ActionState(execution, 0)["lastHttpStatus"]!.GetValue<int>().ShouldBe(404);
        EngineTestKit.ActionState(execution, 1)["state"]!.GetValue<string>().ShouldBe("succeeded");
        EngineTestKit.ActionState(execution, 2)["state"]!.GetValue<string>().ShouldBe("failed");
        EngineTestKit.ActionState(execution, 2)["lastError"]!.GetValue<string>().ShouldContain("550");
        EngineTestKit.ActionState(execution, 3)["state"]!.GetValue<string>().ShouldBe("succeeded");
        receiver.Requests.Count(r => r.PathAndQuery == path).ShouldBe(1);
        (await op.GetAsync($"/v1/subscribers/{imsi}")).ShouldBe(HttpStatusCode.OK).Str("status").ShouldBe("active");
    }
}

public sealed class DeliveryTests_Sqlite(SqliteDeliveryServer server) : DeliveryTests(server), IClassFixture<SqliteDeliveryServer>;

public sealed class DeliveryTests_Postgres(PostgresDeliveryServer server) : DeliveryTests(server), IClassFixture<PostgresDeliveryServer>;
