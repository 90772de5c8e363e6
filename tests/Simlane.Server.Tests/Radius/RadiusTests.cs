using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Simlane.Radius.Server;
using Simlane.Server.Radius;
using Simlane.Server.Tests.Engine;
using Simlane.Server.Tests.Infrastructure;
using Simlane.Server.Tests.Usage;
using static Simlane.Server.Tests.Gateway.SessionTestKit;

namespace Simlane.Server.Tests.Radius;

/// <summary>The server in-process with RADIUS on 127.0.0.1 (ports chosen by the system) for client 127.0.0.1.</summary>
public abstract class RadiusServer(DatabaseKind kind) : ServerFixture(kind)
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Simlane:Radius:Clients:0"] = $"127.0.0.1={RadiusPeer.Secret}",
        ["Simlane:Radius:AuthPort"] = "0",
        ["Simlane:Radius:AcctPort"] = "0",
        ["Simlane:Radius:Bind"] = "127.0.0.1",
    };

    public int AuthPort => Factory.Services.GetRequiredService<RadiusEndpoints>().Auth!.Port;

    public int AcctPort => Factory.Services.GetRequiredService<RadiusEndpoints>().Acct!.Port;

    public RadiusCounterSnapshot Listener => Factory.Services.GetRequiredService<RadiusMetrics>().Snapshot();

    public RadiusAccountingMetrics Accounting => Factory.Services.GetRequiredService<RadiusAccountingMetrics>();
}

public sealed class SqliteRadiusServer() : RadiusServer(DatabaseKind.Sqlite);

public sealed class PostgresRadiusServer() : RadiusServer(DatabaseKind.Postgres);

/// <summary>
/// Admission (Access-Request) and accounting (Accounting-Request) through the real listener, driven by radclient and
/// pyrad; what they change is read back through the HTTP API.
/// </summary>
public abstract class RadiusTests(RadiusServer server)
{
    private const int AccessAccept = 2;
    private const int AccessReject = 3;
    private const int AccountingResponse = 5;

    [Fact]
    public async Task Access_ReadySim_AcceptedWithRatesAndInterimAndBecomesActive_NoSessionYet()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var imsi = sim.PrimaryImsi();

        var result = await RadiusPeer.RadclientAsync(server.AuthPort, "auth", RadiusPeer.Secret,
            $"User-Name = \"device\"\n3GPP-IMSI = \"{imsi}\"\nMessage-Authenticator = 0x00\n");

        result.Stdout.ShouldContain("Received Access-Accept", customMessage: result.ToString());
        result.Stdout.ShouldContain("WISPr-Bandwidth-Max-Up = 512000", customMessage: result.ToString());
        result.Stdout.ShouldContain("WISPr-Bandwidth-Max-Down = 512000", customMessage: result.ToString());
        result.Stdout.ShouldContain("Acct-Interim-Interval = 300", customMessage: result.ToString());
        var after = await op.GetSimAsync(sim.Str("simId"));
        after.Str("status").ShouldBe("active");
        after.Online().ShouldBeFalse("Access-Request decides; the session opens on Accounting-Start");
    }

    [Theory]
    [InlineData("deactivate", "inactive")]
    [InlineData("suspend", "suspended")]
    [InlineData("terminate", "terminated")]
    public async Task Access_RefusedStatus_RejectsWithReason(string action, string reason)
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var simId = sim.Str("simId");
        (await op.PostAsync($"/v1/sims/{simId}/enable_termination")).ShouldBe(HttpStatusCode.OK);
        (await op.PostAsync($"/v1/sims/{simId}/{action}")).ShouldBe(HttpStatusCode.OK);

        var reply = (await AccessAsync(("3GPP-IMSI", sim.PrimaryImsi()))).Single();

        reply.Code().ShouldBe(AccessReject);
        reply!.Attr("Reply-Message").ShouldBe(reason);
        (await op.GetSimAsync(simId)).Str("status").ShouldBe(reason);
    }

    [Fact]
    public async Task Access_AcceptedThenTerminated_TheNextRequestIsRejected()
    {
        // The admission read keeps its statement prepared on kept connections; it must still see the latest commit.
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var simId = sim.Str("simId");
        (await AccessAsync(("3GPP-IMSI", sim.PrimaryImsi()))).Single().Code().ShouldBe(AccessAccept);
        (await op.PostAsync($"/v1/sims/{simId}/enable_termination")).ShouldBe(HttpStatusCode.OK);
        (await op.PostAsync($"/v1/sims/{simId}/terminate")).ShouldBe(HttpStatusCode.OK);

        var reply = (await AccessAsync(("3GPP-IMSI", sim.PrimaryImsi()))).Single();

        reply.Code().ShouldBe(AccessReject);
        reply!.Attr("Reply-Message").ShouldBe("terminated");
    }

    [Fact]
    public async Task Access_ExpiredSim_RejectsExpired()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var simId = sim.Str("simId");
        var now = server.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        (await op.PostAsync($"/v1/sims/{simId}/set_expiry_time", new { expiryTime = now + 3_600_000, expiryAction = "doNothing" })).ShouldBe(HttpStatusCode.OK);
        await using (var db = Simlane.Storage.DatabaseOptions.Parse(server.Database.ConnectionString).CreateContext())
        {
            await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ExecuteUpdateAsync(
                db.Sims.Where(s => s.SimId == simId), s => s.SetProperty(x => x.ExpiryTime, now - 1));
        }

        var reply = (await AccessAsync(("3GPP-IMSI", sim.PrimaryImsi()))).Single();

        reply.Code().ShouldBe(AccessReject);
        reply!.Attr("Reply-Message").ShouldBe("expired");
    }

    [Fact]
    public async Task Access_UnknownOrMissingImsi_RejectsUnknownImsi_UserNameFallsBack()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();

        var unknown = (await AccessAsync(("3GPP-IMSI", "001019999999999"))).Single();
        unknown.Code().ShouldBe(AccessReject);
        unknown!.Attr("Reply-Message").ShouldBe("unknown_imsi");

        var notAnImsi = (await AccessAsync(("User-Name", "device@example"))).Single();
        notAnImsi.Code().ShouldBe(AccessReject);
        notAnImsi!.Attr("Reply-Message").ShouldBe("unknown_imsi");

        (await AccessAsync(("User-Name", sim.PrimaryImsi()))).Single().Code().ShouldBe(AccessAccept);
    }

    [Fact]
    public async Task Access_ImeiLock_ComparesImeisvByTacAndSerial_MismatchRejectsAndRecordsEvent()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var simId = sim.Str("simId");
        var imsi = sim.PrimaryImsi();
        (await op.PostAsync($"/v1/sims/{simId}/set_imei_lock", new { imei = Imei1 })).ShouldBe(HttpStatusCode.OK);

        // A 16-digit IMEISV of the locked device (software version 07), and the locked 15-digit IMEI itself.
        (await AccessAsync(("3GPP-IMSI", imsi), ("3GPP-IMEISV", Imei1[..14] + "07"))).Single().Code().ShouldBe(AccessAccept);
        (await AccessAsync(("3GPP-IMSI", imsi), ("3GPP-IMEISV", Imei1))).Single().Code().ShouldBe(AccessAccept);

        var other = (await AccessAsync(("3GPP-IMSI", imsi), ("3GPP-IMEISV", Imei2[..14] + "01"))).Single();
        other.Code().ShouldBe(AccessReject);
        other!.Attr("Reply-Message").ShouldBe("imei_mismatch");
        var none = (await AccessAsync(("3GPP-IMSI", imsi))).Single();
        none!.Attr("Reply-Message").ShouldBe("imei_mismatch");

        var mismatches = (await server.DomainEventsAsync(simId)).Where(e => e.Type == "ImeiMismatched" && e.Imsi is null).ToList();
        mismatches.Select(e => e.New).ShouldBe([Imei2, null], "the IMEISV is recorded as its 15-digit IMEI");
    }

    [Fact]
    public async Task Accounting_StartInterimStop_MetersDeltasOnce_AndRecordsTheSession()
    {
        var op = await server.NewOperatorAsync();
        await op.ListenToUsageAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var simId = sim.Str("simId");
        var imsi = sim.PrimaryImsi();
        var acctId = Guid.NewGuid().ToString("N");

        (await AcctAsync(imsi, acctId, "Start", extra: [("Framed-IP-Address", "10.20.30.40"), ("3GPP-IMEISV", Imei1[..14] + "03"), ("Called-Station-Id", "soracom.io")]))
            .Single().Code().ShouldBe(AccountingResponse);
        var online = await op.GetSimAsync(simId);
        online.Online().ShouldBeTrue();
        online.Str("status").ShouldBe("active");
        online.Json["sessionStatus"]!["ueIpAddress"]!.GetValue<string>().ShouldBe("10.20.30.40");
        online.Json["sessionStatus"]!["imei"]!.GetValue<string>().ShouldBe(Imei1);
        online.Json["sessionStatus"]!["apn"]?.GetValue<string>().ShouldBe("soracom.io");

        // A retransmitted Start (same bytes) and a duplicate Start with a new identifier change nothing.
        (await AcctAsync(imsi, acctId, "Start", repeat: 2)).ShouldAllBe(r => r!["code"]!.GetValue<int>() == AccountingResponse);
        (await op.SessionEventsAsync(simId)).ShouldBe(["Created"]);

        (await AcctAsync(imsi, acctId, "Interim-Update", input: 1_000, output: 2_000, packetsIn: 10, packetsOut: 20)).Single().Code().ShouldBe(AccountingResponse);
        // The same report retransmitted (same bytes), then sent again with a new identifier: counted once.
        (await AcctAsync(imsi, acctId, "Interim-Update", input: 1_500, output: 5_000, packetsIn: 15, packetsOut: 50, id: 7, repeat: 2))
            .ShouldAllBe(r => r!["code"]!.GetValue<int>() == AccountingResponse);
        (await AcctAsync(imsi, acctId, "Interim-Update", input: 1_500, output: 5_000, packetsIn: 15, packetsOut: 50, id: 8)).Single().Code().ShouldBe(AccountingResponse);
        // An interim that arrives late (smaller counters) adds nothing and takes nothing away.
        (await AcctAsync(imsi, acctId, "Interim-Update", input: 1_200, output: 3_000, packetsIn: 12, packetsOut: 30)).Single().Code().ShouldBe(AccountingResponse);
        (await TotalsAsync(op, imsi)).ShouldBe((1_500L, 5_000L));

        (await AcctAsync(imsi, acctId, "Stop", input: 1_600, output: 5_100, packetsIn: 16, packetsOut: 51)).Single().Code().ShouldBe(AccountingResponse);

        (await TotalsAsync(op, imsi)).ShouldBe((1_600L, 5_100L), "input octets are the device's upload, output its download");
        var offline = await op.GetSimAsync(simId);
        offline.Online().ShouldBeFalse();
        (await op.SessionEventsAsync(simId)).ShouldBe(["Deleted", "Created"]);
        var events = await server.DomainEventsAsync(simId);
        events.Count(e => e.Type == "UsageRecorded" && e.Imsi == imsi).ShouldBe(3, "three reports added traffic");

        // A Stop retransmitted after the session ended, or arriving twice: nothing more.
        (await AcctAsync(imsi, acctId, "Stop", input: 1_600, output: 5_100, packetsIn: 16, packetsOut: 51, id: 99)).Single().Code().ShouldBe(AccountingResponse);
        (await TotalsAsync(op, imsi)).ShouldBe((1_600L, 5_100L));
    }

    [Fact]
    public async Task Accounting_ConcurrentReportsAndDuplicates_EachSessionCountedOnce()
    {
        var op = await server.NewOperatorAsync();
        var sims = new List<(string Imsi, string AcctId)>();
        var simIds = new Dictionary<string, string>();
        for (var i = 0; i < 6; i++)
        {
            var created = await op.CreateRegisteredSimAsync();
            sims.Add((created.PrimaryImsi(), Guid.NewGuid().ToString("N")));
            simIds[created.PrimaryImsi()] = created.Str("simId");
        }

        (await Task.WhenAll(sims.Select(s => AcctAsync(s.Imsi, s.AcctId, "Start")))).ShouldAllBe(r => r.Single()!["code"]!.GetValue<int>() == AccountingResponse);

        // Each report twice at once with different identifiers (a NAS that lost track), all sessions in parallel:
        // the requests share batches, and each session's step is metered once.
        var reports = sims.SelectMany(s => new[] { 11, 12 }.Select(id => AcctAsync(s.Imsi, s.AcctId, "Interim-Update", input: 300, output: 700, id: id)));
        (await Task.WhenAll(reports)).ShouldAllBe(r => r.Single()!["code"]!.GetValue<int>() == AccountingResponse);

        foreach (var (imsi, _) in sims)
        {
            (await TotalsAsync(op, imsi)).ShouldBe((300L, 700L), imsi);
        }

        // Every Stop at once, each with a late Interim-Update carrying smaller counters: each session ends once, with its last delta.
        var stops = sims.SelectMany(s => new[]
        {
            AcctAsync(s.Imsi, s.AcctId, "Stop", input: 500, output: 900, id: 21),
            AcctAsync(s.Imsi, s.AcctId, "Interim-Update", input: 400, output: 800, id: 22),
        });
        (await Task.WhenAll(stops)).ShouldAllBe(r => r.Single()!["code"]!.GetValue<int>() == AccountingResponse);
        foreach (var (imsi, _) in sims)
        {
            (await TotalsAsync(op, imsi)).ShouldBe((500L, 900L), imsi);
            (await op.GetSimAsync(simIds[imsi])).Online().ShouldBeFalse(imsi);
        }
    }

    [Fact]
    public async Task Accounting_Gigawords_CountTheWrapOfThe32BitCounter()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var imsi = sim.PrimaryImsi();
        var acctId = Guid.NewGuid().ToString("N");
        (await AcctAsync(imsi, acctId, "Start")).Single().Code().ShouldBe(AccountingResponse);

        (await AcctAsync(imsi, acctId, "Interim-Update", input: 4_294_967_000, output: 10)).Single().Code().ShouldBe(AccountingResponse);
        (await AcctAsync(imsi, acctId, "Interim-Update", input: 1_000, output: 20, extra: [("Acct-Input-Gigawords", 1), ("Acct-Output-Gigawords", 2)]))
            .Single().Code().ShouldBe(AccountingResponse);

        (await TotalsAsync(op, imsi)).ShouldBe((4_294_968_296L, (2L << 32) + 20));
    }

    [Fact]
    public async Task Accounting_NewStartForASimWithASession_EndsTheOldOneFirst()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var simId = sim.Str("simId");
        var imsi = sim.PrimaryImsi();
        var first = Guid.NewGuid().ToString("N");
        var second = Guid.NewGuid().ToString("N");
        (await AcctAsync(imsi, first, "Start")).Single().Code().ShouldBe(AccountingResponse);

        (await AcctAsync(imsi, second, "Start")).Single().Code().ShouldBe(AccountingResponse);

        (await op.SessionEventsAsync(simId)).ShouldBe(["Created", "Deleted", "Created"]);
        // The old session's late interim still meters against its own last counters.
        (await AcctAsync(imsi, first, "Interim-Update", input: 100, output: 200)).Single().Code().ShouldBe(AccountingResponse);
        (await TotalsAsync(op, imsi)).ShouldBe((100L, 200L));
        (await op.GetSimAsync(simId)).Online().ShouldBeTrue();
    }

    [Fact]
    public async Task Accounting_On_EndsEverySessionOfThatNas()
    {
        var op = await server.NewOperatorAsync();
        var a = await op.CreateRegisteredSimAsync();
        var b = await op.CreateRegisteredSimAsync();
        (await AcctAsync(a.PrimaryImsi(), Guid.NewGuid().ToString("N"), "Start")).Single().Code().ShouldBe(AccountingResponse);
        (await AcctAsync(b.PrimaryImsi(), Guid.NewGuid().ToString("N"), "Start")).Single().Code().ShouldBe(AccountingResponse);

        var on = await RadiusPeer.SendAsync(server.AcctPort, "acct", [("Acct-Status-Type", "Accounting-On"), ("NAS-IP-Address", "127.0.0.1")]);

        on.Single().Code().ShouldBe(AccountingResponse);
        (await op.GetSimAsync(a.Str("simId"))).Online().ShouldBeFalse();
        (await op.GetSimAsync(b.Str("simId"))).Online().ShouldBeFalse();
        (await op.SessionEventsAsync(b.Str("simId"))).ShouldBe(["Deleted", "Created"]);
    }

    [Fact]
    public async Task Accounting_UnknownSessionOrImsiOrRefusedSim_AnsweredCountedAndChangesNothing()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var simId = sim.Str("simId");
        var imsi = sim.PrimaryImsi();
        var before = (server.Accounting.Ignored(RadiusAccountingMetrics.UnknownSession), server.Accounting.Ignored(RadiusAccountingMetrics.UnknownImsi),
            server.Accounting.Ignored(RadiusAccountingMetrics.Refused));

        (await AcctAsync(imsi, "never-started", "Interim-Update", input: 500, output: 500)).Single().Code().ShouldBe(AccountingResponse);
        (await AcctAsync("001019999999999", Guid.NewGuid().ToString("N"), "Start")).Single().Code().ShouldBe(AccountingResponse);
        (await op.PostAsync($"/v1/sims/{simId}/suspend")).ShouldBe(HttpStatusCode.OK);
        (await AcctAsync(imsi, Guid.NewGuid().ToString("N"), "Start")).Single().Code().ShouldBe(AccountingResponse);

        (server.Accounting.Ignored(RadiusAccountingMetrics.UnknownSession), server.Accounting.Ignored(RadiusAccountingMetrics.UnknownImsi),
            server.Accounting.Ignored(RadiusAccountingMetrics.Refused)).ShouldBe((before.Item1 + 1, before.Item2 + 1, before.Item3 + 1));
        (await TotalsAsync(op, imsi)).ShouldBe((0L, 0L));
        (await op.GetSimAsync(simId)).Online().ShouldBeFalse();
        (await op.SessionEventsAsync(simId)).ShouldBeEmpty();
    }

    [Fact]
    public async Task WrongSecret_NoReplyAndNothingChanges()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var simId = sim.Str("simId");
        var imsi = sim.PrimaryImsi();
        var before = server.Listener;

        var access = await RadiusPeer.SendAsync(server.AuthPort, "auth", [("3GPP-IMSI", imsi)], timeout: 1, secret: "not-the-secret");
        var start = await RadiusPeer.SendAsync(server.AcctPort, "acct", StartAttrs(imsi, "forged"), timeout: 1, secret: "not-the-secret");

        access.ShouldBe([null]);
        start.ShouldBe([null]);
        var after = server.Listener;
        after.Dropped(RadiusDropReason.BadMessageAuthenticator).ShouldBeGreaterThan(before.Dropped(RadiusDropReason.BadMessageAuthenticator));
        after.Dropped(RadiusDropReason.BadAuthenticator).ShouldBeGreaterThan(before.Dropped(RadiusDropReason.BadAuthenticator));
        var unchanged = await op.GetSimAsync(simId);
        unchanged.Str("status").ShouldBe("ready");
        unchanged.Online().ShouldBeFalse();
    }

    private Task<List<JsonObject?>> AccessAsync(params (string Name, object Value)[] attrs) =>
        RadiusPeer.SendAsync(server.AuthPort, "auth", attrs);

    private static List<(string Name, object Value)> StartAttrs(string imsi, string acctId) =>
        [("Acct-Status-Type", "Start"), ("Acct-Session-Id", acctId), ("3GPP-IMSI", imsi), ("User-Name", imsi)];

    private Task<List<JsonObject?>> AcctAsync(string imsi, string acctId, string status, long input = 0, long output = 0, long packetsIn = 0, long packetsOut = 0,
        int? id = null, int repeat = 1, (string, object)[]? extra = null)
    {
        var attrs = new List<(string Name, object Value)> { ("Acct-Status-Type", status), ("Acct-Session-Id", acctId), ("3GPP-IMSI", imsi) };
        if (status != "Start")
        {
            attrs.AddRange([("Acct-Input-Octets", input), ("Acct-Output-Octets", output), ("Acct-Input-Packets", packetsIn), ("Acct-Output-Packets", packetsOut)]);
        }

        attrs.AddRange(extra ?? []);
        return RadiusPeer.SendAsync(server.AcctPort, "acct", attrs, id: id, repeat: repeat);
    }

    /// <summary>(upload, download) bytes of the subscriber over the last month, from GET /v1/stats/air/subscribers.</summary>
    private async Task<(long Up, long Down)> TotalsAsync(ApiClient op, string imsi)
    {
        var now = server.Clock.GetUtcNow().ToUnixTimeSeconds();
        var buckets = (await op.StatsAsync($"subscribers/{imsi}", now - 86_400, now + 86_400, "day")).Buckets();
        return (buckets.Sum(b => b.Up), buckets.Sum(b => b.Down));
    }
}

public sealed class RadiusTests_Sqlite(SqliteRadiusServer server) : RadiusTests(server), IClassFixture<SqliteRadiusServer>;

public sealed class RadiusTests_Postgres(PostgresRadiusServer server) : RadiusTests(server), IClassFixture<PostgresRadiusServer>;
