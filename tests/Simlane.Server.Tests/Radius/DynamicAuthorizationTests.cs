using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Simlane.Server.Tests.Engine;
using Simlane.Server.Radius;
using Simlane.Server.Tests.Infrastructure;
using Simlane.Storage;

namespace Simlane.Server.Tests.Radius;

/// <summary>
/// The server with three pyrad NAS stand-ins as RADIUS clients: 127.0.0.1 acknowledges, 127.0.0.2 NAKs with
/// Error-Cause 503, 127.0.0.3 never answers. One transmission per attempt and a 60 s deadline keep the retry tests
/// short; its wait is 2 s, not less: a stand-in that answers more slowly than the wait (a busy two-core machine in the
/// full suite once took longer than 200 ms) turns an ACK into "no answer". The RADIUS ports are left to the system (0).
/// </summary>
public abstract class RadiusServerFixture(DatabaseKind kind) : ServerFixture(kind)
{
    public const string Secret = "coa-test-secret-0123456789";

    public NasStandIn Ack { get; private set; } = null!;

    public NasStandIn Nak { get; private set; } = null!;

    public NasStandIn Silent { get; private set; } = null!;

    protected override async Task BeforeStartAsync()
    {
        Ack = await NasStandIn.StartAsync(new { secret = Secret, mode = "ack" });
        Nak = await NasStandIn.StartAsync(new { secret = Secret, mode = "nak", error_cause = 503 }, "127.0.0.2");
        Silent = await NasStandIn.StartAsync(new { secret = Secret, drop_first = 1_000_000 }, "127.0.0.3");
    }

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Simlane:Radius:Clients:0"] = Ack.ClientEntry(Secret),
        ["Simlane:Radius:Clients:1"] = Nak.ClientEntry(Secret),
        ["Simlane:Radius:Clients:2"] = Silent.ClientEntry(Secret),
        ["Simlane:Radius:AuthPort"] = "0",
        ["Simlane:Radius:AcctPort"] = "0",
        ["Simlane:Radius:DynamicAuthorizationTimeoutMilliseconds"] = "2000",
        ["Simlane:Radius:DynamicAuthorizationTransmissions"] = "1",
        ["Simlane:Radius:DynamicAuthorizationDeadlineSeconds"] = "60",
    };

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var nas in new[] { Ack, Nak, Silent })
        {
            if (nas is not null)
            {
                await nas.DisposeAsync();
            }
        }
    }
}

public sealed class RadiusSqliteServer() : RadiusServerFixture(DatabaseKind.Sqlite);

public sealed class RadiusPostgresServer() : RadiusServerFixture(DatabaseKind.Postgres);

/// <summary>
/// Dynamic authorization (RFC 5176, issue 13 item 4): a SIM change that cuts or re-shapes a live RADIUS session makes
/// Simlane send the NAS a Disconnect-Request or CoA-Request, durably, and shows the outcome on the session events.
/// Sessions are arranged the way Accounting-Start opens them: through the session ledger, then the NAS address and
/// Acct-Session-Id set on the row.
/// </summary>
public abstract class DynamicAuthorizationTests(RadiusServerFixture server)
{
    private const string FramedIp = "10.20.30.40";

    /// <summary>An active SIM of a new operator with a current RADIUS session held by <paramref name="nasAddress"/>.</summary>
    private async Task<(ApiClient Op, string SimId, string Imsi, string AcctSessionId, string SessionId)> RadiusSessionAsync(string nasAddress)
    {
        var op = await server.NewOperatorAsync();
        var (simId, imsi) = await op.RegisterSimAsync();
        (await op.PostAsync($"/v1/sims/{simId}/activate")).ShouldBe(HttpStatusCode.OK);
        var acctSessionId = "acct-" + Guid.NewGuid().ToString("N")[..12];
        using var scope = server.Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SimlaneDb>();
        var sim = await db.Sims.Include(s => s.Subscriptions).SingleAsync(s => s.SimId == simId);
        var session = SessionLedger.Open(db, sim, imsi, null, "soracom.io", FramedIp, null, server.Clock.GetUtcNow().ToUnixTimeMilliseconds());
        session.NasAddress = nasAddress;
        session.AcctSessionId = acctSessionId;
        await db.SaveChangesAsync();
        return (op, simId, imsi, acctSessionId, session.SessionId);
    }

    /// <summary>The next request <paramref name="nas"/> received for <paramref name="acctSessionId"/> (earlier tests' requests are skipped).</summary>
    private static async Task<JsonObject> NextForAsync(NasStandIn nas, string acctSessionId)
    {
        while (true)
        {
            var request = await nas.NextAsync();
            if (Attr(request, "Acct-Session-Id") == acctSessionId)
            {
                return request;
            }
        }
    }

    private static string? Attr(JsonObject request, string name) => request["attrs"]![name]?.AsArray()[0]?.ToString();

    private static async Task<JsonArray> EventsAsync(ApiClient op, string simId) =>
        (await op.GetAsync($"/v1/sims/{simId}/events/sessions")).ShouldBe(HttpStatusCode.OK).Array;

    private static JsonObject? DynamicAuthorization(JsonArray events, string type) =>
        events.Single(e => e!["event"]!.GetValue<string>() == type)!["dynamicAuthorization"]?.AsObject();

    private async Task<List<NasRequest>> RequestsAsync(string simId)
    {
        await using var db = DatabaseOptions.Parse(server.Database.ConnectionString).CreateContext();
        return await db.NasRequests.AsNoTracking().Where(r => r.SimId == simId).OrderBy(r => r.Id).ToListAsync();
    }

    [Fact]
    public async Task Terminate_ViaApi_SendsTheDisconnectOnCommit_AndTheDeletedEventShowsItAcked()
    {
        var (op, simId, imsi, acct, sessionId) = await RadiusSessionAsync(server.Ack.Host);
        (await op.PostAsync($"/v1/sims/{simId}/enable_termination")).ShouldBe(HttpStatusCode.OK);
        (await op.PostAsync($"/v1/sims/{simId}/terminate")).ShouldBe(HttpStatusCode.OK);

        // The server's clock is frozen (FakeTimeProvider) and nothing drains: only the commit's wake-up can send it.
        var request = await NextForAsync(server.Ack, acct);
        request["code"]!.GetValue<int>().ShouldBe(40, "Disconnect-Request");
        request["authentic"]!.GetValue<bool>().ShouldBeTrue("signed with the client's secret");
        request["message_authenticator"]!.GetValue<bool>().ShouldBeTrue();
        Attr(request, "User-Name").ShouldBe(imsi);
        Attr(request, "Framed-IP-Address").ShouldBe(FramedIp);
        request["attrs"]!.AsObject().ContainsKey("WISPr-Bandwidth-Max-Up").ShouldBeFalse();
        request["answered"]!.GetValue<bool>().ShouldBeTrue();

        await op.DrainAsync(); // waits for the worker to record the ACK
        var events = await EventsAsync(op, simId);
        events.Select(e => e!["event"]!.GetValue<string>()).ShouldBe(["Deleted", "Created"]);
        DynamicAuthorization(events, "Created").ShouldBeNull();
        var outcome = DynamicAuthorization(events, "Deleted")!;
        outcome["type"]!.GetValue<string>().ShouldBe("Disconnect");
        outcome["state"]!.GetValue<string>().ShouldBe("acked");
        outcome["attempts"]!.GetValue<int>().ShouldBe(1);
        outcome.ContainsKey("errorCause").ShouldBeFalse();
        outcome.ContainsKey("nextAttemptTime").ShouldBeFalse();
        outcome["completedTime"]!.GetValue<long>().ShouldBe(await op.NowMsAsync());
        events[0]!["sessionId"]!.GetValue<string>().ShouldBe(sessionId);

        var bySubscriber = (await op.GetAsync($"/v1/subscribers/{imsi}/events/sessions")).ShouldBe(HttpStatusCode.OK).Array;
        DynamicAuthorization(bySubscriber, "Deleted")!["state"]!.GetValue<string>().ShouldBe("acked");

        // Nothing more is owed: the clock moving on sends nothing again.
        await op.PostAsync("/v1/sandbox/clock", new { advanceSeconds = 3600 });
        (await RequestsAsync(simId)).ShouldHaveSingleItem().Attempts.ShouldBe(1);
    }

    [Theory]
    [InlineData("suspend", "suspended")]
    [InlineData("deactivate", "inactive")]
    [InlineData("set_to_standby", "standby")]
    public async Task EveryStatusThatStopsData_SendsADisconnect(string call, string status)
    {
        var (op, simId, _, acct, _) = await RadiusSessionAsync(server.Ack.Host);
        (await op.PostAsync($"/v1/sims/{simId}/{call}")).ShouldBe(HttpStatusCode.OK).Str("status").ShouldBe(status);

        (await NextForAsync(server.Ack, acct))["code"]!.GetValue<int>().ShouldBe(40);
        await op.DrainAsync();
        DynamicAuthorization(await EventsAsync(op, simId), "Deleted")!["state"]!.GetValue<string>().ShouldBe("acked");
    }

    [Theory]
    [InlineData("delete_session")]
    [InlineData("imei_lock")]
    [InlineData("replacing_session")]
    public async Task EveryOtherWaySimlaneEndsTheSession_SendsADisconnect(string path)
    {
        var (op, simId, imsi, acct, _) = await RadiusSessionAsync(server.Ack.Host);
        switch (path)
        {
            case "delete_session":
                (await op.PostAsync($"/v1/sims/{simId}/delete_session")).ShouldBe(HttpStatusCode.OK);
                break;
            case "imei_lock":
                // The session has no IMEI, so a lock to a specific one is not satisfied.
                (await op.PostAsync($"/v1/sims/{simId}/set_imei_lock", new { imei = "490154203237518" })).ShouldBe(HttpStatusCode.OK);
                break;
            default:
                (await server.Gateway().PostAsync("/v1/gateway/sessions", new { imsi })).ShouldBe(HttpStatusCode.OK).Json["accepted"]!.GetValue<bool>().ShouldBeTrue();
                break;
        }

        (await NextForAsync(server.Ack, acct))["code"]!.GetValue<int>().ShouldBe(40);
        await op.DrainAsync();
        var requests = await RequestsAsync(simId);
        requests.ShouldHaveSingleItem().State.ShouldBe(NasRequestStates.Acked);
    }

    [Fact]
    public async Task AnExpiryThatDeactivates_SendsADisconnect()
    {
        var (op, simId, _, acct, _) = await RadiusSessionAsync(server.Ack.Host);
        var expiry = await op.NowMsAsync() + 60_000;
        (await op.PostAsync($"/v1/sims/{simId}/set_expiry_time", new { expiryTime = expiry, expiryAction = "deactivate" })).ShouldBe(HttpStatusCode.OK);
        (await RequestsAsync(simId)).ShouldBeEmpty("nothing is owed before the expiry");

        await op.PostAsync("/v1/sandbox/clock", new { advanceSeconds = 60 });
        (await NextForAsync(server.Ack, acct))["code"]!.GetValue<int>().ShouldBe(40);
        (await op.GetAsync($"/v1/sims/{simId}")).Str("status").ShouldBe("inactive");
        await op.DrainAsync();
        DynamicAuthorization(await EventsAsync(op, simId), "Deleted")!["state"]!.GetValue<string>().ShouldBe("acked");
    }

    [Theory]
    [InlineData("DeactivationAction", 40, "Deleted")]
    [InlineData("SuspendAction", 40, "Deleted")]
    [InlineData("ChangeSpeedClassAction", 43, "Modified")]
    public async Task AnEventHandlerSimAction_SendsTheRequestItOwes(string action, int code, string sessionEvent)
    {
        var (op, simId, imsi, acct, _) = await RadiusSessionAsync(server.Ack.Host);
        var properties = new JsonObject { ["executionDateTimeConst"] = "IMMEDIATELY" };
        if (action == "ChangeSpeedClassAction")
        {
            properties["speedClass"] = "s1.minimum";
        }

        await op.CreateHandlerAsync("targetImsi", imsi, "SubscriberMonthlyTrafficRule",
            """{"limitTotalTrafficMegaByte":"1","inactiveTimeoutDateConst":"BEGINNING_OF_NEXT_MONTH"}""",
            actions: new JsonArray(new JsonObject { ["type"] = action, ["properties"] = properties }));

        await server.TrafficAsync(op, imsi, EngineTestKit.MiB + 1);

        var request = await NextForAsync(server.Ack, acct);
        request["code"]!.GetValue<int>().ShouldBe(code);
        if (code == 43)
        {
            Attr(request, "WISPr-Bandwidth-Max-Up").ShouldBe("32000");
            Attr(request, "WISPr-Bandwidth-Max-Down").ShouldBe("32000");
        }

        await op.DrainAsync();
        DynamicAuthorization(await EventsAsync(op, simId), sessionEvent)!["state"]!.GetValue<string>().ShouldBe("acked");
    }

    [Fact]
    public async Task SpeedClassChange_SendsACoAWithTheNewRates_OnAModifiedEvent()
    {
        var (op, simId, imsi, acct, _) = await RadiusSessionAsync(server.Ack.Host);
        (await op.PostAsync($"/v1/subscribers/{imsi}/update_speed_class", new { speedClass = "s1.fast" })).ShouldBe(HttpStatusCode.OK);

        var request = await NextForAsync(server.Ack, acct);
        request["code"]!.GetValue<int>().ShouldBe(43, "CoA-Request");
        request["authentic"]!.GetValue<bool>().ShouldBeTrue();
        Attr(request, "User-Name").ShouldBe(imsi);
        Attr(request, "WISPr-Bandwidth-Max-Up").ShouldBe("2000000");
        Attr(request, "WISPr-Bandwidth-Max-Down").ShouldBe("2000000");

        await op.DrainAsync();
        var events = await EventsAsync(op, simId);
        events.Select(e => e!["event"]!.GetValue<string>()).ShouldBe(["Modified", "Created"]);
        var coa = DynamicAuthorization(events, "Modified")!;
        coa["type"]!.GetValue<string>().ShouldBe("CoA");
        coa["state"]!.GetValue<string>().ShouldBe("acked");
        coa["speedClass"]!.GetValue<string>().ShouldBe("s1.fast");
        (await op.GetAsync($"/v1/sims/{simId}")).Json["sessionStatus"]!["online"]!.GetValue<bool>().ShouldBeTrue("a CoA keeps the session");

        // The same class again changes nothing and owes nothing.
        (await op.PostAsync($"/v1/subscribers/{imsi}/update_speed_class", new { speedClass = "s1.fast" })).ShouldBe(HttpStatusCode.OK);
        (await RequestsAsync(simId)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Nak_IsRecordedWithItsErrorCause_AndNotRetried()
    {
        var (op, simId, _, acct, _) = await RadiusSessionAsync(server.Nak.Host);
        (await op.PostAsync($"/v1/sims/{simId}/suspend")).ShouldBe(HttpStatusCode.OK);

        (await NextForAsync(server.Nak, acct))["answered"]!.GetValue<bool>().ShouldBeTrue();
        await op.DrainAsync();
        var outcome = DynamicAuthorization(await EventsAsync(op, simId), "Deleted")!;
        outcome["state"]!.GetValue<string>().ShouldBe("nak");
        outcome["errorCause"]!.GetValue<int>().ShouldBe(503);
        outcome["errorCauseName"]!.GetValue<string>().ShouldBe("Session-Context-Not-Found");
        outcome["lastError"]!.GetValue<string>().ShouldContain("503");
        outcome["attempts"]!.GetValue<int>().ShouldBe(1);

        await op.PostAsync("/v1/sandbox/clock", new { advanceSeconds = 3600 });
        (await RequestsAsync(simId)).ShouldHaveSingleItem().Attempts.ShouldBe(1, "a NAK is final");
    }

    [Fact]
    public async Task NoAnswer_IsRetriedWithBackoff_UntilTheDeadline_ThenFailed()
    {
        var (op, simId, _, acct, _) = await RadiusSessionAsync(server.Silent.Host);
        var start = await op.NowMsAsync();
        (await op.PostAsync($"/v1/sims/{simId}/deactivate")).ShouldBe(HttpStatusCode.OK);
        (await NextForAsync(server.Silent, acct))["answered"]!.GetValue<bool>().ShouldBeFalse();
        await op.DrainAsync();

        var pending = (await RequestsAsync(simId)).Single();
        pending.State.ShouldBe(NasRequestStates.Pending);
        pending.Attempts.ShouldBe(1);
        pending.Deadline.ShouldBe(start + 60_000);
        pending.NextAttemptTime.ShouldBeInRange(start + 2_500, start + 5_000, "the first backoff: 5 s with equal jitter");
        var view = DynamicAuthorization(await EventsAsync(op, simId), "Deleted")!;
        view["state"]!.GetValue<string>().ShouldBe("pending");
        view["nextAttemptTime"]!.GetValue<long>().ShouldBe(pending.NextAttemptTime);
        view["lastError"]!.GetValue<string>().ShouldContain("No answer");

        // Not before its time.
        await op.PostAsync("/v1/sandbox/clock", new { now = pending.NextAttemptTime - 1 });
        (await RequestsAsync(simId)).Single().Attempts.ShouldBe(1);

        await op.PostAsync("/v1/sandbox/clock", new { now = start + 30_000 });
        (await NextForAsync(server.Silent, acct))["answered"]!.GetValue<bool>().ShouldBeFalse();
        var second = (await RequestsAsync(simId)).Single();
        second.Attempts.ShouldBe(2);
        second.NextAttemptTime.ShouldBeInRange(start + 30_000 + 5_000, start + 30_000 + 10_000, "the second backoff doubles");

        // The last attempt is at the deadline; with no answer there the request is failed.
        await op.PostAsync("/v1/sandbox/clock", new { now = start + 60_000 });
        (await NextForAsync(server.Silent, acct))["answered"]!.GetValue<bool>().ShouldBeFalse();
        var failed = (await RequestsAsync(simId)).Single();
        failed.State.ShouldBe(NasRequestStates.Failed);
        failed.Attempts.ShouldBe(3);
        failed.CompletedTime.ShouldBe(start + 60_000);
        view = DynamicAuthorization(await EventsAsync(op, simId), "Deleted")!;
        view["state"]!.GetValue<string>().ShouldBe("failed");
        view["lastError"]!.GetValue<string>().ShouldContain("deadline passed");

        await op.PostAsync("/v1/sandbox/clock", new { advanceSeconds = 3600 });
        (await RequestsAsync(simId)).Single().Attempts.ShouldBe(3);
    }

    [Fact]
    public async Task TwoWorkersDrainingTogether_ClaimEachAttemptOnce()
    {
        // Rows written by a plain context wake no worker, and the server's own sleeps on the frozen clock.
        var now = server.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        var batch = "claim-" + Guid.NewGuid().ToString("N")[..8];
        await using (var db = DatabaseOptions.Parse(server.Database.ConnectionString).CreateContext())
        {
            for (var i = 0; i < 20; i++)
            {
                db.NasRequests.Add(new NasRequest
                {
                    OperatorId = "OP-CLAIM", SimId = batch, Imsi = "001010000000001", SessionId = $"{batch}-{i}", NasAddress = server.Ack.Host,
                    AcctSessionId = $"{batch}-{i}", Kind = NasRequestKinds.Disconnect, State = NasRequestStates.Pending,
                    CreatedTime = now, NextAttemptTime = now, Deadline = now + 60_000,
                });
            }

            await db.SaveChangesAsync();
        }

        var services = server.Factory.Services;
        NasRequestWorker Worker() => new(services.GetRequiredService<IServiceScopeFactory>(), services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<Simlane.Radius.Clients.RadiusClientTable>(), services.GetRequiredService<Simlane.Radius.DynamicAuthorization.DynamicAuthorizationClient>(),
            services.GetRequiredService<Microsoft.Extensions.Options.IOptions<RadiusOptions>>(), services.GetRequiredService<Simlane.Server.Diameter.DiameterService>(),
            services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Simlane.Server.Diameter.DiameterOptions>>(), services.GetRequiredService<Microsoft.Extensions.Logging.ILogger<NasRequestWorker>>());
        using var first = Worker();
        using var second = Worker();
        var attempted = await Task.WhenAll(first.DrainAsync(CancellationToken.None), second.DrainAsync(CancellationToken.None));

        // The server's own hosted worker may poll meanwhile and claim some rows too (it runs on a real-time idle
        // delay): between them all, each row is claimed and attempted exactly once. Its drain waits for a round it has
        // under way (its gate), so the rows it claimed are settled before they are read.
        attempted.Sum().ShouldBeInRange(1, 20);
        await services.GetRequiredService<NasRequestWorker>().DrainAsync(CancellationToken.None);
        var rows = await RequestsAsync(batch);
        rows.Count.ShouldBe(20);
        rows.ShouldAllBe(r => r.Attempts == 1 && r.State == NasRequestStates.Acked);
        var seen = new HashSet<string>();
        while (seen.Count < 20)
        {
            var request = await server.Ack.NextAsync();
            if (Attr(request, "Acct-Session-Id") is { } id && id.StartsWith(batch, StringComparison.Ordinal))
            {
                seen.Add(id).ShouldBeTrue($"{id} was sent twice");
            }
        }
    }

    [Fact]
    public async Task ANasNoClientCoversAnyMore_FailsAtOnce_WithAClearError()
    {
        var (op, simId, _, _, _) = await RadiusSessionAsync("127.0.0.9");
        (await op.PostAsync($"/v1/sims/{simId}/suspend")).ShouldBe(HttpStatusCode.OK);
        await op.DrainAsync();

        var outcome = DynamicAuthorization(await EventsAsync(op, simId), "Deleted")!;
        outcome["state"]!.GetValue<string>().ShouldBe("failed");
        outcome["attempts"]!.GetValue<int>().ShouldBe(1);
        outcome["lastError"]!.GetValue<string>().ShouldBe("No RADIUS client covers the NAS address 127.0.0.9 any more");
    }

    [Fact]
    public async Task NewerRequests_SupersedePendingCoAs()
    {
        var (op, simId, imsi, _, _) = await RadiusSessionAsync(server.Silent.Host);
        (await op.PostAsync($"/v1/subscribers/{imsi}/update_speed_class", new { speedClass = "s1.fast" })).ShouldBe(HttpStatusCode.OK);
        await op.DrainAsync();
        await op.PostAsync("/v1/sandbox/clock", new { advanceSeconds = 1 });
        (await op.PostAsync($"/v1/subscribers/{imsi}/update_speed_class", new { speedClass = "s1.slow" })).ShouldBe(HttpStatusCode.OK);
        await op.DrainAsync();
        await op.PostAsync("/v1/sandbox/clock", new { advanceSeconds = 1 });
        (await op.PostAsync($"/v1/sims/{simId}/suspend")).ShouldBe(HttpStatusCode.OK);
        await op.DrainAsync();

        var requests = await RequestsAsync(simId);
        requests.Select(r => (r.Kind, r.SpeedClass, r.State)).ShouldBe([
            (NasRequestKinds.CoA, "s1.fast", NasRequestStates.Superseded),
            (NasRequestKinds.CoA, "s1.slow", NasRequestStates.Superseded),
            (NasRequestKinds.Disconnect, null, NasRequestStates.Pending),
        ]);
        requests[0].LastError.ShouldBe("Superseded by a newer CoA-Request");
        requests[1].LastError.ShouldBe("Superseded by a Disconnect-Request");
        var events = await EventsAsync(op, simId);
        events.Where(e => e!["event"]!.GetValue<string>() == "Modified")
            .Select(e => (e!["dynamicAuthorization"]!["speedClass"]!.GetValue<string>(), e["dynamicAuthorization"]!["state"]!.GetValue<string>()))
            .ShouldBe([("s1.slow", "superseded"), ("s1.fast", "superseded")]);
    }

    [Fact]
    public async Task AGatewayApiSession_OwesTheNasNothing()
    {
        var op = await server.NewOperatorAsync();
        var (simId, imsi) = await op.RegisterSimAsync();
        (await server.Gateway().PostAsync("/v1/gateway/sessions", new { imsi })).ShouldBe(HttpStatusCode.OK).Json["accepted"]!.GetValue<bool>().ShouldBeTrue();
        (await op.PostAsync($"/v1/subscribers/{imsi}/update_speed_class", new { speedClass = "s1.fast" })).ShouldBe(HttpStatusCode.OK);
        (await op.PostAsync($"/v1/sims/{simId}/suspend")).ShouldBe(HttpStatusCode.OK);
        await op.DrainAsync();

        (await RequestsAsync(simId)).ShouldBeEmpty();
        var events = await EventsAsync(op, simId);
        events.Select(e => e!["event"]!.GetValue<string>()).ShouldBe(["Deleted", "Created"]);
        events.ShouldAllBe(e => e!["dynamicAuthorization"] == null);
    }

    [Fact]
    public async Task ASessionTheNasEnded_OwesItNothing()
    {
        var (op, simId, _, _, sessionId) = await RadiusSessionAsync(server.Ack.Host);
        using (var scope = server.Factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SimlaneDb>();
            var sim = await db.Sims.Include(s => s.Subscriptions).SingleAsync(s => s.SimId == simId);
            var session = await db.Sessions.SingleAsync(s => s.SessionId == sessionId);
            await SessionLedger.EndAsync(db, sim, session, server.Clock.GetUtcNow().ToUnixTimeMilliseconds(), endedByNas: true);
            await db.SaveChangesAsync();
        }

        (await op.PostAsync($"/v1/sims/{simId}/suspend")).ShouldBe(HttpStatusCode.OK);
        await op.DrainAsync();
        (await RequestsAsync(simId)).ShouldBeEmpty();
        DynamicAuthorization(await EventsAsync(op, simId), "Deleted").ShouldBeNull();
    }
}

public sealed class DynamicAuthorizationTests_Sqlite(RadiusSqliteServer server) : DynamicAuthorizationTests(server), IClassFixture<RadiusSqliteServer>;

public sealed class DynamicAuthorizationTests_Postgres(RadiusPostgresServer server) : DynamicAuthorizationTests(server), IClassFixture<RadiusPostgresServer>;
