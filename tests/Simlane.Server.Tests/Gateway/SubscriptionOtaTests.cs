using System.Net;
using Simlane.Server.Tests.Infrastructure;
using static Simlane.Server.Tests.Gateway.SessionTestKit;

namespace Simlane.Server.Tests.Gateway;

/// <summary><c>add_subscription</c> and the gateway's OTA progress reports.</summary>
public abstract class SubscriptionOtaTests(ServerFixture server)
{
    private async Task<(ApiClient Op, string SimId, string NewImsi)> SimWithAddedSubscriptionAsync()
    {
        var op = await server.NewOperatorAsync();
        var simId = (await op.CreateRegisteredSimAsync()).Str("simId");
        var profile = (await op.PostAsync($"/v1/sims/{simId}/profiles/{simId}/add_subscription", new { subscription = "planX3", type = "cellular" })).ShouldBe(HttpStatusCode.OK);
        var added = profile.Json["subscribers"]!.AsObject().Single(s => s.Value!["subscription"]!.GetValue<string>() == "planX3");
        return (op, simId, added.Key);
    }

    [Fact]
    public async Task AddSubscription_AddsAShippedSecondaryImsi()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var simId = sim.Str("simId");

        var profile = (await op.PostAsync($"/v1/sims/{simId}/profiles/{simId}/add_subscription", new { subscription = "planX3" })).ShouldBe(HttpStatusCode.OK);
        profile.Str("iccid").ShouldBe(simId);
        profile.Str("primaryImsi").ShouldBe(sim.PrimaryImsi());
        var subscribers = profile.Json["subscribers"]!.AsObject();
        subscribers.Count.ShouldBe(2);
        var added = subscribers.Single(s => s.Key != sim.PrimaryImsi());
        added.Value!["status"]!.GetValue<string>().ShouldBe("shipped");
        added.Value["subscription"]!.GetValue<string>().ShouldBe("planX3");

        var after = await op.GetSimAsync(simId);
        after.Json["profiles"]![simId]!["subscribers"]![added.Key]!["status"]!.GetValue<string>().ShouldBe("shipped");
        (await op.GetAsync($"/v1/subscribers/{added.Key}")).ShouldBe(HttpStatusCode.OK).Str("subscription").ShouldBe("planX3");

        var events = (await server.DomainEventsAsync(simId)).Where(e => e.Type == "SubscriptionAdded").ToList();
        events.Count.ShouldBe(3, "SIM-level and one per IMSI, the new one included");
        events.ShouldAllBe(e => e.Old == "planX3" && e.New == added.Key);
    }

    [Fact]
    public async Task AddSubscription_BadRequests_Answer400Or404()
    {
        var op = await server.NewOperatorAsync();
        var simId = (await op.CreateRegisteredSimAsync()).Str("simId");
        var planD = (await op.CreateRegisteredSimAsync("plan-D")).Str("simId");

        (await op.PostAsync($"/v1/sims/8942310000000000000/profiles/8942310000000000000/add_subscription", new { subscription = "planX3" })).ShouldBe(HttpStatusCode.NotFound, "SEM0001");
        (await op.PostAsync($"/v1/sims/{simId}/profiles/8942310000000000000/add_subscription", new { subscription = "planX3" })).ShouldBe(HttpStatusCode.NotFound, "SEM0022");
        (await op.PostAsync($"/v1/sims/{planD}/profiles/{planD}/add_subscription", new { subscription = "planX3" })).ShouldBe(HttpStatusCode.BadRequest, "SEM0021");
        (await op.PostAsync($"/v1/sims/{simId}/profiles/{simId}/add_subscription", new { subscription = "plan-D" })).ShouldBe(HttpStatusCode.BadRequest, "SEM0019");
        (await op.PostAsync($"/v1/sims/{simId}/profiles/{simId}/add_subscription", new { })).ShouldBe(HttpStatusCode.BadRequest, "COM0002");
        (await op.PostAsync($"/v1/sims/{simId}/profiles/{simId}/add_subscription", new { subscription = "planX3", type = "virtual" })).ShouldBe(HttpStatusCode.BadRequest, "COM0004");
        (await op.PostAsync($"/v1/sims/{simId}/profiles/{simId}/add_subscription", new { subscription = "planX3", type = "satellite" })).ShouldBe(HttpStatusCode.BadRequest, "COM0004");

        (await op.PostAsync($"/v1/sims/{simId}/profiles/{simId}/add_subscription", new { subscription = "planX3" })).ShouldBe(HttpStatusCode.OK);
        (await op.PostAsync($"/v1/sims/{simId}/profiles/{simId}/add_subscription", new { subscription = "planX3" })).ShouldBe(HttpStatusCode.BadRequest, "SEM0021");
        (await op.GetSimAsync(simId)).Json["profiles"]![simId]!["subscribers"]!.AsObject().Count.ShouldBe(2);

        var other = await server.NewOperatorAsync();
        (await other.PostAsync($"/v1/sims/{simId}/profiles/{simId}/add_subscription", new { subscription = "planP1" })).ShouldBe(HttpStatusCode.NotFound, "SEM0001");
    }

    [Fact]
    public async Task Ota_StartedFinishedFailed_MoveTheSubscriptionAndRecordEvents()
    {
        var (op, simId, imsi) = await SimWithAddedSubscriptionAsync();
        var gateway = server.Gateway();
        string StatusOf(ApiResponse sim) => sim.Json["profiles"]![simId]!["subscribers"]![imsi]!["status"]!.GetValue<string>();

        // Before OTA finishes the new IMSI cannot open a session.
        (await gateway.OpenSessionAsync(imsi)).ShouldBeRefused("inactive");

        var started = (await gateway.PostAsync("/v1/gateway/ota", new { simId, imsi, otaStatus = "started" })).ShouldBe(HttpStatusCode.OK);
        started.Str("status").ShouldBe("shipped");
        StatusOf(await op.GetSimAsync(simId)).ShouldBe("shipped");

        (await gateway.PostAsync("/v1/gateway/ota", new { simId, imsi, otaStatus = "finished" })).ShouldBe(HttpStatusCode.OK).Str("status").ShouldBe("ready");
        StatusOf(await op.GetSimAsync(simId)).ShouldBe("ready");

        (await gateway.PostAsync("/v1/gateway/ota", new { simId, imsi, otaStatus = "failed" })).ShouldBe(HttpStatusCode.OK).Str("status").ShouldBe("ready");
        StatusOf(await op.GetSimAsync(simId)).ShouldBe("ready");

        var events = (await server.DomainEventsAsync(simId)).Where(e => e.Type == "OtaStatusChanged" && e.Imsi == null).Select(e => e.New).ToList();
        events.ShouldBe(["started", "finished", "failed"]);

        // Once ready, the new IMSI connects; the session belongs to that subscriber.
        await gateway.AcceptedSessionAsync(imsi);
        var sim = await op.GetSimAsync(simId);
        StatusOf(sim).ShouldBe("active");
        sim.Json["sessionStatus"]!["imsi"]!.GetValue<string>().ShouldBe(imsi);
        (await op.GetAsync($"/v1/subscribers/{imsi}")).Json["sessionStatus"]!["online"]!.GetValue<bool>().ShouldBeTrue();
        (await op.GetAsync($"/v1/subscribers/{imsi}/events/sessions")).Array.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Ota_BadInput_Answers400Or404()
    {
        var (_, simId, imsi) = await SimWithAddedSubscriptionAsync();
        var gateway = server.Gateway();
        (await gateway.PostAsync("/v1/gateway/ota", new { simId, imsi, otaStatus = "halfway" })).ShouldBe(HttpStatusCode.BadRequest, "COM0004");
        (await gateway.PostAsync("/v1/gateway/ota", new { simId, otaStatus = "started" })).ShouldBe(HttpStatusCode.BadRequest, "COM0002");
        (await gateway.PostAsync("/v1/gateway/ota", new { imsi, otaStatus = "started" })).ShouldBe(HttpStatusCode.BadRequest, "COM0002");
        (await gateway.PostAsync("/v1/gateway/ota", new { simId = "8942310000000000000", imsi, otaStatus = "started" })).ShouldBe(HttpStatusCode.NotFound, "SEM0001");
        (await gateway.PostAsync("/v1/gateway/ota", new { simId, imsi = "001019999999999", otaStatus = "started" })).ShouldBe(HttpStatusCode.NotFound, "SEM0002");
        (await gateway.PostAsync("/v1/gateway/ota", new { simId, imsi = "x", otaStatus = "started" })).ShouldBe(HttpStatusCode.NotFound, "SEM0002");
    }
}

public sealed class SubscriptionOtaTests_Sqlite(SqliteServer server) : SubscriptionOtaTests(server), IClassFixture<SqliteServer>;

public sealed class SubscriptionOtaTests_Postgres(PostgresServer server) : SubscriptionOtaTests(server), IClassFixture<PostgresServer>;
