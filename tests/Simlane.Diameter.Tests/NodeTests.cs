using System.Net;
using Microsoft.Extensions.Logging;
using Simlane.Diameter.Tests.Infrastructure;

namespace Simlane.Diameter.Tests;

/// <summary>The node over real loopback TCP: capabilities exchange, base commands, requests of the application.</summary>
public sealed class NodeTests
{
    [Fact]
    public async Task A_cer_from_an_allowed_peer_gets_a_cea_2001_with_our_capabilities()
    {
        await using var node = NodeHarness.Start(o => o.FirmwareRevision = 3);
        await using var client = await node.ConnectAsync();
        var cer = client.Cer();
        var cea = await client.ExchangeAsync(cer);

        (cea.CommandCode, cea.ApplicationId, cea.EndToEndId, cea.IsError, cea.IsProxiable).ShouldBe((257u, 0u, cer.EndToEndId, false, false));
        cea.ResultCode.ShouldBe(DiameterResultCodes.Success);
        cea.OriginHost.ShouldBe(TestApplication.OriginHost);
        cea.OriginRealm.ShouldBe(TestApplication.OriginRealm);
        cea.Find(AvpCodes.HostIpAddress)!.GetAddress().ShouldBe(IPAddress.Loopback);
        cea.Find(AvpCodes.VendorId)!.GetUInt32().ShouldBe(0u);
        var product = cea.Find(AvpCodes.ProductName)!;
        (product.GetString(), product.Mandatory).ShouldBe(("Simlane", false));
        cea.FindAll(AvpCodes.AuthApplicationId).Select(a => a.GetUInt32()).ShouldBe([DiameterApplications.CreditControl]);
        cea.Find(AvpCodes.OriginStateId)!.GetUInt32().ShouldBe(node.Node.OriginStateId);
        cea.Find(AvpCodes.FirmwareRevision)!.GetUInt32().ShouldBe(3u);
        cea.UnsupportedMandatory().ShouldBeEmpty();

        var peer = await node.Application.NextUpAsync();
        (peer.OriginHost, peer.OriginRealm, peer.IsOpen).ShouldBe(("pgw.test", "test", true));
        peer.Remote.ShouldBe(client.Local);
        peer.AuthApplicationIds.ShouldBe([4u, 16777238u]);
        node.Node.FindPeer("PGW.Test").ShouldBeSameAs(peer); // case-insensitive
        node.Node.Peers.ShouldHaveSingleItem().ShouldBeSameAs(peer);
        node.Counters.Requests(DiameterCommands.CapabilitiesExchange).ShouldBe(1);
        node.Counters.OpenConnections.ShouldBe(1);
    }

    [Fact]
    public async Task An_unknown_origin_host_gets_3010_and_the_connection_closes()
    {
        await using var node = NodeHarness.Start();
        await using var client = await node.ConnectAsync();
        var cea = await client.CapabilitiesExchangeAsync("intruder.test");
        (cea.ResultCode, cea.IsError).ShouldBe((DiameterResultCodes.UnknownPeer, true));
        cea.Find(AvpCodes.ErrorMessage)!.GetString().ShouldContain("intruder.test");
        cea.Find(AvpCodes.HostIpAddress).ShouldNotBeNull(); // still a full CEA
        await client.ShouldBeClosedAsync();

        var counters = await node.WaitForCountersAsync(c => c.Closed(DiameterCloseReason.UnknownPeer) == 1);
        counters.OpenConnections.ShouldBe(0);
        node.Application.Events.ShouldBeEmpty();
        node.Node.FindPeer("intruder.test").ShouldBeNull();
        node.Logger.At(LogLevel.Warning).ShouldContain(l => l.Contains("intruder.test") && l.Contains("UnknownPeer"));
    }

    [Fact]
    public async Task A_peer_bound_to_an_address_is_refused_from_another_and_accepted_from_its_own()
    {
        await using var node = NodeHarness.Start(o => o.AllowedPeers = [DiameterPeerEntry.Parse("pgw.test=127.0.0.2")]);
        await using (var wrong = await node.ConnectAsync(IPAddress.Loopback))
        {
            var refused = await wrong.CapabilitiesExchangeAsync();
            refused.ResultCode.ShouldBe(DiameterResultCodes.UnknownPeer);
            refused.Find(AvpCodes.ErrorMessage)!.GetString().ShouldContain("127.0.0.2");
            await wrong.ShouldBeClosedAsync();
        }
        await using var right = await node.ConnectAsync(IPAddress.Parse("127.0.0.2"));
        (await right.CapabilitiesExchangeAsync()).ResultCode.ShouldBe(DiameterResultCodes.Success);
        (await node.Application.NextUpAsync()).Remote.Address.ShouldBe(IPAddress.Parse("127.0.0.2"));
    }

    [Fact]
    public async Task A_cer_without_a_common_application_gets_5010_and_the_connection_closes()
    {
        await using var node = NodeHarness.Start();
        await using var client = await node.ConnectAsync();
        var cea = await client.CapabilitiesExchangeAsync(applications: [16777238], vendorSpecificGx: true);
        (cea.ResultCode, cea.IsError).ShouldBe((DiameterResultCodes.NoCommonApplication, false));
        await client.ShouldBeClosedAsync();
        await node.WaitForCountersAsync(c => c.Closed(DiameterCloseReason.NoCommonApplication) == 1);
    }

    [Fact]
    public async Task Credit_control_inside_vendor_specific_application_id_or_a_relay_is_a_common_application()
    {
        await using var node = NodeHarness.Start();
        await using var vendorSpecific = await node.ConnectAsync();
        var cer = vendorSpecific.Request(DiameterCommands.CapabilitiesExchange, DiameterApplications.Common, proxiable: false);
        cer.Avps.Add(Avp.OfString(AvpCodes.OriginHost, "pgw.test"));
        cer.Avps.Add(Avp.OfString(AvpCodes.OriginRealm, "test"));
        cer.Avps.Add(Avp.OfGrouped(AvpCodes.VendorSpecificApplicationId,
            [Avp.OfUInt32(AvpCodes.VendorId, 10415), Avp.OfUInt32(AvpCodes.AuthApplicationId, DiameterApplications.CreditControl)]));
        (await vendorSpecific.ExchangeAsync(cer)).ResultCode.ShouldBe(DiameterResultCodes.Success);

        await using var relay = await node.ConnectAsync();
        (await relay.CapabilitiesExchangeAsync("pgw2.test", [DiameterApplications.Relay], vendorSpecificGx: false)).ResultCode
            .ShouldBe(DiameterResultCodes.Success);
    }

    [Fact]
    public async Task A_cer_without_origin_host_gets_5005_naming_it()
    {
        await using var node = NodeHarness.Start();
        await using var client = await node.ConnectAsync();
        var cer = client.Request(DiameterCommands.CapabilitiesExchange, DiameterApplications.Common, proxiable: false);
        cer.Avps.Add(Avp.OfString(AvpCodes.OriginRealm, "test"));
        cer.Avps.Add(Avp.OfUInt32(AvpCodes.AuthApplicationId, 4));
        var cea = await client.ExchangeAsync(cer);
        cea.ResultCode.ShouldBe(DiameterResultCodes.MissingAvp);
        cea.Find(AvpCodes.FailedAvp)!.Children.ShouldHaveSingleItem().Code.ShouldBe(AvpCodes.OriginHost);
        await client.ShouldBeClosedAsync();
        await node.WaitForCountersAsync(c => c.Closed(DiameterCloseReason.MalformedCapabilitiesExchange) == 1);
    }

    [Fact]
    public async Task A_message_before_the_cer_closes_the_connection_unanswered()
    {
        await using var node = NodeHarness.Start();
        await using var client = await node.ConnectAsync();
        await client.SendAsync(client.Dwr());
        await client.ShouldBeClosedAsync();
        await node.WaitForCountersAsync(c => c.Closed(DiameterCloseReason.NotCapabilitiesExchange) == 1);
        node.Application.Requests.ShouldBeEmpty();

        await using var ccrFirst = await node.ConnectAsync();
        await ccrFirst.SendAsync(ccrFirst.Ccr());
        await ccrFirst.ShouldBeClosedAsync();
        await node.WaitForCountersAsync(c => c.Closed(DiameterCloseReason.NotCapabilitiesExchange) == 2);
        node.Application.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_dwr_gets_a_dwa_2001_with_the_origin_state_id()
    {
        await using var node = NodeHarness.Start();
        var (client, _) = await node.OpenAsync();
        await using var _client = client;
        var dwr = client.Dwr();
        var dwa = await client.ExchangeAsync(dwr);
        (dwa.CommandCode, dwa.EndToEndId, dwa.ResultCode).ShouldBe((280u, dwr.EndToEndId, (uint?)2001));
        dwa.Find(AvpCodes.OriginStateId)!.GetUInt32().ShouldBe(node.Node.OriginStateId);
        dwa.OriginHost.ShouldBe(TestApplication.OriginHost);
        node.Counters.Requests(DiameterCommands.DeviceWatchdog).ShouldBe(1);
    }

    [Fact]
    public async Task A_dpr_gets_a_dpa_then_the_connection_closes_and_the_peer_is_down()
    {
        await using var node = NodeHarness.Start();
        var (client, peer) = await node.OpenAsync();
        await using var _client = client;
        var dpr = client.Request(DiameterCommands.DisconnectPeer, DiameterApplications.Common, proxiable: false);
        dpr.Avps.Add(Avp.OfString(AvpCodes.OriginHost, "pgw.test"));
        dpr.Avps.Add(Avp.OfString(AvpCodes.OriginRealm, "test"));
        dpr.Avps.Add(Avp.OfUInt32(AvpCodes.DisconnectCause, DisconnectCauses.DoNotWantToTalkToYou));
        var dpa = await client.ExchangeAsync(dpr);
        (dpa.CommandCode, dpa.ResultCode).ShouldBe((282u, (uint?)2001));
        await client.ShouldBeClosedAsync();
        (await node.Application.NextDownAsync()).ShouldBeSameAs(peer);
        await peer.Closed.WaitAsync(DiameterTestClient.Patience);
        peer.CloseReason.ShouldBe(DiameterCloseReason.DisconnectRequested);
        node.Node.FindPeer("pgw.test").ShouldBeNull();
        node.Counters.Closed(DiameterCloseReason.DisconnectRequested).ShouldBe(1);
    }

    [Fact]
    public async Task Stopping_the_node_sends_a_dpr_to_each_open_peer_and_closes_after_its_dpa()
    {
        await using var node = NodeHarness.Start();
        var (client, peer) = await node.OpenAsync();
        await using var _client = client;
        var stopping = node.Node.DisposeAsync().AsTask();
        var dpr = await client.ReceiveAsync();
        (dpr.CommandCode, dpr.IsRequest, dpr.ApplicationId).ShouldBe((282u, true, 0u));
        dpr.Find(AvpCodes.DisconnectCause)!.GetUInt32().ShouldBe(DisconnectCauses.Rebooting);
        dpr.OriginHost.ShouldBe(TestApplication.OriginHost);
        await client.SendAsync(DiameterTestClient.AnswerTo(dpr));
        await stopping.WaitAsync(DiameterTestClient.Patience);
        await client.ShouldBeClosedAsync();
        peer.CloseReason.ShouldBe(DiameterCloseReason.NodeStopped);
        (await node.Application.NextDownAsync()).ShouldBeSameAs(peer);
        node.Counters.Closed(DiameterCloseReason.NodeStopped).ShouldBe(1);
    }

    [Fact]
    public async Task Credit_control_requests_reach_the_application_and_its_answer_is_sent()
    {
        await using var node = NodeHarness.Start();
        var (client, peer) = await node.OpenAsync();
        await using var _client = client;
        var ccr = client.Ccr(requestNumber: 0);
        var cca = await client.ExchangeAsync(ccr);
        (cca.CommandCode, cca.ApplicationId, cca.EndToEndId, cca.ResultCode, cca.SessionId).ShouldBe((272u, 4u, ccr.EndToEndId, (uint?)2001, "pgw.test;1;1"));
        var received = node.Application.Requests.ShouldHaveSingleItem();
        received.Find(AvpCodes.SubscriptionId)!.Find(AvpCodes.SubscriptionIdData)!.GetString().ShouldBe("001010123456789");
        var counters = node.Counters;
        (counters.Requests(DiameterCommands.CreditControl), counters.Answers(2001)).ShouldBe((1L, 2L)); // the CEA and the CCA
        counters.TotalRejects.ShouldBe(0);
    }

    [Fact]
    public async Task The_node_sets_the_answers_ids_even_if_the_application_does_not()
    {
        await using var node = NodeHarness.Start();
        node.Application.Handler = (_, request, _) =>
        {
            var answer = new DiameterMessage { CommandCode = 1, HopByHopId = 5, EndToEndId = 6, IsRequest = true };
            answer.Avps.Add(Avp.OfUInt32(AvpCodes.ResultCode, DiameterResultCodes.CreditLimitReached));
            return Task.FromResult(answer);
        };
        var (client, _) = await node.OpenAsync();
        await using var _client = client;
        var ccr = client.Ccr();
        var cca = await client.ExchangeAsync(ccr);
        (cca.CommandCode, cca.HopByHopId, cca.EndToEndId, cca.IsRequest, cca.ResultCode).ShouldBe((272u, ccr.HopByHopId, ccr.EndToEndId, false, (uint?)4012));
    }

    [Fact]
    public async Task A_message_split_into_single_bytes_is_reassembled()
    {
        await using var node = NodeHarness.Start();
        await using var client = await node.ConnectAsync();
        await client.SendByteByByteAsync(client.Cer().Encode());
        (await client.ReceiveAsync()).ResultCode.ShouldBe(DiameterResultCodes.Success);
        var ccr = client.Ccr();
        await client.SendByteByByteAsync(ccr.Encode());
        var cca = await client.ReceiveAsync();
        (cca.HopByHopId, cca.ResultCode).ShouldBe((ccr.HopByHopId, (uint?)2001));
    }

    [Fact]
    public async Task Fifty_messages_in_one_write_get_fifty_answers()
    {
        await using var node = NodeHarness.Start();
        var (client, _) = await node.OpenAsync();
        await using var _client = client;
        var requests = Enumerable.Range(0, 50).Select(i => i % 5 == 0 ? client.Dwr() : client.Ccr((uint)i, $"pgw.test;{i}")).ToList();
        await client.SendRawAsync(requests.SelectMany(r => r.Encode()).ToArray());
        var answers = new List<DiameterMessage>();
        for (int i = 0; i < 50; i++)
        {
            answers.Add(await client.ReceiveAsync());
        }
        answers.Select(a => a.HopByHopId).Order().ShouldBe(requests.Select(r => r.HopByHopId).Order());
        answers.ShouldAllBe(a => a.ResultCode == DiameterResultCodes.Success);
        node.Application.Requests.Count.ShouldBe(40);
    }

    [Fact]
    public async Task Requests_are_handled_concurrently_a_blocked_one_does_not_hold_up_the_next()
    {
        await using var node = NodeHarness.Start();
        var secondAnswered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        node.Application.Handler = async (_, request, cancellationToken) =>
        {
            if (request.Find(AvpCodes.CcRequestNumber)!.GetUInt32() == 0)
            {
                // Request 0 waits until the client has the answer to request 1: only possible if 1 is not queued behind 0.
                await secondAnswered.Task.WaitAsync(DiameterTestClient.Patience, cancellationToken);
            }
            return TestApplication.Answer(request);
        };
        var (client, _) = await node.OpenAsync();
        await using var _client = client;
        var first = client.Ccr(0);
        var second = client.Ccr(1, requestType: CcRequestTypes.Update);
        await client.SendRawAsync([.. first.Encode(), .. second.Encode()]);

        var answer = await client.ReceiveAsync();
        (answer.HopByHopId, answer.ResultCode).ShouldBe((second.HopByHopId, (uint?)2001));
        secondAnswered.SetResult();
        answer = await client.ReceiveAsync();
        (answer.HopByHopId, answer.ResultCode).ShouldBe((first.HopByHopId, (uint?)2001));
    }

    [Fact]
    public async Task Reading_stops_while_the_in_flight_limit_is_reached()
    {
        await using var node = NodeHarness.Start(o => o.MaxRequestsInFlightPerPeer = 3);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int current = 0, most = 0, entered = 0;
        var threeIn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        node.Application.Handler = async (_, request, cancellationToken) =>
        {
            int now = Interlocked.Increment(ref current);
            InterlockedMax(ref most, now);
            if (Interlocked.Increment(ref entered) == 3)
            {
                threeIn.SetResult();
            }
            await gate.Task.WaitAsync(DiameterTestClient.Patience, cancellationToken);
            Interlocked.Decrement(ref current);
            return TestApplication.Answer(request);
        };
        var (client, peer) = await node.OpenAsync();
        await using var _client = client;
        var requests = Enumerable.Range(0, 10).Select(i => client.Ccr((uint)i)).ToList();
        var dwr = client.Dwr();
        await client.SendRawAsync([.. requests.SelectMany(r => r.Encode()), .. dwr.Encode()]);

        await threeIn.Task.WaitAsync(DiameterTestClient.Patience);
        peer.RequestsInFlight.ShouldBe(3);
        // The DWR is behind the seven waiting CCRs in the stream: it is not read, so not answered, while three are in flight.
        await client.ShouldReceiveNothingAsync(TimeSpan.FromMilliseconds(300));
        Volatile.Read(ref entered).ShouldBe(3);

        gate.SetResult();
        var answers = new List<DiameterMessage>();
        for (int i = 0; i < 11; i++)
        {
            answers.Add(await client.ReceiveAsync());
        }
        answers.Select(a => a.HopByHopId).Order().ShouldBe(requests.Append(dwr).Select(r => r.HopByHopId).Order());
        Volatile.Read(ref most).ShouldBe(3);
        peer.RequestsInFlight.ShouldBe(0);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    [Fact]
    public async Task An_application_that_throws_gets_5012_and_the_connection_stays_usable()
    {
        await using var node = NodeHarness.Start();
        int calls = 0;
        node.Application.Handler = (_, request, _) => Interlocked.Increment(ref calls) == 1
            ? throw new InvalidOperationException("the database is down (test)")
            : Task.FromResult(TestApplication.Answer(request));
        var (client, _) = await node.OpenAsync();
        await using var _client = client;

        var failed = await client.ExchangeAsync(client.Ccr(0));
        (failed.ResultCode, failed.IsError, failed.SessionId).ShouldBe(((uint?)DiameterResultCodes.UnableToComply, false, "pgw.test;1;1"));
        var next = await client.ExchangeAsync(client.Ccr(1, requestType: CcRequestTypes.Update));
        next.ResultCode.ShouldBe(DiameterResultCodes.Success);

        node.Counters.Rejected(DiameterRejectReason.HandlerFailed).ShouldBe(1);
        node.Logger.At(LogLevel.Warning).ShouldContain(l => l.Contains("the database is down (test)"));
        node.ShouldHaveLoggedNothingAboveWarning();
    }

    [Fact]
    public async Task An_application_that_reads_a_malformed_avp_answers_its_result_code_with_the_avp_in_failed_avp()
    {
        await using var node = NodeHarness.Start();
        node.Application.Handler = (_, request, _) =>
        {
            request.Find(AvpCodes.CcRequestNumber)!.GetUInt32(); // 2 bytes: throws 5014
            return Task.FromResult(TestApplication.Answer(request));
        };
        var (client, _) = await node.OpenAsync();
        await using var _client = client;
        var ccr = client.Ccr();
        ccr.Avps.RemoveAll(a => a.Code == AvpCodes.CcRequestNumber);
        ccr.Avps.Add(Avp.OfOctets(AvpCodes.CcRequestNumber, new byte[] { 0, 1 }));
        var cca = await client.ExchangeAsync(ccr);
        cca.ResultCode.ShouldBe(DiameterResultCodes.InvalidAvpLength);
        var inner = cca.Find(AvpCodes.FailedAvp)!.Children.ShouldHaveSingleItem();
        (inner.Code, inner.Data.Length).ShouldBe((AvpCodes.CcRequestNumber, 2));
        node.Counters.Rejected(DiameterRejectReason.InvalidAvp).ShouldBe(1);
    }

    [Fact]
    public async Task A_request_of_another_application_gets_3007_with_the_e_bit()
    {
        await using var node = NodeHarness.Start();
        var (client, _) = await node.OpenAsync();
        await using var _client = client;
        var gx = client.Request(DiameterCommands.CreditControl, application: 16777238);
        gx.Avps.Add(Avp.OfString(AvpCodes.SessionId, "gx;1"));
        var answer = await client.ExchangeAsync(gx);
        (answer.ResultCode, answer.IsError, answer.ApplicationId, answer.SessionId).ShouldBe(((uint?)3007, true, 16777238u, "gx;1"));
        node.Application.Requests.ShouldBeEmpty();
        node.Counters.Rejected(DiameterRejectReason.UnsupportedApplication).ShouldBe(1);
    }

    [Fact]
    public async Task An_unknown_base_command_gets_3001_with_the_e_bit_and_a_second_cer_gets_5012()
    {
        await using var node = NodeHarness.Start();
        var (client, _) = await node.OpenAsync();
        await using var _client = client;
        var unknown = client.Request(999, DiameterApplications.Common);
        unknown.Avps.Add(Avp.OfString(AvpCodes.OriginHost, "pgw.test"));
        var answer = await client.ExchangeAsync(unknown);
        (answer.ResultCode, answer.IsError, answer.CommandCode).ShouldBe(((uint?)3001, true, 999u));
        node.Counters.Rejected(DiameterRejectReason.UnsupportedCommand).ShouldBe(1);

        var again = await client.ExchangeAsync(client.Cer());
        again.ResultCode.ShouldBe(DiameterResultCodes.UnableToComply);
        (await client.ExchangeAsync(client.Dwr())).ResultCode.ShouldBe(DiameterResultCodes.Success); // still open
    }

    [Fact]
    public async Task An_unsupported_mandatory_avp_gets_5001_with_failed_avp_and_never_reaches_the_application()
    {
        await using var node = NodeHarness.Start();
        var (client, _) = await node.OpenAsync();
        await using var _client = client;
        var ccr = client.Ccr();
        var mscc = ccr.Find(AvpCodes.MultipleServicesCreditControl)!;
        ccr.Avps.Remove(mscc);
        var unknown = Avp.OfOctets(4242, new byte[] { 9, 8, 7 }, AvpCodes.Vendor3gpp);
        ccr.Avps.Add(Avp.OfGrouped(AvpCodes.MultipleServicesCreditControl, [.. mscc.Children, unknown]));
        ccr.Avps.Add(Avp.OfUInt32(77_777, 1, mandatory: false)); // not mandatory: fine

        var cca = await client.ExchangeAsync(ccr);
        (cca.ResultCode, cca.IsError, cca.SessionId).ShouldBe(((uint?)DiameterResultCodes.AvpUnsupported, false, "pgw.test;1;1"));
        var failed = cca.Find(AvpCodes.FailedAvp)!.Children.ShouldHaveSingleItem();
        (failed.Code, failed.VendorId, failed.Mandatory).ShouldBe((4242u, 10415u, true));
        failed.Data.ToArray().ShouldBe(new byte[] { 9, 8, 7 });
        node.Application.Requests.ShouldBeEmpty();
        node.Counters.Rejected(DiameterRejectReason.UnsupportedMandatoryAvp).ShouldBe(1);
    }

    [Fact]
    public async Task An_invalid_avp_length_gets_5014_with_failed_avp_and_the_connection_stays_usable()
    {
        await using var node = NodeHarness.Start();
        var (client, _) = await node.OpenAsync();
        await using var _client = client;
        var ccr = client.Ccr();
        ccr.Avps.Add(Avp.OfUInt32(AvpCodes.RatingGroup, 1));
        var bytes = ccr.Encode();
        bytes[^5] = 0x40; // the last AVP (Rating-Group, 12 bytes) now claims 64, past the end of the message

        await client.SendRawAsync(bytes);
        var cca = await client.ReceiveAsync();
        (cca.HopByHopId, cca.ResultCode, cca.SessionId).ShouldBe((ccr.HopByHopId, (uint?)DiameterResultCodes.InvalidAvpLength, "pgw.test;1;1"));
        cca.Find(AvpCodes.FailedAvp)!.Data.ToArray().ShouldBe(Convert.FromHexString("000001B0 40000040 00000000".Replace(" ", "", StringComparison.Ordinal)));
        node.Application.Requests.ShouldBeEmpty();
        node.Counters.Rejected(DiameterRejectReason.MalformedMessage).ShouldBe(1);

        (await client.ExchangeAsync(client.Ccr(1))).ResultCode.ShouldBe(DiameterResultCodes.Success);
    }

    [Fact]
    public async Task A_garbage_header_closes_that_connection_and_the_listener_still_accepts()
    {
        await using var node = NodeHarness.Start();
        var (open, _) = await node.OpenAsync();
        await using var _open = open;
        await using (var garbage = await node.ConnectAsync())
        {
            await garbage.SendRawAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());
            await garbage.ShouldBeClosedAsync();
        }
        var counters = await node.WaitForCountersAsync(c => c.Closed(DiameterCloseReason.MalformedFrame) == 1);
        counters.TotalCloses.ShouldBe(1);

        // A sound header on an open connection with an impossible length: that connection closes too.
        await open.SendRawAsync(Convert.FromHexString("01FFFFF880000110000000040000000100000001"));
        await open.ShouldBeClosedAsync();
        await node.WaitForCountersAsync(c => c.Closed(DiameterCloseReason.MalformedFrame) == 2);

        var (fresh, _) = await node.OpenAsync("pgw2.test");
        await using var _fresh = fresh;
        (await fresh.ExchangeAsync(fresh.Ccr())).ResultCode.ShouldBe(DiameterResultCodes.Success);
        node.Logger.Lines.ShouldNotContain(l => l.Text.Contains("GET /", StringComparison.Ordinal)); // no message bytes in the logs
        node.ShouldHaveLoggedNothingAboveWarning();
    }

    [Fact]
    public async Task A_request_to_the_peer_is_matched_with_its_answer()
    {
        await using var node = NodeHarness.Start();
        var (client, peer) = await node.OpenAsync();
        await using var _client = client;
        var rar = DiameterMessage.CreateRequest(DiameterCommands.ReAuth, DiameterApplications.CreditControl);
        rar.Avps.Add(Avp.OfString(AvpCodes.SessionId, "pgw.test;1;1"));
        rar.Avps.Add(Avp.OfUInt32(AvpCodes.ReAuthRequestType, ReAuthRequestTypes.AuthorizeOnly));
        var sending = peer.SendRequestAsync(rar, DiameterTestClient.Patience, CancellationToken.None);

        var received = await client.ReceiveAsync();
        (received.CommandCode, received.IsRequest, received.ApplicationId, received.SessionId).ShouldBe((258u, true, 4u, "pgw.test;1;1"));
        received.HopByHopId.ShouldBe(rar.HopByHopId);
        // An answer to something else first: dropped and counted, the RAR still waits.
        await client.SendAsync(new DiameterMessage { CommandCode = 258, ApplicationId = 4, HopByHopId = rar.HopByHopId + 1000 });
        await client.SendAsync(DiameterTestClient.AnswerTo(received, DiameterResultCodes.Success));

        var raa = await sending.WaitAsync(DiameterTestClient.Patience);
        raa.ShouldNotBeNull();
        (raa.CommandCode, raa.IsRequest, raa.ResultCode).ShouldBe((258u, false, (uint?)2001));
        node.Counters.Rejected(DiameterRejectReason.UnmatchedAnswer).ShouldBe(1);
        node.Counters.RequestsSent.ShouldBe(1);
    }

    [Fact]
    public async Task A_request_to_a_peer_whose_connection_closes_returns_null()
    {
        await using var node = NodeHarness.Start();
        var (client, peer) = await node.OpenAsync();
        var rar = DiameterMessage.CreateRequest(DiameterCommands.ReAuth, DiameterApplications.CreditControl);
        rar.Avps.Add(Avp.OfString(AvpCodes.SessionId, "pgw.test;1;1"));
        var sending = peer.SendRequestAsync(rar, DiameterTestClient.Patience, CancellationToken.None);
        await client.ReceiveAsync();
        await client.DisposeAsync();

        (await sending.WaitAsync(DiameterTestClient.Patience)).ShouldBeNull();
        await peer.Closed.WaitAsync(DiameterTestClient.Patience);
        peer.CloseReason.ShouldBe(DiameterCloseReason.PeerClosed);
        (await peer.SendRequestAsync(rar, DiameterTestClient.Patience, CancellationToken.None)).ShouldBeNull(); // closed: at once
        (await node.Application.NextDownAsync()).ShouldBeSameAs(peer);
    }

    [Fact]
    public async Task A_newer_connection_of_the_same_origin_host_replaces_the_older()
    {
        await using var node = NodeHarness.Start();
        var (older, olderPeer) = await node.OpenAsync();
        await using var _older = older;
        await using var newer = await node.ConnectAsync();
        (await newer.CapabilitiesExchangeAsync()).ResultCode.ShouldBe(DiameterResultCodes.Success);
        var newerPeer = await node.Application.NextUpAsync();

        await older.ShouldBeClosedAsync();
        (await node.Application.NextDownAsync()).ShouldBeSameAs(olderPeer);
        node.Application.Events.ToArray().ShouldBe([
            $"up pgw.test {older.Local.Port}", $"down pgw.test {older.Local.Port}", $"up pgw.test {newer.Local.Port}"]);
        olderPeer.IsOpen.ShouldBeFalse();
        node.Node.FindPeer("pgw.test").ShouldBeSameAs(newerPeer);
        node.Node.Peers.ShouldHaveSingleItem().ShouldBeSameAs(newerPeer);
        (await newer.ExchangeAsync(newer.Ccr())).ResultCode.ShouldBe(DiameterResultCodes.Success);
        await olderPeer.Closed.WaitAsync(DiameterTestClient.Patience);
        olderPeer.CloseReason.ShouldBe(DiameterCloseReason.Replaced);
        node.Application.Events.Count.ShouldBe(3); // the older one's close did not report it down twice
    }

    [Fact]
    public async Task Abrupt_disconnects_leave_no_unobserved_task_exception_and_the_node_serves_on()
    {
        var unobserved = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        void Record(object? sender, UnobservedTaskExceptionEventArgs e)
        {
            if (e.Exception.ToString().Contains("Simlane.Diameter.Peers", StringComparison.Ordinal))
            {
                unobserved.Enqueue(e.Exception);
            }
        }
        TaskScheduler.UnobservedTaskException += Record;
        try
        {
            await using var node = NodeHarness.Start();
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            node.Application.Handler = async (_, request, _) =>
            {
                await gate.Task.WaitAsync(DiameterTestClient.Patience, CancellationToken.None); // ignores the token: answers after the close
                return TestApplication.Answer(request);
            };

            // Half a message, then gone.
            var (half, _) = await node.OpenAsync();
            await half.SendRawAsync(half.Ccr().Encode()[..30]);
            await half.DisposeAsync();
            await node.Application.NextDownAsync();

            // Requests in flight and a request of ours pending, then a reset.
            var (busy, busyPeer) = await node.OpenAsync("pgw2.test");
            await busy.SendRawAsync([.. busy.Ccr(0).Encode(), .. busy.Ccr(1).Encode()]);
            var rar = DiameterMessage.CreateRequest(DiameterCommands.ReAuth, DiameterApplications.CreditControl);
            var pending = busyPeer.SendRequestAsync(rar, DiameterTestClient.Patience, CancellationToken.None);
            await busy.ReceiveAsync();
            await busy.DisposeAsync();
            (await pending.WaitAsync(DiameterTestClient.Patience)).ShouldBeNull();
            await busyPeer.Closed.WaitAsync(DiameterTestClient.Patience);
            gate.SetResult(); // the handlers finish after their connection is gone; their answers are dropped

            // A connect that sends nothing and leaves.
            await (await node.ConnectAsync()).DisposeAsync();

            await node.WaitForCountersAsync(c => c.ConnectionsAccepted == 3 && c.OpenConnections == 0);
            var (fresh, _) = await node.OpenAsync();
            await using var _fresh = fresh;
            gate.Task.IsCompleted.ShouldBeTrue();
            (await fresh.ExchangeAsync(fresh.Ccr())).ResultCode.ShouldBe(DiameterResultCodes.Success);
            node.ShouldHaveLoggedNothingAboveWarning();
        }
        finally
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            TaskScheduler.UnobservedTaskException -= Record;
        }
        unobserved.ShouldBeEmpty();
    }

    [Fact]
    public async Task Start_on_a_taken_port_throws_socket_exception()
    {
        await using var first = NodeHarness.Start();
        var options = new DiameterNodeOptions
        {
            BindAddress = IPAddress.Loopback,
            Port = first.Node.LocalEndPoint.Port,
            OriginHost = "ocs2.test",
            OriginRealm = "test",
            AllowedPeers = [DiameterPeerEntry.Parse("pgw.test")],
        };
        await using var second = new DiameterNode(options, new TestApplication(), TestClock.Real);
        Should.Throw<System.Net.Sockets.SocketException>(() => second.Start());
    }
}
