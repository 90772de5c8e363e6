using System.Net;
using Microsoft.EntityFrameworkCore;
using Simlane.Server.Tests.Infrastructure;
using Simlane.Storage;
using static Simlane.Server.Tests.Gateway.SessionTestKit;

namespace Simlane.Server.Tests.Gateway;

/// <summary>POST/DELETE /v1/gateway/sessions: admission, every refusal reason, the IMEI lock, authentication.</summary>
public abstract class GatewaySessionsTests(ServerFixture server)
{
    [Fact]
    public async Task CreateSession_ReadySim_AcceptsActivatesAndGoesOnline()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var simId = sim.Str("simId");
        var imsi = sim.PrimaryImsi();
        sim.Str("status").ShouldBe("ready");

        var answer = await server.Gateway().OpenSessionAsync(imsi, Imei1, new
        {
            imsi, imei = Imei1, apn = "soracom.io", ueIpAddress = "10.1.2.3",
            cell = new { radioType = "LTE", mcc = 440, mnc = 10, tac = 5840, eci = 1234567 },
        });
        answer.Json["accepted"]!.GetValue<bool>().ShouldBeTrue();
        answer.Str("speedClass").ShouldBe("s1.standard");
        var sessionId = answer.Str("sessionId");

        var after = await op.GetSimAsync(simId);
        after.Str("status").ShouldBe("active");
        var status = after.Json["sessionStatus"]!;
        status["online"]!.GetValue<bool>().ShouldBeTrue();
        status["imsi"]!.GetValue<string>().ShouldBe(imsi);
        status["imei"]!.GetValue<string>().ShouldBe(Imei1);
        status["sessionId"]!.GetValue<string>().ShouldBe(sessionId);
        status["ueIpAddress"]!.GetValue<string>().ShouldBe("10.1.2.3");
        status["subscription"]!.GetValue<string>().ShouldBe("plan01s");
        status["cell"]!["radioType"]!.GetValue<string>().ShouldBe("LTE");
        status["cell"]!["eci"]!.GetValue<long>().ShouldBe(1234567);
        status["dnsServers"]!.AsArray().Count.ShouldBe(2);
        after.Json.AsObject().ContainsKey("previousSession").ShouldBeFalse();

        var subscriber = (await op.GetAsync($"/v1/subscribers/{imsi}")).ShouldBe(HttpStatusCode.OK);
        subscriber.Json["sessionStatus"]!["online"]!.GetValue<bool>().ShouldBeTrue();
        subscriber.Str("status").ShouldBe("active");

        var history = (await op.GetAsync($"/v1/sims/{simId}/statuses/history")).ShouldBe(HttpStatusCode.OK).Array;
        history[0]!["status"]!.GetValue<string>().ShouldBe("active");

        var events = await server.DomainEventsAsync(simId);
        events.Where(e => e.Type == "StatusChanged").ShouldAllBe(e => e.Old == "ready" && e.New == "active");
        events.Count(e => e.Type == "StatusChanged").ShouldBe(2, "SIM-level and per IMSI");
        events.Where(e => e.Type == "SessionCreated").Select(e => e.New).ShouldBe([Imei1, Imei1]);

        var sessionEvents = (await op.GetAsync($"/v1/sims/{simId}/events/sessions")).ShouldBe(HttpStatusCode.OK).Array;
        var created = sessionEvents.ShouldHaveSingleItem()!;
        created["event"]!.GetValue<string>().ShouldBe("Created");
        created["sessionId"]!.GetValue<string>().ShouldBe(sessionId);
        created["imei"]!.GetValue<string>().ShouldBe(Imei1);
        created["apn"]!.GetValue<string>().ShouldBe("soracom.io");
        created["operatorId"]!.GetValue<string>().ShouldBe(op.OperatorId);
    }

    [Fact]
    public async Task CreateSession_StandbySim_MovesToActiveWithStatusEvents()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var simId = sim.Str("simId");
        (await op.PostAsync($"/v1/sims/{simId}/set_to_standby")).ShouldBe(HttpStatusCode.OK);

        await server.Gateway().AcceptedSessionAsync(sim.PrimaryImsi());

        (await op.GetSimAsync(simId)).Str("status").ShouldBe("active");
        var changes = (await server.DomainEventsAsync(simId)).Where(e => e.Type == "StatusChanged" && e.Imsi == null).ToList();
        changes.Select(e => (e.Old, e.New)).ShouldBe([("ready", "standby"), ("standby", "active")]);
    }

    [Fact]
    public async Task CreateSession_ActiveSim_KeepsStatusWithoutHistoryRow()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var simId = sim.Str("simId");
        (await op.PostAsync($"/v1/sims/{simId}/activate")).ShouldBe(HttpStatusCode.OK);
        var before = (await op.GetAsync($"/v1/sims/{simId}/statuses/history")).Array.Count;

        await server.Gateway().AcceptedSessionAsync(sim.PrimaryImsi());

        (await op.GetAsync($"/v1/sims/{simId}/statuses/history")).Array.Count.ShouldBe(before);
        (await server.DomainEventsAsync(simId)).Count(e => e.Type == "StatusChanged").ShouldBe(2, "only the activate call");
    }

    [Theory]
    [InlineData("deactivate", "inactive")]
    [InlineData("suspend", "suspended")]
    [InlineData("terminate", "terminated")]
    public async Task CreateSession_RefusedStatus_AnswersReasonAndStaysOffline(string action, string reason)
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var simId = sim.Str("simId");
        (await op.PostAsync($"/v1/sims/{simId}/enable_termination")).ShouldBe(HttpStatusCode.OK);
        (await op.PostAsync($"/v1/sims/{simId}/{action}")).ShouldBe(HttpStatusCode.OK);

        (await server.Gateway().OpenSessionAsync(sim.PrimaryImsi())).ShouldBeRefused(reason);

        var after = await op.GetSimAsync(simId);
        after.Online().ShouldBeFalse();
        after.Str("status").ShouldBe(reason);
        (await op.SessionEventsAsync(simId)).ShouldBeEmpty();
    }

    [Fact]
    public async Task CreateSession_ExpiryPassedButNotYetApplied_AnswersExpired()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var simId = sim.Str("simId");
        var now = (await op.GetAsync("/v1/sandbox/clock")).Json["now"]!.GetValue<long>();
        (await op.PostAsync($"/v1/sims/{simId}/set_expiry_time", new { expiryTime = now + 3_600_000, expiryAction = "doNothing" })).ShouldBe(HttpStatusCode.OK);

        // The timer still waits an hour ahead; the SIM's expiry time is already behind the clock.
        await using (var db = DatabaseOptions.Parse(server.Database.ConnectionString).CreateContext())
        {
            await db.Sims.Where(s => s.SimId == simId).ExecuteUpdateAsync(s => s.SetProperty(x => x.ExpiryTime, now - 1));
        }

        (await server.Gateway().OpenSessionAsync(sim.PrimaryImsi())).ShouldBeRefused("expired");
        (await op.GetSimAsync(simId)).Str("status").ShouldBe("ready");
    }

    [Fact]
    public async Task CreateSession_UnknownImsi_AnswersUnknownImsi()
    {
        (await server.Gateway().OpenSessionAsync("001019999999999")).ShouldBeRefused("unknown_imsi");

        // An inventory SIM (not registered to anyone) is not served either.
        var op = await server.NewOperatorAsync();
        var inventory = await op.CreateSandboxSubscriberAsync();
        (await server.Gateway().OpenSessionAsync(inventory.Str("imsi"))).ShouldBeRefused("unknown_imsi");
    }

    [Fact]
    public async Task CreateSession_SandboxOperatorCredentials_OnlyForItsOwnSims()
    {
        var op = await server.NewOperatorAsync();
        var other = await server.NewOperatorAsync();
        var own = await op.CreateRegisteredSimAsync();
        var foreign = await other.CreateRegisteredSimAsync();

        (await op.OpenSessionAsync(foreign.PrimaryImsi())).ShouldBeRefused("unknown_imsi");
        (await other.GetSimAsync(foreign.Str("simId"))).Online().ShouldBeFalse();

        var sessionId = await op.AcceptedSessionAsync(own.PrimaryImsi());
        (await other.DeleteAsync($"/v1/gateway/sessions/{sessionId}")).ShouldBe(HttpStatusCode.NotFound, "SEM0020");
        (await op.DeleteAsync($"/v1/gateway/sessions/{sessionId}")).ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task Gateway_WithoutOrWithWrongKey_Answers401()
    {
        var op = await server.NewOperatorAsync();
        var imsi = (await op.CreateRegisteredSimAsync()).PrimaryImsi();

        (await server.Anonymous().PostAsync("/v1/gateway/sessions", new { imsi })).ShouldBe(HttpStatusCode.Unauthorized, "GTW0001");
        var wrong = server.Anonymous();
        wrong.Http.DefaultRequestHeaders.Add("X-Simlane-Gateway-Key", "not-the-key");
        (await wrong.PostAsync("/v1/gateway/sessions", new { imsi })).ShouldBe(HttpStatusCode.Unauthorized, "GTW0001");
        (await wrong.DeleteAsync("/v1/gateway/sessions/whatever")).ShouldBe(HttpStatusCode.Unauthorized, "GTW0001");
        (await wrong.PostAsync("/v1/gateway/ota", new { simId = "x", imsi, otaStatus = "started" })).ShouldBe(HttpStatusCode.Unauthorized, "GTW0001");
    }

    [Fact]
    public async Task CreateSession_BadInput_Answers400NamingTheField()
    {
        var gateway = server.Gateway();
        (await gateway.PostAsync("/v1/gateway/sessions", new { imei = Imei1 })).ShouldBe(HttpStatusCode.BadRequest, "COM0002").Text.ShouldContain("imsi");
        (await gateway.PostAsync("/v1/gateway/sessions", new { imsi = "001010000000001", imei = "12345" })).ShouldBe(HttpStatusCode.BadRequest, "SEM0008").Text.ShouldContain("imei");
        (await gateway.PostAsync("/v1/gateway/sessions", new { imsi = "001010000000001", ueIpAddress = "10.0.0.300" })).ShouldBe(HttpStatusCode.BadRequest, "COM0004").Text.ShouldContain("ueIpAddress");
        (await gateway.PostAsync("/v1/gateway/sessions", new { imsi = "001010000000001", cell = new { radioType = "5G" } })).ShouldBe(HttpStatusCode.BadRequest, "COM0004").Text.ShouldContain("cell.radioType");
        (await gateway.PostAsync("/v1/gateway/sessions", new { imsi = "001010000000001", cell = new { mcc = -1 } })).ShouldBe(HttpStatusCode.BadRequest, "COM0004").Text.ShouldContain("cell.mcc");
        (await gateway.SendRawAsync(HttpMethod.Post, "/v1/gateway/sessions", "{\"imsi\":\"001010000000001\",\"cell\":\"LTE\"}")).ShouldBe(HttpStatusCode.BadRequest, "COM0001");
        (await gateway.SendRawAsync(HttpMethod.Post, "/v1/gateway/sessions", "{")).ShouldBe(HttpStatusCode.BadRequest, "COM0001");
    }

    [Fact]
    public async Task ImeiLock_Plain_AdmitsOnlyTheLockedImei()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var simId = sim.Str("simId");
        var imsi = sim.PrimaryImsi();
        (await op.PostAsync($"/v1/sims/{simId}/set_imei_lock", new { imei = Imei1 })).ShouldBe(HttpStatusCode.OK);
        var gateway = server.Gateway();

        (await gateway.OpenSessionAsync(imsi, Imei2)).ShouldBeRefused("imei_mismatch");
        (await gateway.OpenSessionAsync(imsi, null)).ShouldBeRefused("imei_mismatch");
        (await gateway.OpenSessionAsync(imsi, "000000000000000")).ShouldBeRefused("imei_mismatch");
        (await op.GetSimAsync(simId)).Str("status").ShouldBe("ready");

        var mismatches = (await server.DomainEventsAsync(simId)).Where(e => e.Type == "ImeiMismatched").ToList();
        mismatches.Count.ShouldBe(6, "three refusals, each SIM-level and per IMSI");
        mismatches.ShouldAllBe(e => e.Old == Imei1);
        mismatches.Where(e => e.Imsi == null).Select(e => e.New).ShouldBe([Imei2, null, null]);

        await gateway.AcceptedSessionAsync(imsi, Imei1);
        (await op.GetSimAsync(simId)).Online().ShouldBeTrue();
    }

    [Fact]
    public async Task ImeiLock_Anonymous_AlsoAdmitsSessionsWithoutImei()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var simId = sim.Str("simId");
        var imsi = sim.PrimaryImsi();
        (await op.PostAsync($"/v1/sims/{simId}/set_imei_lock", new { imei = Imei1 + "|ANONYMOUS" })).ShouldBe(HttpStatusCode.OK);
        var gateway = server.Gateway();

        (await gateway.OpenSessionAsync(imsi, Imei2)).ShouldBeRefused("imei_mismatch");
        await gateway.AcceptedSessionAsync(imsi, null);
        var online = await op.GetSimAsync(simId);
        online.Online().ShouldBeTrue();
        online.Json["sessionStatus"]!.AsObject().ContainsKey("imei").ShouldBeFalse();
        await gateway.AcceptedSessionAsync(imsi, "000000000000000");
        await gateway.AcceptedSessionAsync(imsi, Imei1);
        (await server.DomainEventsAsync(simId)).Where(e => e.Type == "SessionCreated" && e.Imsi == null).Select(e => e.New).ShouldBe([null, null, Imei1]);
    }

    [Fact]
    public async Task DeleteSession_EndsItAndKeepsItAsPreviousSession()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var simId = sim.Str("simId");
        var imsi = sim.PrimaryImsi();
        var gateway = server.Gateway();
        var createdAt = server.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        var sessionId = await gateway.AcceptedSessionAsync(imsi);
        server.Clock.Advance(TimeSpan.FromMinutes(5));

        (await gateway.DeleteAsync($"/v1/gateway/sessions/{sessionId}")).ShouldBe(HttpStatusCode.NoContent);

        var after = await op.GetSimAsync(simId);
        after.Online().ShouldBeFalse();
        after.Str("status").ShouldBe("active");
        var previous = after.Json["previousSession"]!;
        previous["sessionId"]!.GetValue<string>().ShouldBe(sessionId);
        previous["imei"]!.GetValue<string>().ShouldBe(Imei1);
        previous["createdTime"]!.GetValue<long>().ShouldBeGreaterThanOrEqualTo(createdAt);
        (previous["deletedTime"]!.GetValue<long>() - previous["createdTime"]!.GetValue<long>()).ShouldBe(300_000);
        (await op.GetAsync($"/v1/subscribers/{imsi}")).Json["previousSession"]!["sessionId"]!.GetValue<string>().ShouldBe(sessionId);

        (await op.SessionEventsAsync(simId)).ShouldBe(["Deleted", "Created"]);
        (await server.DomainEventsAsync(simId)).Where(e => e.Type == "SessionDeleted").ShouldAllBe(e => e.Old == sessionId);

        (await gateway.DeleteAsync($"/v1/gateway/sessions/{sessionId}")).ShouldBe(HttpStatusCode.NotFound, "SEM0020");
        (await gateway.DeleteAsync("/v1/gateway/sessions/no-such-session")).ShouldBe(HttpStatusCode.NotFound, "SEM0020");
    }

    [Fact]
    public async Task CreateSession_Concurrently_LeavesExactlyOneCurrentSession()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var simId = sim.Str("simId");
        var imsi = sim.PrimaryImsi();

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => server.Gateway().PostAsync("/v1/gateway/sessions", new { imsi, imei = Imei1 })));

        answers.ShouldAllBe(a => a.Status == HttpStatusCode.OK || a.Status == HttpStatusCode.Conflict);
        var accepted = answers.Count(a => a.Status == HttpStatusCode.OK);
        accepted.ShouldBeGreaterThan(0);
        await using var db = DatabaseOptions.Parse(server.Database.ConnectionString).CreateContext();
        (await db.Sessions.CountAsync(s => s.SimId == simId && s.DeletedTime == null)).ShouldBe(1);
        var events = await op.SessionEventsAsync(simId);
        events.Count(e => e == "Created").ShouldBe(accepted);
        events.Count(e => e == "Deleted").ShouldBe(accepted - 1);
        (await op.GetSimAsync(simId)).Str("status").ShouldBe("active");
        (await op.GetAsync($"/v1/sims/{simId}/statuses/history")).Array.Count.ShouldBe(1, "ready -> active exactly once");
    }

    [Fact]
    public async Task Gateway_WrongSandboxCredentials_Answers401()
    {
        var op = await server.NewOperatorAsync();
        var imsi = (await op.CreateRegisteredSimAsync()).PrimaryImsi();
        var forged = server.Anonymous().WithCredentials(op.ApiKey!, "not-the-token");
        (await forged.PostAsync("/v1/gateway/sessions", new { imsi })).ShouldBe(HttpStatusCode.Unauthorized, "AUM0006");
    }

    [Fact]
    public async Task CreateSession_WhileOnline_EndsTheOldSessionFirst()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var simId = sim.Str("simId");
        var gateway = server.Gateway();
        var first = await gateway.AcceptedSessionAsync(sim.PrimaryImsi(), Imei1);
        var second = await gateway.AcceptedSessionAsync(sim.PrimaryImsi(), Imei2);

        var after = await op.GetSimAsync(simId);
        after.Json["sessionStatus"]!["sessionId"]!.GetValue<string>().ShouldBe(second);
        after.Json["previousSession"]!["sessionId"]!.GetValue<string>().ShouldBe(first);
        (await op.SessionEventsAsync(simId)).ShouldBe(["Created", "Deleted", "Created"]);

        await using var db = DatabaseOptions.Parse(server.Database.ConnectionString).CreateContext();
        (await db.Sessions.CountAsync(s => s.SimId == simId)).ShouldBe(2, "the current session and the previous one only");
    }
}

public sealed class GatewaySessionsTests_Sqlite(SqliteServer server) : GatewaySessionsTests(server), IClassFixture<SqliteServer>;

public sealed class GatewaySessionsTests_Postgres(PostgresServer server) : GatewaySessionsTests(server), IClassFixture<PostgresServer>;
