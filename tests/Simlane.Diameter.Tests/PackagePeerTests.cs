using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Simlane.Diameter.Tests.Infrastructure;

namespace Simlane.Diameter.Tests;

/// <summary>
/// The node against an implementation we did not write: the npm package <c>diameter</c> (node-diameter) driven by
/// gy_peer.js as an Open5GS-shaped PGW. Its codec must decode everything we send and ours everything it sends.
/// </summary>
public sealed class PackagePeerTests
{
    private const string PeerHost = "pgw.test.example";

    private static NodeHarness StartNode(TimeProvider? time = null)
    {
        var node = NodeHarness.Start(o => o.AllowedPeers = [DiameterPeerEntry.Parse(PeerHost)], time);
        node.Application.Handler = (_, request, _) => Task.FromResult(Cca(request));
        return node;
    }

    /// <summary>A CCA granting 5 MB for an hour in one MSCC, as our server will.</summary>
    private static DiameterMessage Cca(DiameterMessage ccr)
    {
        var cca = TestApplication.Answer(ccr);
        cca.Avps.Add(Avp.OfUInt32(AvpCodes.AuthApplicationId, DiameterApplications.CreditControl));
        cca.Avps.Add(Avp.OfGrouped(AvpCodes.MultipleServicesCreditControl,
        [
            Avp.OfGrouped(AvpCodes.GrantedServiceUnit, [Avp.OfUInt64(AvpCodes.CcTotalOctets, 5_000_000)]),
            Avp.OfUInt32(AvpCodes.ValidityTime, 3600),
            Avp.OfUInt32(AvpCodes.ResultCode, DiameterResultCodes.Success),
        ]));
        return cca;
    }

    /// <summary>The value of the AVP at this path in gy_peer.js's [name, value] tree (grouped values are arrays).</summary>
    private static JsonNode? At(JsonNode? tree, params string[] path)
    {
        foreach (var name in path)
        {
            tree = tree?.AsArray().FirstOrDefault(pair => (string?)pair![0] == name)?[1];
        }
        return tree;
    }

    private static async Task<(PackagePeer Peer, DiameterPeerConnection Connection, JsonObject Cea)> ConnectAsync(NodeHarness node)
    {
        var peer = PackagePeer.Start(node.Node.LocalEndPoint.Port, PeerHost);
        var cea = await peer.ResultAsync("cer");
        var connection = await node.Application.NextUpAsync();
        return (peer, connection, cea);
    }

    [Fact]
    public async Task Its_cer_is_accepted_and_it_decodes_our_cea()
    {
        await using var node = StartNode();
        var (peer, connection, cea) = await ConnectAsync(node);
        await using var _peer = peer;

        ((string?)cea["event"], (int?)cea["resultCode"], cea["decodeError"]).ShouldBe(("answer", 2001, null), peer.Transcript);
        ((string?)At(cea["avps"], "Origin-Host")).ShouldBe(TestApplication.OriginHost);
        ((string?)At(cea["avps"], "Origin-Realm")).ShouldBe(TestApplication.OriginRealm);
        ((string?)At(cea["avps"], "Host-IP-Address")).ShouldBe("127.0.0.1");
        ((string?)At(cea["avps"], "Product-Name")).ShouldBe("Simlane");
        ((long?)At(cea["avps"], "Origin-State-Id")).ShouldBe(node.Node.OriginStateId);

        (connection.OriginHost, connection.OriginRealm).ShouldBe((PeerHost, "test.example"));
        connection.AuthApplicationIds.ShouldBe([DiameterApplications.CreditControl]);
    }

    [Fact]
    public async Task Its_open5gs_shaped_ccrs_decode_fully_and_it_decodes_our_ccas()
    {
        await using var node = StartNode();
        var (peer, _, _) = await ConnectAsync(node);
        await using var _peer = peer;

        var initial = await peer.ResultAsync(await peer.SendAsync(new JsonObject
        {
            ["op"] = "ccr", ["sessionId"] = "pgw.test.example;1;1", ["requestType"] = "INITIAL_REQUEST", ["requestNumber"] = 0,
            ["imsi"] = "001010123456789", ["msisdn"] = "819012345678", ["imeisv"] = "3534900698733190", ["ratingGroup"] = 10,
            ["chargingId"] = 77, ["ueIp"] = "10.45.0.9", ["apn"] = "iot.example",
        }));
        ((string?)initial["event"], (int?)initial["resultCode"], initial["decodeError"]).ShouldBe(("answer", 2001, null), peer.Transcript);
        ((string?)At(initial["avps"], "Multiple-Services-Credit-Control", "Granted-Service-Unit", "CC-Total-Octets")).ShouldBe("5000000");
        ((long?)At(initial["avps"], "Multiple-Services-Credit-Control", "Validity-Time")).ShouldBe(3600);
        ((string?)At(initial["avps"], "Session-Id")).ShouldBe("pgw.test.example;1;1");

        var ccr = node.Application.Requests.ShouldHaveSingleItem();
        ccr.UnsupportedMandatory().ShouldBeEmpty(); // every AVP it sent is in our table
        ccr.SessionId.ShouldBe("pgw.test.example;1;1");
        ccr.Find(AvpCodes.CcRequestType)!.GetUInt32().ShouldBe(CcRequestTypes.Initial);
        ccr.Find(AvpCodes.ServiceContextId)!.GetString().ShouldBe("32251@3gpp.org");
        ccr.Find(AvpCodes.EventTimestamp)!.GetTime().Year.ShouldBeGreaterThanOrEqualTo(2024);
        ccr.Find(AvpCodes.AocRequestType, AvpCodes.Vendor3gpp).ShouldNotBeNull();
        ccr.FindAll(AvpCodes.SubscriptionId).Select(s => (s.Find(AvpCodes.SubscriptionIdType)!.GetUInt32(), s.Find(AvpCodes.SubscriptionIdData)!.GetString()))
            .ShouldBe([(SubscriptionIdTypes.EndUserImsi, "001010123456789"), (SubscriptionIdTypes.EndUserE164, "819012345678")]);

        var mscc = ccr.Find(AvpCodes.MultipleServicesCreditControl)!;
        mscc.Find(AvpCodes.RequestedServiceUnit)!.Find(AvpCodes.CcTotalOctets)!.GetUInt64().ShouldBe(1_000_000ul);
        mscc.Find(AvpCodes.RatingGroup)!.GetUInt32().ShouldBe(10u);
        var qos = mscc.Find(AvpCodes.QosInformation, AvpCodes.Vendor3gpp)!;
        qos.Find(AvpCodes.QosClassIdentifier, AvpCodes.Vendor3gpp)!.GetUInt32().ShouldBe(9u);
        qos.Find(AvpCodes.AllocationRetentionPriority, AvpCodes.Vendor3gpp)!.Find(AvpCodes.PriorityLevel, AvpCodes.Vendor3gpp)!.GetUInt32().ShouldBe(8u);
        qos.Find(AvpCodes.ApnAggregateMaxBitrateUl, AvpCodes.Vendor3gpp)!.GetUInt32().ShouldBe(1_000_000_000u);

        var ps = ccr.Find(AvpCodes.ServiceInformation, AvpCodes.Vendor3gpp)!.Find(AvpCodes.PsInformation, AvpCodes.Vendor3gpp)!;
        ps.Find(AvpCodes.ThreeGppChargingId, AvpCodes.Vendor3gpp)!.GetUInt32().ShouldBe(77u);
        ps.Find(AvpCodes.PdpAddress, AvpCodes.Vendor3gpp)!.GetAddress().ShouldBe(IPAddress.Parse("10.45.0.9"));
        ps.Find(AvpCodes.GgsnAddress, AvpCodes.Vendor3gpp)!.GetAddress().ShouldBe(IPAddress.Parse("127.0.0.4"));
        ps.Find(AvpCodes.CalledStationId)!.GetString().ShouldBe("iot.example");
        ps.Find(AvpCodes.ThreeGppSgsnMccMnc, AvpCodes.Vendor3gpp)!.GetString().ShouldBe("00101");
        ps.Find(AvpCodes.ThreeGppRatType, AvpCodes.Vendor3gpp)!.Data.ToArray().ShouldBe(new byte[] { 6 });
        ps.Find(AvpCodes.ThreeGppUserLocationInfo, AvpCodes.Vendor3gpp)!.Data.Length.ShouldBe(13);
        var ue = ps.Find(AvpCodes.UserEquipmentInfo)!;
        ue.Find(AvpCodes.UserEquipmentInfoType)!.GetUInt32().ShouldBe(UserEquipmentInfoTypes.Imeisv);
        Encoding.ASCII.GetString(ue.Find(AvpCodes.UserEquipmentInfoValue)!.Data.Span).ShouldBe("3534900698733190");

        // An update with 64-bit usage counters and a reporting reason inside Used-Service-Unit.
        var update = await peer.ResultAsync(await peer.SendAsync(new JsonObject
        {
            ["op"] = "ccr", ["sessionId"] = "pgw.test.example;1;1", ["requestType"] = "UPDATE_REQUEST", ["requestNumber"] = 1,
            ["imsi"] = "001010123456789", ["ratingGroup"] = 10, ["reportingReason"] = "QUOTA_EXHAUSTED",
            ["used"] = new JsonObject { ["input"] = "5000000000", ["output"] = 7, ["time"] = 60 },
        }));
        ((int?)update["resultCode"]).ShouldBe(2001, peer.Transcript);
        var usu = node.Application.Requests.Last().Find(AvpCodes.MultipleServicesCreditControl)!.Find(AvpCodes.UsedServiceUnit)!;
        usu.Find(AvpCodes.CcInputOctets)!.GetUInt64().ShouldBe(5_000_000_000ul);
        usu.Find(AvpCodes.CcOutputOctets)!.GetUInt64().ShouldBe(7ul);
        usu.Find(AvpCodes.CcTime)!.GetUInt32().ShouldBe(60u);
        usu.Find(AvpCodes.ReportingReason, AvpCodes.Vendor3gpp)!.GetUInt32().ShouldBe(ReportingReasons.QuotaExhausted);
        node.Counters.TotalRejects.ShouldBe(0);
    }

    [Fact]
    public async Task Our_rar_is_answered_and_its_dwr_and_dpr_are_answered()
    {
        await using var node = StartNode();
        var (peer, connection, _) = await ConnectAsync(node);
        await using var _peer = peer;

        var rar = DiameterMessage.CreateRequest(DiameterCommands.ReAuth, DiameterApplications.CreditControl);
        rar.Avps.Add(Avp.OfString(AvpCodes.SessionId, "pgw.test.example;1;1"));
        rar.Avps.Add(Avp.OfString(AvpCodes.OriginHost, TestApplication.OriginHost));
        rar.Avps.Add(Avp.OfString(AvpCodes.OriginRealm, TestApplication.OriginRealm));
        rar.Avps.Add(Avp.OfString(AvpCodes.DestinationRealm, "test.example"));
        rar.Avps.Add(Avp.OfString(AvpCodes.DestinationHost, PeerHost));
        rar.Avps.Add(Avp.OfUInt32(AvpCodes.AuthApplicationId, DiameterApplications.CreditControl));
        rar.Avps.Add(Avp.OfUInt32(AvpCodes.ReAuthRequestType, ReAuthRequestTypes.AuthorizeOnly));
        var raa = await connection.SendRequestAsync(rar, TimeSpan.FromSeconds(10), CancellationToken.None);
        raa.ShouldNotBeNull(peer.Transcript);
        (raa.CommandCode, raa.ResultCode, raa.SessionId).ShouldBe((258u, (uint?)2001, "pgw.test.example;1;1"));
        var seen = await peer.WaitForAsync(e => (string?)e["event"] == "request", "the RAR");
        ((string?)seen["command"], seen["decodeError"], (bool?)seen["answered"]).ShouldBe(("Re-Auth", null, true));

        var dwa = await peer.ResultAsync(await peer.SendAsync(new JsonObject { ["op"] = "dwr" }));
        ((int?)dwa["resultCode"], (string?)dwa["command"]).ShouldBe((2001, "Device-Watchdog"));

        var dpa = await peer.ResultAsync(await peer.SendAsync(new JsonObject { ["op"] = "dpr" }));
        ((int?)dpa["resultCode"], (string?)dpa["command"]).ShouldBe((2001, "Disconnect-Peer"));
        await peer.WaitForAsync(e => (string?)e["event"] == "closed", "the close after the DPA");
        await connection.Closed.WaitAsync(TimeSpan.FromSeconds(10));
        connection.CloseReason.ShouldBe(DiameterCloseReason.DisconnectRequested);
    }

    [Fact]
    public async Task It_answers_our_watchdog_and_the_dpr_of_a_stopping_node()
    {
        var time = new FakeTimeProvider();
        await using var node = StartNode(time);
        var (peer, connection, _) = await ConnectAsync(node);
        await using var _peer = peer;

        time.Advance(TimeSpan.FromSeconds(30));
        var dwr = await peer.WaitForAsync(e => (string?)e["event"] == "request", "our DWR");
        ((string?)dwr["command"], (bool?)dwr["answered"], (int?)dwr["answerResultCode"]).ShouldBe(("Device-Watchdog", true, 2001));
        // Its own DWR after that answer: once answered, the node has read the DWA before it.
        ((int?)(await peer.ResultAsync(await peer.SendAsync(new JsonObject { ["op"] = "dwr" })))["resultCode"]).ShouldBe(2001, peer.Transcript);
        connection.IsOpen.ShouldBeTrue();
        node.Counters.Rejected(DiameterRejectReason.UnmatchedAnswer).ShouldBe(0);

        await node.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        var dpr = await peer.WaitForAsync(e => (string?)e["event"] == "request", "our DPR");
        ((string?)dpr["command"], (bool?)dpr["answered"], (string?)At(dpr["avps"], "Disconnect-Cause")).ShouldBe(("Disconnect-Peer", true, "REBOOTING"));
        connection.CloseReason.ShouldBe(DiameterCloseReason.NodeStopped);
        node.Counters.Closed(DiameterCloseReason.NodeStopped).ShouldBe(1);
    }
}
