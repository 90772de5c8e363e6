using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Simlane.Server.Tests.Gateway;
using Simlane.Server.Tests.Infrastructure;
using Simlane.Server.Tests.Usage;
using Simlane.Storage;

namespace Simlane.Server.Tests.Engine;

/// <summary><c>POST /v1/event_handlers/dry_run</c>: which units would fire now, without writing anything.</summary>
public abstract class DryRunTests(ServerFixture server)
{
    private const string Daily10 = """{"limitTotalTrafficMegaByte":"10","inactiveTimeoutDateConst":"BEGINNING_OF_NEXT_DAY"}""";
    private const long MiB = EngineTestKit.MiB;

    private static string Bytes(long value) => value.ToString(CultureInfo.InvariantCulture);

    private async Task<(int Executions, int States, int Timers, int Handlers, int Ignores)> RowsAsync()
    {
        await using var scope = server.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SimlaneDb>();
        return (await db.HandlerExecutions.CountAsync(), await db.HandlerUnitStates.CountAsync(), await db.Timers.CountAsync(),
            await db.EventHandlers.CountAsync(), await db.HandlerIgnores.CountAsync());
    }

    private static async Task<JsonObject> DryRunAsync(ApiClient op, JsonObject body) =>
        (JsonObject)(await op.PostAsync("/v1/event_handlers/dry_run", body)).ShouldBe(HttpStatusCode.OK).Json;

    private static JsonObject UnitOf(JsonObject result, string imsi) =>
        (JsonObject)result["units"]!.AsArray().Single(u => u!["imsi"]?.GetValue<string>() == imsi)!;

    [Fact]
    public async Task DailyRuleBody_UnderExactlyAndOverTheLimit_OnlyOverWouldFire_AndNothingIsWritten()
    {
        var op = await server.NewOperatorAsync();
        var under = (await op.CreateRegisteredSimAsync()).Imsi();
        var exactly = (await op.CreateRegisteredSimAsync()).Imsi();
        var over = (await op.CreateRegisteredSimAsync()).Imsi();
        await server.TrafficAsync(op, under, 5 * MiB);
        await server.TrafficAsync(op, exactly, 10 * MiB);
        await server.TrafficAsync(op, over, (10 * MiB) + 1);
        var before = await RowsAsync();

        var result = await DryRunAsync(op, EngineTestKit.HandlerBody("targetOperatorId", op.OperatorId!, "SubscriberDailyTrafficRule", Daily10));

        result["evaluable"]!.GetValue<bool>().ShouldBeTrue();
        result["truncated"]!.GetValue<bool>().ShouldBeFalse();
        var units = result["units"]!.AsArray();
        units.Select(u => u!["imsi"]!.GetValue<string>()).ShouldBe(new[] { under, exactly, over }.Order(StringComparer.Ordinal));
        UnitOf(result, under)["wouldFire"]!.GetValue<bool>().ShouldBeFalse();
        UnitOf(result, exactly)["wouldFire"]!.GetValue<bool>().ShouldBeFalse();
        UnitOf(result, exactly)["observedValue"]!.GetValue<string>().ShouldBe(Bytes(10 * MiB));
        var hit = UnitOf(result, over);
        hit["wouldFire"]!.GetValue<bool>().ShouldBeTrue();
        hit["armed"]!.GetValue<bool>().ShouldBeTrue();
        hit["ignored"]!.GetValue<bool>().ShouldBeFalse();
        hit["unitKey"]!.GetValue<string>().ShouldBe($"imsi:{over}");
        hit["observedValue"]!.GetValue<string>().ShouldBe(Bytes((10 * MiB) + 1));
        hit["threshold"]!.GetValue<string>().ShouldBe(Bytes(10 * MiB));
        var now = await op.NowMsAsync();
        hit["windowStart"]!.GetValue<long>().ShouldBe(now - (now % 86_400_000));

        await op.DrainAsync();
        (await RowsAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task StoredHandler_FiredUnitIsNotArmed_IgnoredImsiIsIgnored_AndNothingIsWritten()
    {
        var op = await server.NewOperatorAsync();
        var fired = (await op.CreateRegisteredSimAsync()).Imsi();
        var ignored = (await op.CreateRegisteredSimAsync()).Imsi();
        var quiet = (await op.CreateRegisteredSimAsync()).Imsi();
        var id = await op.CreateHandlerAsync("targetOperatorId", op.OperatorId!, "SubscriberDailyTrafficRule", Daily10);
        (await op.PostAsync($"/v1/event_handlers/{id}/subscribers/{ignored}/ignore")).ShouldBe(HttpStatusCode.OK);
        await server.TrafficAsync(op, fired, 11 * MiB);
        await server.TrafficAsync(op, ignored, 11 * MiB);
        (await op.FiringsAsync(id)).ShouldBe(1);
        var before = await RowsAsync();

        var result = (JsonObject)(await op.PostAsync($"/v1/event_handlers/dry_run?handler_id={id}")).ShouldBe(HttpStatusCode.OK).Json;

        result["evaluable"]!.GetValue<bool>().ShouldBeTrue();
        result["units"]!.AsArray().Count.ShouldBe(3);
        var first = UnitOf(result, fired);
        (first["wouldFire"]!.GetValue<bool>(), first["armed"]!.GetValue<bool>(), first["ignored"]!.GetValue<bool>()).ShouldBe((false, false, false));
        var second = UnitOf(result, ignored);
        (second["wouldFire"]!.GetValue<bool>(), second["armed"]!.GetValue<bool>(), second["ignored"]!.GetValue<bool>()).ShouldBe((false, true, true));
        second["observedValue"]!.GetValue<string>().ShouldBe(Bytes(11 * MiB));
        var third = UnitOf(result, quiet);
        (third["wouldFire"]!.GetValue<bool>(), third["armed"]!.GetValue<bool>(), third["observedValue"]!.GetValue<string>()).ShouldBe((false, true, "0"));

        // The same rule as a body knows no firing state and no ignores.
        var asBody = await DryRunAsync(op, EngineTestKit.HandlerBody("targetOperatorId", op.OperatorId!, "SubscriberDailyTrafficRule", Daily10));
        UnitOf(asBody, fired)["wouldFire"]!.GetValue<bool>().ShouldBeTrue();
        UnitOf(asBody, ignored)["wouldFire"]!.GetValue<bool>().ShouldBeTrue();

        await op.DrainAsync();
        (await RowsAsync()).ShouldBe(before);
        (await op.FiringsAsync(id)).ShouldBe(1);
    }

    [Fact]
    public async Task RunOnceAmongTarget_OnlyOneUnitWouldFire_TheOthersShareTheTargetsFiring()
    {
        var op = await server.NewOperatorAsync();
        var groupId = await op.CreateGroupAsync();
        var sims = new[] { await op.CreateRegisteredSimAsync(), await op.CreateRegisteredSimAsync(), await op.CreateRegisteredSimAsync() };
        foreach (var sim in sims)
        {
            (await op.PostAsync($"/v1/sims/{sim.Str("simId")}/set_group", new { groupId })).ShouldBe(HttpStatusCode.OK);
        }

        await server.TrafficAsync(op, sims[0].Imsi(), 11 * MiB);
        await server.TrafficAsync(op, sims[1].Imsi(), 11 * MiB);
        var once = Daily10.Replace("}", ""","runOnceAmongTarget":"true"}""", StringComparison.Ordinal);

        var result = await DryRunAsync(op, EngineTestKit.HandlerBody("targetGroupId", groupId, "SimDailyTotalTrafficRule", once));

        var units = result["units"]!.AsArray().Select(u => u!.AsObject()).ToList();
        units.Count.ShouldBe(3);
        units.ShouldAllBe(u => u["unitKey"]!.GetValue<string>() == "target");
        units.Count(u => u["wouldFire"]!.GetValue<bool>()).ShouldBe(1);
        units.Count(u => u["sharesTargetFiring"] != null && u["sharesTargetFiring"]!.GetValue<bool>()).ShouldBe(1);
        var quiet = units.Single(u => u["simId"]!.GetValue<string>() == sims[2].Str("simId"));
        (quiet["wouldFire"]!.GetValue<bool>(), quiet["sharesTargetFiring"] is null).ShouldBe((false, true));

        // Without the flag both units over the limit would fire.
        var each = await DryRunAsync(op, EngineTestKit.HandlerBody("targetGroupId", groupId, "SimDailyTotalTrafficRule", Daily10));
        each["units"]!.AsArray().Count(u => u!["wouldFire"]!.GetValue<bool>()).ShouldBe(2);
    }

    [Fact]
    public async Task GroupTarget_SimRule_ListsEverySimOfTheGroupOnly()
    {
        var op = await server.NewOperatorAsync();
        var groupId = await op.CreateGroupAsync();
        var a = await op.CreateRegisteredSimAsync();
        var b = await op.CreateRegisteredSimAsync();
        var outside = await op.CreateRegisteredSimAsync();
        foreach (var sim in new[] { a, b })
        {
            (await op.PostAsync($"/v1/sims/{sim.Str("simId")}/set_group", new { groupId })).ShouldBe(HttpStatusCode.OK);
        }

        await server.TrafficAsync(op, a.Imsi(), 11 * MiB);
        await server.TrafficAsync(op, outside.Imsi(), 11 * MiB);

        var result = await DryRunAsync(op, EngineTestKit.HandlerBody("targetGroupId", groupId, "SimDailyTotalTrafficRule", Daily10));

        var units = result["units"]!.AsArray();
        units.Select(u => u!["simId"]!.GetValue<string>()).ShouldBe(new[] { a.Str("simId"), b.Str("simId") }.Order(StringComparer.Ordinal));
        units.Select(u => u!["imsi"]).ShouldAllBe(i => i == null);
        var ua = units.Single(u => u!["simId"]!.GetValue<string>() == a.Str("simId"))!;
        ua["unitKey"]!.GetValue<string>().ShouldBe($"sim:{a.Str("simId")}");
        ua["wouldFire"]!.GetValue<bool>().ShouldBeTrue();
        units.Single(u => u!["simId"]!.GetValue<string>() == b.Str("simId"))!["wouldFire"]!.GetValue<bool>().ShouldBeFalse();
    }

    [Fact]
    public async Task CumulativeRule_CountsAllTime_WithoutAWindow()
    {
        var op = await server.NewOperatorAsync();
        var imsi = (await op.CreateRegisteredSimAsync()).Imsi();
        var now = await op.NowMsAsync();
        await server.TrafficAsync(op, imsi, MiB, unixtime: (now / 1000) - (3 * 86_400));
        await server.TrafficAsync(op, imsi, MiB);

        var result = await DryRunAsync(op, EngineTestKit.HandlerBody(
            "targetImsi", imsi, "SubscriberCumulativeTrafficRule", """{"limitTotalTrafficMegaByte":"1","inactiveTimeoutDateConst":"NEVER"}"""));

        var unit = (JsonObject)result["units"]!.AsArray().Single()!;
        unit["observedValue"]!.GetValue<string>().ShouldBe(Bytes(2 * MiB));
        unit["threshold"]!.GetValue<string>().ShouldBe(Bytes(MiB));
        unit["wouldFire"]!.GetValue<bool>().ShouldBeTrue();
        unit.ContainsKey("windowStart").ShouldBeFalse();
    }

    [Fact]
    public async Task GroupTotal_IsOneUnitForTheWholeGroup()
    {
        var op = await server.NewOperatorAsync();
        var groupId = await op.CreateGroupAsync();
        var a = await op.CreateRegisteredSimAsync();
        var b = await op.CreateRegisteredSimAsync();
        foreach (var sim in new[] { a, b })
        {
            (await op.PostAsync($"/v1/sims/{sim.Str("simId")}/set_group", new { groupId })).ShouldBe(HttpStatusCode.OK);
            await server.TrafficAsync(op, sim.Imsi(), 6 * MiB);
        }

        var total = await DryRunAsync(op, EngineTestKit.HandlerBody("targetGroupId", groupId, "DailyTotalTrafficRule", Daily10));
        var unit = (JsonObject)total["units"]!.AsArray().Single()!;
        unit["unitKey"]!.GetValue<string>().ShouldBe($"group:{groupId}");
        unit["observedValue"]!.GetValue<string>().ShouldBe(Bytes(12 * MiB));
        unit["wouldFire"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task MonthlyCharge_ComparesTheMonthsAggregatedCharge()
    {
        var op = await server.NewOperatorAsync();
        var body = EngineTestKit.HandlerBody("targetOperatorId", op.OperatorId!, "MonthlyChargeRule", """{"limitTotalAmount":"1","inactiveTimeoutDateConst":"BEGINNING_OF_NEXT_MONTH"}""");
        var before = (JsonObject)(await DryRunAsync(op, body))["units"]!.AsArray().Single()!;
        before["unitKey"]!.GetValue<string>().ShouldBe($"operator:{op.OperatorId}");
        before["wouldFire"]!.GetValue<bool>().ShouldBeFalse();

        var simId = (await op.CreateRegisteredSimAsync()).Str("simId");
        (await op.PostAsync($"/v1/sims/{simId}/activate")).ShouldBe(HttpStatusCode.OK);
        await op.PostAsync("/v1/sandbox/clock", new { advanceSeconds = 2 * 3600 });
        await op.PostAsync("/v1/sandbox/clock", new { advanceSeconds = 2 * 3600 });

        var after = (JsonObject)(await DryRunAsync(op, body))["units"]!.AsArray().Single()!;
        after["threshold"]!.GetValue<string>().ShouldBe("1");
        decimal.Parse(after["observedValue"]!.GetValue<string>(), CultureInfo.InvariantCulture).ShouldBeGreaterThan(1m);
        after["observedValue"]!.GetValue<string>().ShouldMatch("^[0-9]+$", "whole yen, without the database's trailing zeros");
        after["wouldFire"]!.GetValue<bool>().ShouldBeTrue();
        after.ContainsKey("windowStart").ShouldBeTrue();
    }

    [Fact]
    public async Task InactiveStoredHandler_IsEvaluated_NothingWouldFire_AndTheReasonSaysWhy()
    {
        var op = await server.NewOperatorAsync();
        var imsi = (await op.CreateRegisteredSimAsync()).Imsi();
        var id = await op.CreateHandlerAsync("targetOperatorId", op.OperatorId!, "SubscriberDailyTrafficRule", Daily10, status: "inactive");
        var onEvent = await op.CreateHandlerAsync("targetOperatorId", op.OperatorId!, "SimStatusAttributeRule", """{"inactiveTimeoutDateConst":"IMMEDIATELY"}""", status: "inactive");
        await server.TrafficAsync(op, imsi, 11 * MiB);
        (await op.FiringsAsync(id)).ShouldBe(0);

        var result = (JsonObject)(await op.PostAsync($"/v1/event_handlers/dry_run?handler_id={id}")).ShouldBe(HttpStatusCode.OK).Json;

        result["evaluable"]!.GetValue<bool>().ShouldBeTrue();
        result["reason"]!.GetValue<string>().ShouldContain("inactive");
        var unit = UnitOf(result, imsi);
        unit["observedValue"]!.GetValue<string>().ShouldBe(Bytes(11 * MiB));
        (unit["wouldFire"]!.GetValue<bool>(), unit["armed"]!.GetValue<bool>(), unit["ignored"]!.GetValue<bool>()).ShouldBe((false, true, false));

        // The same handler active would fire; an inactive event rule is still "not evaluable", for its own reason.
        var active = await DryRunAsync(op, EngineTestKit.HandlerBody("targetOperatorId", op.OperatorId!, "SubscriberDailyTrafficRule", Daily10));
        active.ContainsKey("reason").ShouldBeFalse();
        UnitOf(active, imsi)["wouldFire"]!.GetValue<bool>().ShouldBeTrue();
        var eventRule = (JsonObject)(await op.PostAsync($"/v1/event_handlers/dry_run?handler_id={onEvent}")).ShouldBe(HttpStatusCode.OK).Json;
        eventRule["evaluable"]!.GetValue<bool>().ShouldBeFalse();
        eventRule["reason"]!.GetValue<string>().ShouldContain("SimStatusAttributeRule");
        (await op.FiringsAsync(id)).ShouldBe(0);
    }

    /// <summary>The unit cap (HandlerDryRun.MaxUnits, docs/api.md): 1000 units in full, 1001 truncated to the first 1000 by IMSI or SIM ID.</summary>
    [Fact]
    public async Task MoreThan1000Units_TheFirst1000AreListed_AndTruncatedSaysSo()
    {
        var op = await server.NewOperatorAsync();
        var sims = new List<(string Imsi, string SimId)>();
        for (var i = 0; i < 1000; i++)
        {
            sims.Add(await CreateVirtualSimAsync(op));
        }

        var subscriberRule = EngineTestKit.HandlerBody("targetOperatorId", op.OperatorId!, "SubscriberDailyTrafficRule", Daily10);
        var simRule = EngineTestKit.HandlerBody("targetOperatorId", op.OperatorId!, "SimMonthlyTotalTrafficRule", """{"limitTotalTrafficMegaByte":"1","inactiveTimeoutDateConst":"BEGINNING_OF_NEXT_MONTH"}""");
        var full = await DryRunAsync(op, subscriberRule);
        full["truncated"]!.GetValue<bool>().ShouldBeFalse();
        full["units"]!.AsArray().Count.ShouldBe(1000);

        sims.Add(await CreateVirtualSimAsync(op));
        var last = sims.MaxBy(s => s.Imsi, StringComparer.Ordinal);
        await server.TrafficAsync(op, last.Imsi, 11 * MiB);
        var byImsi = await DryRunAsync(op, subscriberRule);
        byImsi["truncated"]!.GetValue<bool>().ShouldBeTrue();
        byImsi["units"]!.AsArray().Select(u => u!["imsi"]!.GetValue<string>())
            .ShouldBe(sims.Select(s => s.Imsi).Order(StringComparer.Ordinal).Take(1000));
        byImsi["units"]!.AsArray().ShouldAllBe(u => !u!["wouldFire"]!.GetValue<bool>()); // the one over the limit is the 1001st

        var bySim = await DryRunAsync(op, simRule);
        bySim["truncated"]!.GetValue<bool>().ShouldBeTrue();
        bySim["units"]!.AsArray().Select(u => u!["simId"]!.GetValue<string>())
            .ShouldBe(sims.Select(s => s.SimId).Order(StringComparer.Ordinal).Take(1000));

        // A group target counts only its own SIMs.
        var groupId = await op.CreateGroupAsync();
        (await op.PostAsync($"/v1/sims/{last.SimId}/set_group", new { groupId })).ShouldBe(HttpStatusCode.OK);
        var group = await DryRunAsync(op, EngineTestKit.HandlerBody("targetGroupId", groupId, "SubscriberDailyTrafficRule", Daily10));
        group["truncated"]!.GetValue<bool>().ShouldBeFalse();
        UnitOf(group, last.Imsi)["wouldFire"]!.GetValue<bool>().ShouldBeTrue();
        group["units"]!.AsArray().Count.ShouldBe(1);
    }

    /// <summary>A virtual SIM (createSim, planArc01): owned and active in one call, the cheapest way to many units.</summary>
    private static async Task<(string Imsi, string SimId)> CreateVirtualSimAsync(ApiClient op)
    {
        var sim = (await op.PostAsync("/v1/sims", new { type = "virtual", subscription = "planArc01" })).ShouldBe(HttpStatusCode.Created);
        return (sim.PrimaryImsi(), sim.Str("simId"));
    }

    [Fact]
    public async Task EventRule_IsNotEvaluable()
    {
        var op = await server.NewOperatorAsync();
        var result = await DryRunAsync(op, EngineTestKit.HandlerBody(
            "targetOperatorId", op.OperatorId!, "SimStatusAttributeRule", """{"inactiveTimeoutDateConst":"IMMEDIATELY"}"""));

        result["evaluable"]!.GetValue<bool>().ShouldBeFalse();
        result["reason"]!.GetValue<string>().ShouldContain("SimStatusAttributeRule");
        result["units"]!.AsArray().Count.ShouldBe(0);
    }

    [Fact]
    public async Task HandlerId_ForeignOrUnknown_Is404LikeGet()
    {
        var op = await server.NewOperatorAsync();
        var other = await server.NewOperatorAsync();
        var id = await other.CreateHandlerAsync("targetOperatorId", other.OperatorId!, "SubscriberDailyTrafficRule", Daily10);

        foreach (var handlerId in new[] { id, "no-such-handler" })
        {
            var dryRun = (await op.PostAsync($"/v1/event_handlers/dry_run?handler_id={handlerId}")).ShouldBe(HttpStatusCode.NotFound);
            var get = (await op.GetAsync($"/v1/event_handlers/{handlerId}")).ShouldBe(HttpStatusCode.NotFound);
            dryRun.Json["code"]!.GetValue<string>().ShouldBe(get.Json["code"]!.GetValue<string>());
        }

        (await other.PostAsync($"/v1/event_handlers/dry_run?handler_id={id}")).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task InvalidBody_IsRefusedExactlyAsByCreate()
    {
        var op = await server.NewOperatorAsync();
        var before = await RowsAsync();
        JsonObject[] bodies =
        [
            EngineTestKit.HandlerBody("targetOperatorId", op.OperatorId!, "SubscriberDailyTrafficRule", """{"inactiveTimeoutDateConst":"BEGINNING_OF_NEXT_DAY"}"""),
            EngineTestKit.HandlerBody("targetOperatorId", op.OperatorId!, "SubscriberDailyTrafficRule", """{"limitTotalTrafficMegaByte":"10","inactiveTimeoutDateConst":"IMMEDIATELY"}"""),
            EngineTestKit.HandlerBody("targetImsi", "001019999999999", "SubscriberDailyTrafficRule", Daily10),
        ];
        foreach (var body in bodies)
        {
            var dryRun = (await op.PostAsync("/v1/event_handlers/dry_run", body)).ShouldBe(HttpStatusCode.BadRequest);
            var create = (await op.PostAsync("/v1/event_handlers", body)).ShouldBe(HttpStatusCode.BadRequest);
            dryRun.Text.ShouldBe(create.Text);
            dryRun.Json["code"]!.GetValue<string>().ShouldStartWith("EHM");
        }

        (await RowsAsync()).ShouldBe(before);
    }
}

public sealed class DryRunTests_Sqlite(SqliteServer server) : DryRunTests(server), IClassFixture<SqliteServer>;

public sealed class DryRunTests_Postgres(PostgresServer server) : DryRunTests(server), IClassFixture<PostgresServer>;
