using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Simlane.Diameter.Codec;
using Simlane.Diameter.Peers;
using Simlane.Server.Diameter;
using Simlane.Server.Tests.Engine;
using Simlane.Server.Tests.Infrastructure;
using Simlane.Server.Tests.Usage;
using Simlane.Storage;
using Simlane.TestSupport.Diameter;
using static Simlane.Server.Tests.Gateway.SessionTestKit;

namespace Simlane.Server.Tests.Diameter;

/// <summary>
/// The server in-process with its Diameter node on 127.0.0.1 (port chosen by the system) for the peers
/// <see cref="Pgw"/> (must connect from 127.0.0.1) and <see cref="Elsewhere"/> (must connect from 127.0.0.2, so never
/// accepted from here). Quota 1 MiB, validity 120 s; Re-Auth waits 2 s per attempt with a 60 s deadline.
/// </summary>
public abstract class GyServer(DatabaseKind kind) : ServerFixture(kind)
{
    public const string Pgw = "pgw.test.example";
    public const string Elsewhere = "pgw2.test.example";
    public const string Probe = "probe.test.example";
    public const long Quota = 1024 * 1024;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Simlane:Diameter:Peers:0"] = $"{Pgw}=127.0.0.1",
        ["Simlane:Diameter:Peers:1"] = $"{Elsewhere}=127.0.0.2",
        ["Simlane:Diameter:Peers:2"] = Probe,
        ["Simlane:Diameter:Port"] = "0",
        ["Simlane:Diameter:Bind"] = "127.0.0.1",
        ["Simlane:Diameter:OriginHost"] = "ocs.simlane.test",
        ["Simlane:Diameter:OriginRealm"] = "simlane.test",
        ["Simlane:Diameter:QuotaOctets"] = Quota.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Simlane:Diameter:ValidityTimeSeconds"] = "120",
        ["Simlane:Diameter:ReAuthTimeoutMilliseconds"] = "2000",
        ["Simlane:Radius:DynamicAuthorizationDeadlineSeconds"] = "60",
    };

    public int Port => Factory.Services.GetRequiredService<DiameterService>().LocalEndPoint!.Port;

    public GyMetrics Metrics => Factory.Services.GetRequiredService<GyMetrics>();

    public DiameterMetrics Node => Factory.Services.GetRequiredService<DiameterMetrics>();
}

public sealed class SqliteGyServer() : GyServer(DatabaseKind.Sqlite);

public sealed class PostgresGyServer() : GyServer(DatabaseKind.Postgres);

/// <summary>
/// Credit control through the real node, driven by the npm <c>diameter</c> package as the PGW (gy_peer.js); what it
/// changes is read back through the HTTP API.
/// </summary>
public abstract class GyTests(GyServer server)
{
    private const int Success = 2001;
    private const int UnknownPeer = 3010;
    private const int Denied = 4010;
    private const int UnknownSession = 5002;
    private const int InvalidValue = 5004;
    private const int MissingAvp = 5005;
    private const int UserUnknown = 5030;

    [Fact]
    public async Task Cer_ConfiguredPeer_AnsweredWithCreditControlAdvertised()
    {
        await using var pgw = await GyPeer.StartAsync(server.Port);

        pgw.CapabilitiesResultCode.ShouldBe(Success);
        var avps = pgw.CapabilitiesAnswer!["avps"]!.AsArray();
        Str(avps, "Origin-Host").ShouldBe("ocs.simlane.test");
        Str(avps, "Origin-Realm").ShouldBe("simlane.test");
        GyPeer.FindAll(avps, "Auth-Application-Id").Select(n => n!.ToString()).ShouldContain("Diameter Credit Control", "the package names application 4");
        Code(await pgw.WatchdogAsync()).ShouldBe(Success);
    }

    [Fact]
    public async Task Cer_UnknownPeerOrWrongAddress_3010AndClosed()
    {
        await using var stranger = await GyPeer.StartAsync(server.Port, originHost: "stranger.test.example");
        stranger.CapabilitiesResultCode.ShouldBe(UnknownPeer);
        await stranger.ClosedAsync();

        // Listed, but bound to 127.0.0.2: connecting from 127.0.0.1 is refused the same way.
        await using var misplaced = await GyPeer.StartAsync(server.Port, originHost: GyServer.Elsewhere);
        misplaced.CapabilitiesResultCode.ShouldBe(UnknownPeer);
        await misplaced.ClosedAsync();
    }

    [Fact]
    public async Task InitialUpdateTermination_ActiveSim_GrantsQuota_MetersOnce_AndRecordsTheSession()
    {
        var op = await server.NewOperatorAsync();
        await op.ListenToUsageAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var simId = sim.Str("simId");
        var imsi = sim.PrimaryImsi();
        await using var pgw = await GyPeer.StartAsync(server.Port);
        var session = GyPeer.NewSessionId(GyServer.Pgw);

        var initial = await pgw.CcrAsync(new GyRequest(session, GyRequestType.InitialRequest, 0, imsi) { Imeisv = Imei1[..14] + "03", Apn = "soracom.io", RatingGroup = 10 });

        Code(initial).ShouldBe(Success, initial.ToJsonString());
        var avps = initial["avps"]!.AsArray();
        GyPeer.Find(avps, "CC-Request-Number")!.GetValue<long>().ShouldBe(0);
        GyPeer.Find(avps, "Multiple-Services-Credit-Control", "Granted-Service-Unit", "CC-Total-Octets")!.ToString().ShouldBe(GyServer.Quota.ToString(System.Globalization.CultureInfo.InvariantCulture));
        GyPeer.Find(avps, "Multiple-Services-Credit-Control", "Validity-Time")!.GetValue<long>().ShouldBe(120);
        GyPeer.Find(avps, "Multiple-Services-Credit-Control", "Rating-Group")!.GetValue<long>().ShouldBe(10);
        GyPeer.Find(avps, "Multiple-Services-Credit-Control", "Result-Code")!.ToString().ShouldBe("DIAMETER_SUCCESS");
        var online = await op.GetSimAsync(simId);
        online.Str("status").ShouldBe("active", "a ready SIM becomes active on its first session");
        online.Online().ShouldBeTrue();
        online.Json["sessionStatus"]!["imei"]!.GetValue<string>().ShouldBe(Imei1);
        var created = (await op.GetAsync($"/v1/sims/{simId}/events/sessions")).ShouldBe(HttpStatusCode.OK).Array.Single()!;
        created["apn"]!.GetValue<string>().ShouldBe("soracom.io", "Called-Station-Id in PS-Information");
        created["cell"]!["radioType"]!.GetValue<string>().ShouldBe("LTE", "3GPP-RAT-Type EUTRAN");

        Code(await pgw.CcrAsync(new GyRequest(session, GyRequestType.UpdateRequest, 1, imsi) { UsedInput = 1_000, UsedOutput = 2_000, RatingGroup = 10 })).ShouldBe(Success);
        (await TotalsAsync(op, imsi)).ShouldBe((1_000L, 2_000L), "CC-Input-Octets are the SIM's upload, CC-Output-Octets its download");

        var final = await pgw.CcrAsync(new GyRequest(session, GyRequestType.TerminationRequest, 2, imsi) { UsedInput = 10, UsedOutput = 20, RatingGroup = 10, TerminationCause = "DIAMETER_LOGOUT" });

        Code(final).ShouldBe(Success);
        (await TotalsAsync(op, imsi)).ShouldBe((1_010L, 2_020L));
        (await op.GetSimAsync(simId)).Online().ShouldBeFalse();
        (await op.SessionEventsAsync(simId)).ShouldBe(["Deleted", "Created"]);
        var events = await server.DomainEventsAsync(simId);
        events.Count(e => e.Type == "UsageRecorded" && e.Imsi == imsi).ShouldBe(2);
        events.Select(e => e.Type).ShouldContain("SessionCreated");
        events.Select(e => e.Type).ShouldContain("SessionDeleted");
        (await SessionDeletedRequestAsync(simId)).ShouldBeNull("the peer ended the session itself: no Re-Auth is owed");
    }

    [Fact]
    public async Task Update_Retransmitted_AnsweredTheSame_MeteredOnce()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var imsi = sim.PrimaryImsi();
        await using var pgw = await GyPeer.StartAsync(server.Port);
        var session = GyPeer.NewSessionId(GyServer.Pgw);
        Code(await pgw.CcrAsync(new GyRequest(session, GyRequestType.InitialRequest, 0, imsi))).ShouldBe(Success);
        var update = new GyRequest(session, GyRequestType.UpdateRequest, 1, imsi) { UsedInput = 300, UsedOutput = 700 };

        var first = await pgw.CcrAsync(update);
        var again = await pgw.CcrAsync(update with { Retransmit = true });
        var twice = await pgw.CcrAsync(update);
        var initialAgain = await pgw.CcrAsync(new GyRequest(session, GyRequestType.InitialRequest, 0, imsi) { Retransmit = true });

        foreach (var answer in new[] { first, again, twice })
        {
            Code(answer).ShouldBe(Success);
            GyPeer.Find(answer["avps"]!.AsArray(), "Multiple-Services-Credit-Control", "Granted-Service-Unit", "CC-Total-Octets").ShouldNotBeNull();
        }

        Code(initialAgain).ShouldBe(Success);
        (await TotalsAsync(op, imsi)).ShouldBe((300L, 700L));
        (await op.SessionEventsAsync(sim.Str("simId"))).ShouldBe(["Created"], "the retransmitted initial request opened nothing");
    }

    [Theory]
    [InlineData("deactivate")]
    [InlineData("suspend")]
    [InlineData("terminate")]
    public async Task Initial_RefusedStatus_4010_NoSession(string action)
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var simId = sim.Str("simId");
        (await op.PostAsync($"/v1/sims/{simId}/enable_termination")).ShouldBe(HttpStatusCode.OK);
        (await op.PostAsync($"/v1/sims/{simId}/{action}")).ShouldBe(HttpStatusCode.OK);
        var status = (await op.GetSimAsync(simId)).Str("status");
        await using var pgw = await GyPeer.StartAsync(server.Port);

        var answer = await pgw.CcrAsync(new GyRequest(GyPeer.NewSessionId(GyServer.Pgw), GyRequestType.InitialRequest, 0, sim.PrimaryImsi()));

        Code(answer).ShouldBe(Denied);
        GyPeer.Find(answer["avps"]!.AsArray(), "Multiple-Services-Credit-Control").ShouldBeNull("nothing is granted");
        var after = await op.GetSimAsync(simId);
        after.Online().ShouldBeFalse();
        after.Str("status").ShouldBe(status);
        (await op.SessionEventsAsync(simId)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Initial_ExpiredSim_4010()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var simId = sim.Str("simId");
        var now = server.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        (await op.PostAsync($"/v1/sims/{simId}/set_expiry_time", new { expiryTime = now + 3_600_000, expiryAction = "doNothing" })).ShouldBe(HttpStatusCode.OK);
        await using (var db = DatabaseOptions.Parse(server.Database.ConnectionString).CreateContext())
        {
            await db.Sims.Where(s => s.SimId == simId).ExecuteUpdateAsync(s => s.SetProperty(x => x.ExpiryTime, now - 1));
        }

        await using var pgw = await GyPeer.StartAsync(server.Port);
        var answer = await pgw.CcrAsync(new GyRequest(GyPeer.NewSessionId(GyServer.Pgw), GyRequestType.InitialRequest, 0, sim.PrimaryImsi()));

        Code(answer).ShouldBe(Denied);
    }

    [Fact]
    public async Task Initial_UnknownOrMissingImsi_5030_NothingOpened()
    {
        await using var pgw = await GyPeer.StartAsync(server.Port);
        var before = server.Metrics.Count(1, UserUnknown);

        var unknown = await pgw.CcrAsync(new GyRequest(GyPeer.NewSessionId(GyServer.Pgw), GyRequestType.InitialRequest, 0, "001019999999999"));
        var missing = await pgw.CcrAsync(new GyRequest(GyPeer.NewSessionId(GyServer.Pgw), GyRequestType.InitialRequest, 0, "001019999999998") { Omit = ["Subscription-Id"] });

        Code(unknown).ShouldBe(UserUnknown);
        Code(missing).ShouldBe(UserUnknown);
        server.Metrics.Count(1, UserUnknown).ShouldBe(before + 2);
        GyPeer.Find(unknown["avps"]!.AsArray(), "Multiple-Services-Credit-Control").ShouldBeNull("nothing is granted");
    }

    [Fact]
    public async Task Initial_ImeiLock_MatchingImeisvAdmitted_OtherRefusedWithEvent()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var simId = sim.Str("simId");
        var imsi = sim.PrimaryImsi();
        (await op.PostAsync($"/v1/sims/{simId}/set_imei_lock", new { imei = Imei1 })).ShouldBe(HttpStatusCode.OK);
        await using var pgw = await GyPeer.StartAsync(server.Port);

        var other = await pgw.CcrAsync(new GyRequest(GyPeer.NewSessionId(GyServer.Pgw), GyRequestType.InitialRequest, 0, imsi) { Imeisv = Imei2[..14] + "01" });
        var none = await pgw.CcrAsync(new GyRequest(GyPeer.NewSessionId(GyServer.Pgw), GyRequestType.InitialRequest, 0, imsi));
        var locked = await pgw.CcrAsync(new GyRequest(GyPeer.NewSessionId(GyServer.Pgw), GyRequestType.InitialRequest, 0, imsi) { Imeisv = Imei1[..14] + "07" });

        Code(other).ShouldBe(Denied);
        Code(none).ShouldBe(Denied);
        Code(locked).ShouldBe(Success);
        var mismatches = (await server.DomainEventsAsync(simId)).Where(e => e.Type == "ImeiMismatched" && e.Imsi is null).ToList();
        mismatches.Select(e => e.New).ShouldBe([Imei2, null], "the IMEISV is recorded as its 15-digit IMEI");
    }

    [Fact]
    public async Task Terminate_WithLiveSession_PeerGetsReAuth_NextUpdateDeniedWithTerminate_UsageStillCounted()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var simId = sim.Str("simId");
        var imsi = sim.PrimaryImsi();
        await using var pgw = await GyPeer.StartAsync(server.Port);
        var session = GyPeer.NewSessionId(GyServer.Pgw);
        Code(await pgw.CcrAsync(new GyRequest(session, GyRequestType.InitialRequest, 0, imsi) { RatingGroup = 1 })).ShouldBe(Success);

        (await op.PostAsync($"/v1/sims/{simId}/enable_termination")).ShouldBe(HttpStatusCode.OK);
        (await op.PostAsync($"/v1/sims/{simId}/terminate")).ShouldBe(HttpStatusCode.OK);

        var rar = await pgw.NextRequestAsync(command: "Re-Auth");
        rar["sessionId"]!.GetValue<string>().ShouldBe(session);
        var rarAvps = rar["avps"]!.AsArray();
        Str(rarAvps, "Destination-Host").ShouldBe(GyServer.Pgw);
        Str(rarAvps, "Origin-Host").ShouldBe("ocs.simlane.test");
        GyPeer.Find(rarAvps, "Auth-Application-Id")!.ToString().ShouldBe("Diameter Credit Control");
        GyPeer.Find(rarAvps, "Re-Auth-Request-Type")!.ToString().ShouldBe("AUTHORIZE_ONLY");
        (await op.GetSimAsync(simId)).Online().ShouldBeFalse("the cut ends the session in Simlane at once");

        var update = await pgw.CcrAsync(new GyRequest(session, GyRequestType.UpdateRequest, 1, imsi) { UsedInput = 50, UsedOutput = 60, RatingGroup = 1, ReportingReason = "FORCED_REAUTHORISATION" });

        Code(update).ShouldBe(Denied);
        var avps = update["avps"]!.AsArray();
        GyPeer.Find(avps, "Multiple-Services-Credit-Control", "Granted-Service-Unit").ShouldBeNull();
        GyPeer.Find(avps, "Multiple-Services-Credit-Control", "Final-Unit-Indication", "Final-Unit-Action")!.ToString().ShouldBe("TERMINATE");
        GyPeer.Find(avps, "Multiple-Services-Credit-Control", "Result-Code")!.ToString().ShouldBe("DIAMETER_END_USER_SERVICE_DENIED");
        Code(await pgw.CcrAsync(new GyRequest(session, GyRequestType.TerminationRequest, 2, imsi) { UsedInput = 1, UsedOutput = 2 })).ShouldBe(Success);

        var request = await WaitForOutcomeAsync(simId);
        (request.Kind, request.State, request.NasAddress, request.AcctSessionId).ShouldBe((NasRequestKinds.ReAuth, NasRequestStates.Acked, GyServer.Pgw, session));
        var deleted = (await op.GetAsync($"/v1/sims/{simId}/events/sessions")).ShouldBe(HttpStatusCode.OK).Array
            .Single(e => e!["event"]!.GetValue<string>() == "Deleted")!;
        deleted["dynamicAuthorization"]!["type"]!.GetValue<string>().ShouldBe("ReAuth");
        deleted["dynamicAuthorization"]!["state"]!.GetValue<string>().ShouldBe("acked");
    }

    [Fact]
    public async Task Suspend_PeerAnswersUnknownSession_RecordedAsNak_LaterReportsStillCounted()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var simId = sim.Str("simId");
        var imsi = sim.PrimaryImsi();
        var session = GyPeer.NewSessionId(GyServer.Pgw);
        await using var pgw = await GyPeer.StartAsync(server.Port, rar: "unknown_session");
        Code(await pgw.CcrAsync(new GyRequest(session, GyRequestType.InitialRequest, 0, imsi))).ShouldBe(Success);

        (await op.PostAsync($"/v1/sims/{simId}/suspend")).ShouldBe(HttpStatusCode.OK);
        await pgw.NextRequestAsync(command: "Re-Auth");

        // The peer still reports what was used before it heard: counted, and denied.
        Code(await pgw.CcrAsync(new GyRequest(session, GyRequestType.UpdateRequest, 1, imsi) { UsedInput = 50, UsedOutput = 60 })).ShouldBe(Denied);
        (await TotalsAsync(op, imsi)).ShouldBe((50L, 60L), "what was used before the cut is still counted");
        Code(await pgw.CcrAsync(new GyRequest(session, GyRequestType.TerminationRequest, 2, imsi) { UsedInput = 1, UsedOutput = 2 })).ShouldBe(Success);
        (await TotalsAsync(op, imsi)).ShouldBe((51L, 62L));

        var request = await WaitForOutcomeAsync(simId);
        (request.State, request.ErrorCause).ShouldBe((NasRequestStates.Nak, UnknownSession));
        var deleted = (await op.GetAsync($"/v1/sims/{simId}/events/sessions")).ShouldBe(HttpStatusCode.OK).Array
            .Single(e => e!["event"]!.GetValue<string>() == "Deleted")!;
        deleted["dynamicAuthorization"]!["errorCauseName"]!.GetValue<string>().ShouldBe("DIAMETER_UNKNOWN_SESSION_ID");
    }

    [Fact]
    public async Task Terminate_WhilePeerDisconnected_ReAuthRetried_DeliveredAfterItReconnects()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var simId = sim.Str("simId");
        var session = GyPeer.NewSessionId(GyServer.Pgw);
        await using var pgw = await GyPeer.StartAsync(server.Port);
        Code(await pgw.CcrAsync(new GyRequest(session, GyRequestType.InitialRequest, 0, sim.PrimaryImsi()))).ShouldBe(Success);
        await pgw.CloseAsync();

        (await op.PostAsync($"/v1/sims/{simId}/enable_termination")).ShouldBe(HttpStatusCode.OK);
        (await op.PostAsync($"/v1/sims/{simId}/terminate")).ShouldBe(HttpStatusCode.OK);

        var pending = await WaitForRequestAsync(simId, r => r.Attempts == 1 && r.LastError is not null);
        pending.State.ShouldBe(NasRequestStates.Pending);
        pending.LastError.ShouldBe($"Diameter peer {GyServer.Pgw} is not connected");
        var view = (await op.GetAsync($"/v1/sims/{simId}/events/sessions")).ShouldBe(HttpStatusCode.OK).Array
            .Single(e => e!["event"]!.GetValue<string>() == "Deleted")!["dynamicAuthorization"]!;
        view["state"]!.GetValue<string>().ShouldBe("pending");

        Code((await pgw.ReconnectAsync())["cea"]!.AsObject()).ShouldBe(Success);
        await op.PostAsync("/v1/sandbox/clock", new { now = pending.NextAttemptTime });

        (await pgw.NextRequestAsync(command: "Re-Auth"))["sessionId"]!.GetValue<string>().ShouldBe(session);
        var acked = await WaitForRequestAsync(simId, r => r.State != NasRequestStates.Pending);
        (acked.State, acked.Attempts).ShouldBe((NasRequestStates.Acked, 2));
    }

    [Fact]
    public async Task UpdateOrTermination_UnknownSession_5002_ChangesNothing()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var imsi = sim.PrimaryImsi();
        await using var pgw = await GyPeer.StartAsync(server.Port);

        var update = await pgw.CcrAsync(new GyRequest(GyPeer.NewSessionId(GyServer.Pgw), GyRequestType.UpdateRequest, 1, imsi) { UsedInput = 5, UsedOutput = 5 });
        var final = await pgw.CcrAsync(new GyRequest(GyPeer.NewSessionId(GyServer.Pgw), GyRequestType.TerminationRequest, 1, imsi) { UsedInput = 5, UsedOutput = 5 });

        Code(update).ShouldBe(UnknownSession);
        Code(final).ShouldBe(UnknownSession);
        (await TotalsAsync(op, imsi)).ShouldBe((0L, 0L));
    }

    [Fact]
    public async Task MalformedRequests_MissingOrInvalidAvps_AnsweredWithFailedAvp_ChangeNothing()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var imsi = sim.PrimaryImsi();
        await using var pgw = await GyPeer.StartAsync(server.Port);
        var session = GyPeer.NewSessionId(GyServer.Pgw);
        JsonArray Body(params JsonArray[] extra) => BodyOf(4, extra);
        JsonArray BodyOf(long application, JsonArray[] extra)
        {
            var body = new JsonArray(
                new JsonArray("Session-Id", session), new JsonArray("Origin-Host", GyServer.Pgw), new JsonArray("Origin-Realm", "test.example"),
                new JsonArray("Destination-Realm", "simlane.test"), new JsonArray("Auth-Application-Id", application), new JsonArray("Service-Context-Id", "32251@3gpp.org"),
                new JsonArray("Subscription-Id", new JsonArray(new JsonArray("Subscription-Id-Type", "END_USER_IMSI"), new JsonArray("Subscription-Id-Data", imsi))));
            foreach (var avp in extra)
            {
                body.Add(avp);
            }

            return body;
        }

        var noType = await pgw.SendAsync("Credit-Control", Body(new JsonArray("CC-Request-Number", 0)));
        var noNumber = await pgw.SendAsync("Credit-Control", Body(new JsonArray("CC-Request-Type", "INITIAL_REQUEST")));
        var badApplication = await pgw.SendAsync("Credit-Control", BodyOf(3, [new JsonArray("CC-Request-Type", "INITIAL_REQUEST"), new JsonArray("CC-Request-Number", 0)]));
        var eventRequest = await pgw.SendAsync("Credit-Control", Body(new JsonArray("CC-Request-Type", "EVENT_REQUEST"), new JsonArray("CC-Request-Number", 0)));

        Code(noType).ShouldBe(MissingAvp);
        GyPeer.Find(noType["avps"]!.AsArray(), "Failed-AVP").ShouldNotBeNull();
        Code(noNumber).ShouldBe(MissingAvp);
        Code(badApplication).ShouldBe(InvalidValue);
        GyPeer.Find(badApplication["avps"]!.AsArray(), "Failed-AVP", "Auth-Application-Id").ShouldNotBeNull();
        Code(eventRequest).ShouldBe(5012);
        (await op.GetSimAsync(sim.Str("simId"))).Str("status").ShouldBe("ready", "nothing was admitted");
    }

    [Fact]
    public async Task RawRequests_OutOfRangeTypeOrUnknownMandatoryAvp_AnsweredAndChangeNothing()
    {
        // Values the npm package refuses to encode, so built with our codec and sent as bytes on its connection.
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        await using var pgw = await GyPeer.StartAsync(server.Port);

        var badType = await RawAsync(pgw, Ccr(sim.PrimaryImsi(), type: 9));
        var unknownMandatory = await RawAsync(pgw, Ccr(sim.PrimaryImsi(), type: 1, Avp.OfUInt32(65_000, 1, vendorId: 99_999)));
        var unknownOptional = await RawAsync(pgw, Ccr(sim.PrimaryImsi(), type: 1, Avp.OfUInt32(65_001, 1, vendorId: 99_999, mandatory: false)));

        Code(badType).ShouldBe(InvalidValue);
        Code(unknownMandatory).ShouldBe(5001);
        Code(unknownOptional).ShouldBe(Success, "an unknown AVP without the M bit is ignored");
        (await op.GetSimAsync(sim.Str("simId"))).Online().ShouldBeTrue("only the last request opened a session");
        (await op.SessionEventsAsync(sim.Str("simId"))).ShouldBe(["Created"]);
    }

    private static DiameterMessage Ccr(string imsi, uint type, params Avp[] extra)
    {
        var ccr = DiameterMessage.CreateRequest(DiameterCommands.CreditControl, DiameterApplications.CreditControl);
        ccr.Avps.Add(Avp.OfString(AvpCodes.SessionId, GyPeer.NewSessionId(GyServer.Pgw)));
        ccr.Avps.Add(Avp.OfString(AvpCodes.OriginHost, GyServer.Pgw));
        ccr.Avps.Add(Avp.OfString(AvpCodes.OriginRealm, "test.example"));
        ccr.Avps.Add(Avp.OfString(AvpCodes.DestinationRealm, "simlane.test"));
        ccr.Avps.Add(Avp.OfUInt32(AvpCodes.AuthApplicationId, DiameterApplications.CreditControl));
        ccr.Avps.Add(Avp.OfString(AvpCodes.ServiceContextId, "32251@3gpp.org"));
        ccr.Avps.Add(Avp.OfUInt32(AvpCodes.CcRequestType, type));
        ccr.Avps.Add(Avp.OfUInt32(AvpCodes.CcRequestNumber, 0));
        ccr.Avps.Add(Avp.OfGrouped(AvpCodes.SubscriptionId, [Avp.OfUInt32(AvpCodes.SubscriptionIdType, 1), Avp.OfString(AvpCodes.SubscriptionIdData, imsi)]));
        ccr.Avps.AddRange(extra);
        return ccr;
    }

    private static async Task<JsonObject> RawAsync(GyPeer pgw, DiameterMessage request)
    {
        request.HopByHopId = (uint)Random.Shared.Next();
        request.EndToEndId = request.HopByHopId;
        await pgw.SendRawAsync(request.Encode());
        return await pgw.NextEventAsync("answer");
    }

    [Fact]
    public async Task GarbageFrame_ClosesThatConnection_OthersAndNewOnesAreServed()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        await using var healthy = await GyPeer.StartAsync(server.Port);
        await using (var broken = await GyPeer.StartAsync(server.Port, originHost: GyServer.Probe))
        {
            // Version 7, length 5: the stream cannot be resynchronised.
            await broken.SendRawAsync([0x07, 0x00, 0x00, 0x05, 0x80, 0x00, 0x01, 0x10, 0, 0, 0, 4, 0, 0, 0, 1, 0, 0, 0, 1]);
            await broken.ClosedAsync();
        }

        Code(await healthy.WatchdogAsync()).ShouldBe(Success);
        await using var fresh = await GyPeer.StartAsync(server.Port);
        Code(await fresh.CcrAsync(new GyRequest(GyPeer.NewSessionId(GyServer.Pgw), GyRequestType.InitialRequest, 0, sim.PrimaryImsi()))).ShouldBe(Success);
    }

    private Task<NasRequest> WaitForOutcomeAsync(string simId) => WaitForRequestAsync(simId, r => r.State != NasRequestStates.Pending);

    /// <summary>The SIM's one staged request once <paramref name="done"/> holds (the worker records outcomes after the peer answered).</summary>
    private async Task<NasRequest> WaitForRequestAsync(string simId, Func<NasRequest, bool> done)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            await using var db = DatabaseOptions.Parse(server.Database.ConnectionString).CreateContext();
            var request = await db.NasRequests.AsNoTracking().SingleOrDefaultAsync(r => r.SimId == simId);
            if (request is not null && done(request))
            {
                return request;
            }

            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30), "waiting for the Re-Auth request's state to be recorded");
            await Task.Delay(50);
        }
    }

    private async Task<NasRequest?> SessionDeletedRequestAsync(string simId)
    {
        await using var db = DatabaseOptions.Parse(server.Database.ConnectionString).CreateContext();
        return await db.NasRequests.AsNoTracking().SingleOrDefaultAsync(r => r.SimId == simId);
    }

    private async Task<(long Up, long Down)> TotalsAsync(ApiClient op, string imsi)
    {
        var now = server.Clock.GetUtcNow().ToUnixTimeSeconds();
        var buckets = (await op.StatsAsync($"subscribers/{imsi}", now - 86_400, now + 86_400, "day")).Buckets();
        return (buckets.Sum(b => b.Up), buckets.Sum(b => b.Down));
    }

    /// <summary>The answer's Result-Code; fails with the whole event when it is not an answer.</summary>
    private static int Code(JsonObject answer) =>
        GyPeer.ResultCode(answer) ?? throw new Xunit.Sdk.XunitException($"not an answer: {answer.ToJsonString()}");

    private static string? Str(JsonArray avps, string name) => GyPeer.Find(avps, name)?.GetValue<string>();
}

public sealed class GyTests_Sqlite(SqliteGyServer server) : GyTests(server), IClassFixture<SqliteGyServer>;

public sealed class GyTests_Postgres(PostgresGyServer server) : GyTests(server), IClassFixture<PostgresGyServer>;
