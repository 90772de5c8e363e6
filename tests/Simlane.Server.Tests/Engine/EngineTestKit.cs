using System.Net;
using System.Text.Json.Nodes;
using Simlane.Server.Tests.Infrastructure;
using Simlane.Server.Tests.Usage;

namespace Simlane.Server.Tests.Engine;

/// <summary>Public-API helpers for the rule-engine tests: handlers, usage, the sandbox clock, executions.</summary>
public static class EngineTestKit
{
    public const long MiB = 1_048_576;

    public static JsonObject MailAction(string when = "IMMEDIATELY", string? offset = null)
    {
        var properties = new JsonObject
        {
            ["executionDateTimeConst"] = when,
            ["to"] = "ops@example.com",
            ["title"] = "Alert ${imsi}",
            ["message"] = "SIM ${simId} tag ${tags.name} on ${date} (${coverage})",
        };
        if (offset is not null)
        {
            properties["executionOffsetMinutes"] = offset;
        }

        return new JsonObject { ["type"] = "SendMailAction", ["properties"] = properties };
    }

    public static JsonObject HandlerBody(string targetField, string target, string ruleType, string ruleProperties, string status = "active", string name = "h", JsonArray? actions = null) => new()
    {
        ["name"] = name,
        ["status"] = status,
        [targetField] = target,
        ["ruleConfig"] = new JsonObject { ["type"] = ruleType, ["properties"] = JsonNode.Parse(ruleProperties) },
        ["actionConfigList"] = actions ?? new JsonArray(MailAction()),
    };

    public static async Task<string> CreateHandlerAsync(this ApiClient op, string targetField, string target, string ruleType, string ruleProperties, string status = "active", JsonArray? actions = null) =>
        (await op.PostAsync("/v1/event_handlers", HandlerBody(targetField, target, ruleType, ruleProperties, status, actions: actions)))
            .ShouldBe(HttpStatusCode.Created).Str("handlerId");

    /// <summary>
    /// Two active handlers on the whole operator that listen to usage (SubscriberFirstTrafficRule, and a daily-traffic rule
    /// with a limit no test reaches): the fold writes <c>FirstTraffic</c> and <c>UsageRecorded</c> events only for IMSIs some
    /// active handler may match (decision S65), so tests that look at those events set this up first.
    /// </summary>
    public static async Task ListenToUsageAsync(this ApiClient op)
    {
        await op.CreateHandlerAsync("targetOperatorId", op.OperatorId!, "SubscriberFirstTrafficRule", "{\"inactiveTimeoutDateConst\":\"NEVER\"}");
        await op.CreateHandlerAsync(
            "targetOperatorId", op.OperatorId!, "SubscriberDailyTrafficRule", "{\"limitTotalTrafficMegaByte\":\"1000000\",\"inactiveTimeoutDateConst\":\"BEGINNING_OF_NEXT_DAY\"}");
    }

    /// <summary>The sandbox clock's now, epoch ms.</summary>
    public static async Task<long> NowMsAsync(this ApiClient op) =>
        (await op.GetAsync("/v1/sandbox/clock")).ShouldBe(HttpStatusCode.OK).Json["now"]!.GetValue<long>();

    /// <summary>Lets timers and the outbox consumer drain (moves the clock by nothing).</summary>
    public static async Task DrainAsync(this ApiClient op) =>
        (await op.PostAsync("/v1/sandbox/clock", new { advanceSeconds = 0 })).ShouldBe(HttpStatusCode.OK);

    public static async Task SetClockAsync(this ApiClient op, long nowMs) =>
        (await op.PostAsync("/v1/sandbox/clock", new { now = nowMs })).ShouldBe(HttpStatusCode.OK);

    /// <summary>Sends <paramref name="bytes"/> of download for the IMSI at the sandbox's now, then drains.</summary>
    public static async Task TrafficAsync(this ServerFixture server, ApiClient op, string imsi, long bytes, long? unixtime = null)
    {
        var at = unixtime ?? (await op.NowMsAsync() / 1000);
        (await server.Gateway().PostUsageAsync(UsageTestHelpers.Record(imsi, at, 0, bytes))).ShouldBe(HttpStatusCode.OK);
        await op.DrainAsync();
    }

    public static async Task<JsonArray> ExecutionsAsync(this ApiClient op, string handlerId) =>
        (await op.GetAsync($"/v1/event_handlers/{handlerId}/executions")).ShouldBe(HttpStatusCode.OK).Array;

    public static async Task<int> FiringsAsync(this ApiClient op, string handlerId) => (await op.ExecutionsAsync(handlerId)).Count;

    public static long NextDayStartMs(long ms) => ms - (ms % 86_400_000) + 86_400_000;

    /// <summary>00:00 UTC on the 1st of the month after the one containing <paramref name="ms"/>, epoch ms.</summary>
    public static long NextMonthStartMs(long ms)
    {
        var t = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        return new DateTimeOffset(t.Year, t.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1).ToUnixTimeMilliseconds();
    }

    /// <summary>Where action <paramref name="index"/> of an execution (an item of the executions list) stands.</summary>
    public static JsonObject ActionState(JsonNode execution, int index) => execution["actions"]!.AsArray()[index]!.AsObject();
}
