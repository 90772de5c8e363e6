using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Simlane.Radius.Codec;
using Simlane.Radius.Server;
using Simlane.Radius.Tests.Infrastructure;

namespace Simlane.Radius.Tests;

/// <summary>The listener on 127.0.0.1 driven by radclient and pyrad; replies are verified by those peers.</summary>
public sealed class ListenerTests
{
    private const string Imsi = "440103456789012";

    [Fact]
    public async Task Radclient_access_request_with_message_authenticator_is_accepted_and_the_reply_verifies()
    {
        await using var radius = ListenerHarness.Start();
        var result = await RadiusPeer.RadclientAsync(radius.AuthPort, "auth", ListenerHarness.Secret,
            $"User-Name = \"{Imsi}\", User-Password = \"pw\", Proxy-State = 0xcafe, Message-Authenticator = 0x00\n");

        result.ExitCode.ShouldBe(0, result.ToString());
        // radclient drops a reply whose Response Authenticator or Message-Authenticator is wrong; it printed this one.
        result.Stdout.ShouldContain("Received Access-Accept", customMessage: result.ToString());
        result.Stdout.ShouldContain($"WISPr-Bandwidth-Max-Up = {RecordingHandler.RateUp}");
        result.Stdout.ShouldContain($"WISPr-Bandwidth-Max-Down = {RecordingHandler.RateDown}");
        result.Stdout.ShouldContain("Acct-Interim-Interval = 300");
        result.Stdout.ShouldContain("Proxy-State = 0xcafe");
        result.Stdout.ShouldContain("Message-Authenticator = 0x");

        var request = radius.Handler.Access.ShouldHaveSingleItem();
        request.Packet.GetText(RadiusAttributes.UserName).ShouldBe(Imsi);
        request.GetUserPassword().ShouldBe("pw");
        request.Client.Cidr.ShouldBe("127.0.0.1/32");
        var counters = radius.Counters;
        (counters.AccessRequests, counters.AccessAccepts, counters.TotalDrops).ShouldBe((1L, 1L, 0L));
    }

    [Fact]
    public async Task Radclient_access_reject_carries_the_reason()
    {
        await using var radius = ListenerHarness.Start();
        var result = await RadiusPeer.RadclientAsync(radius.AuthPort, "auth", ListenerHarness.Secret,
            "User-Name = \"reject-me\", Message-Authenticator = 0x00\n");

        result.Stdout.ShouldContain("Received Access-Reject", customMessage: result.ToString());
        result.Stdout.ShouldContain("Reply-Message = \"refused: reject-me\"");
        result.Stdout.ShouldNotContain("WISPr");
        radius.Counters.AccessRejects.ShouldBe(1);
    }

    [Fact]
    public async Task Access_request_without_message_authenticator_is_dropped_unless_the_client_relaxes_it()
    {
        await using (var strict = ListenerHarness.Start())
        {
            var result = await RadiusPeer.RadclientAsync(strict.AuthPort, "auth", ListenerHarness.Secret, $"User-Name = \"{Imsi}\"\n", timeoutSeconds: 1);
            result.Stdout.ShouldContain("No reply from server", customMessage: result.ToString());
            (await strict.WaitForCountersAsync(c => c.Dropped(RadiusDropReason.MissingMessageAuthenticator) == 1)).TotalDrops.ShouldBe(1);
            strict.Handler.Access.ShouldBeEmpty();
        }

        await using var relaxed = ListenerHarness.Start($"127.0.0.1={ListenerHarness.Secret},require-message-authenticator=false");
        var accepted = await RadiusPeer.RadclientAsync(relaxed.AuthPort, "auth", ListenerHarness.Secret, $"User-Name = \"{Imsi}\"\n");
        accepted.Stdout.ShouldContain("Received Access-Accept", customMessage: accepted.ToString());
        // The reply still carries a Message-Authenticator (radclient verified it).
        accepted.Stdout.ShouldContain("Message-Authenticator = 0x");
    }

    [Fact]
    public async Task Wrong_secret_is_dropped_counted_and_never_reaches_the_handler()
    {
        await using var radius = ListenerHarness.Start();
        var auth = await RadiusPeer.RadclientAsync(radius.AuthPort, "auth", "not-the-secret",
            $"User-Name = \"{Imsi}\", Message-Authenticator = 0x00\n", timeoutSeconds: 1);
        auth.Stdout.ShouldContain("No reply from server", customMessage: auth.ToString());
        var acct = await RadiusPeer.RadclientAsync(radius.AcctPort, "acct", "not-the-secret",
            "Acct-Status-Type = Start, Acct-Session-Id = \"s1\"\n", timeoutSeconds: 1);
        acct.Stdout.ShouldContain("No reply from server", customMessage: acct.ToString());

        var counters = await radius.WaitForCountersAsync(c => c.TotalDrops == 2);
        counters.Dropped(RadiusDropReason.BadMessageAuthenticator).ShouldBe(1);
        counters.Dropped(RadiusDropReason.BadAuthenticator).ShouldBe(1);
        radius.Handler.Access.ShouldBeEmpty();
        radius.Handler.Accounting.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_accounting_request_with_a_bad_message_authenticator_but_a_good_request_authenticator_is_dropped()
    {
        await using var radius = ListenerHarness.Start();
        var request = await BuildAsync("acct", [["Acct-Status-Type", "Start"], ["Acct-Session-Id", "s"]]);
        RadiusPacket.TryDecode(request, out var packet).ShouldBe(RadiusDecodeError.None);
        request[packet!.MessageAuthenticatorOffset] ^= 0xff;
        // Re-sign the Request Authenticator over the altered packet, so that only the Message-Authenticator is wrong.
        request.AsSpan(4, 16).Clear();
#pragma warning disable CA5351 // RFC 2866's Request Authenticator is MD5.
        System.Security.Cryptography.MD5.HashData([.. request, .. "testing123"u8.ToArray()]).CopyTo(request, 4);
#pragma warning restore CA5351
        RadiusAuthenticators.VerifyRequestAuthenticator(request, "testing123"u8).ShouldBeTrue();
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));

        await udp.SendAsync(request, new IPEndPoint(IPAddress.Loopback, radius.AcctPort));

        (await radius.WaitForCountersAsync(c => c.TotalDrops == 1)).Dropped(RadiusDropReason.BadMessageAuthenticator).ShouldBe(1);
        radius.Handler.Accounting.ShouldBeEmpty();
    }

    [Fact]
    public async Task Radclient_accounting_start_interim_stop_with_gigawords_is_answered_after_the_handler()
    {
        await using var radius = ListenerHarness.Start();
        string[] packets =
        [
            $"Acct-Status-Type = Start, Acct-Session-Id = \"sess-1\", 3GPP-IMSI = \"{Imsi}\", Framed-IP-Address = 10.0.0.5",
            "Acct-Status-Type = Interim-Update, Acct-Session-Id = \"sess-1\", Acct-Input-Octets = 100, Acct-Output-Octets = 200, Acct-Input-Packets = 3, Acct-Output-Packets = 4",
            "Acct-Status-Type = Stop, Acct-Session-Id = \"sess-1\", Acct-Input-Octets = 5, Acct-Input-Gigawords = 2, Acct-Output-Octets = 4294967295, Acct-Output-Gigawords = 1, Acct-Session-Time = 60, Acct-Terminate-Cause = User-Request",
        ];
        foreach (var packet in packets)
        {
            var result = await RadiusPeer.RadclientAsync(radius.AcctPort, "acct", ListenerHarness.Secret, packet + "\n");
            result.ExitCode.ShouldBe(0, result.ToString());
            result.Stdout.ShouldContain("Received Accounting-Response", customMessage: result.ToString());
        }

        var requests = radius.Handler.Accounting.ToArray();
        requests.Select(r => r.AcctStatusType).ShouldBe([1u, 3u, 2u]);
        requests[0].Packet.GetText(RadiusAttributes.ThreeGppImsi).ShouldBe(Imsi);
        requests[1].Packet.GetCounter64(RadiusAttributes.AcctOutputOctets, RadiusAttributes.AcctOutputGigawords).ShouldBe(200UL);
        requests[1].Packet.GetUInt32(RadiusAttributes.AcctOutputPackets).ShouldBe(4u);
        var stop = requests[2].Packet;
        stop.GetCounter64(RadiusAttributes.AcctInputOctets, RadiusAttributes.AcctInputGigawords).ShouldBe((2UL << 32) + 5);
        stop.GetCounter64(RadiusAttributes.AcctOutputOctets, RadiusAttributes.AcctOutputGigawords).ShouldBe((1UL << 32) + uint.MaxValue);
        stop.GetUInt32(RadiusAttributes.AcctTerminateCause).ShouldBe(RadiusAttributes.AcctTerminateCause.Values["User-Request"]);
        radius.Counters.AccountingResponses.ShouldBe(3);
    }

    [Fact]
    public async Task Pyrad_3gpp_attributes_reach_the_handler_and_pyrad_verifies_both_authenticators()
    {
        await using var radius = ListenerHarness.Start();
        var json = await RadiusPeer.PyradAsync("send", new
        {
            host = "127.0.0.1",
            port = radius.AuthPort,
            secret = ListenerHarness.Secret,
            kind = "auth",
            attrs = new object[][]
            {
                ["User-Name", "device"], ["User-Password", "pw-1"], ["3GPP-IMSI", Imsi], ["3GPP-IMEISV", "3534907101234501"],
                ["3GPP-RAT-Type", 6], ["3GPP-SGSN-MCC-MNC", "44010"], ["3GPP-Selection-Mode", "0"], ["3GPP-Charging-ID", 12345],
                ["3GPP-User-Location-Info", "0x8244f001000144f0010a0b0c0d"], ["3GPP-Charging-Characteristics", "0800"],
                ["3GPP-PDP-Type", 0], ["Called-Station-Id", "soracom.io"], ["Calling-Station-Id", "819012345678"],
            },
        });

        var reply = json["replies"]![0]!.AsObject();
        reply["code"]!.GetValue<int>().ShouldBe(2);
        reply["authentic"]!.GetValue<bool>().ShouldBeTrue();
        reply["message_authenticator"]!.GetValue<bool>().ShouldBeTrue();
        reply["attrs"]!["WISPr-Bandwidth-Max-Down"]![0]!.GetValue<long>().ShouldBe(RecordingHandler.RateDown);
        // BlastRADIUS: Message-Authenticator is the reply's first attribute.
        RadiusPeer.Hex(reply["hex"])[20].ShouldBe((byte)80);

        var packet = radius.Handler.Access.ShouldHaveSingleItem().Packet;
        packet.GetText(RadiusAttributes.ThreeGppImsi).ShouldBe(Imsi);
        packet.GetText(RadiusAttributes.ThreeGppImeisv).ShouldBe("3534907101234501");
        packet.GetUInt32(RadiusAttributes.ThreeGppRatType).ShouldBe(6u);
        packet.GetText(RadiusAttributes.ThreeGppSgsnMccMnc).ShouldBe("44010");
        packet.GetText(RadiusAttributes.ThreeGppSelectionMode).ShouldBe("0");
        packet.GetUInt32(RadiusAttributes.ThreeGppChargingId).ShouldBe(12345u);
        packet.GetOctets(RadiusAttributes.ThreeGppUserLocationInfo).ShouldBe(Convert.FromHexString("8244f001000144f0010a0b0c0d"));
        packet.GetText(RadiusAttributes.ThreeGppChargingCharacteristics).ShouldBe("0800");
        packet.GetUInt32(RadiusAttributes.ThreeGppPdpType).ShouldBe(0u);
        packet.GetText(RadiusAttributes.CallingStationId).ShouldBe("819012345678");
        radius.Handler.Access.Single().GetUserPassword().ShouldBe("pw-1");
    }

    [Theory]
    [InlineData("auth")]
    [InlineData("acct")]
    public async Task A_retransmission_gets_the_cached_reply_byte_for_byte_and_the_handler_runs_once(string kind)
    {
        await using var radius = ListenerHarness.Start();
        var json = await RadiusPeer.PyradAsync("send", new
        {
            host = "127.0.0.1",
            port = kind == "auth" ? radius.AuthPort : radius.AcctPort,
            secret = ListenerHarness.Secret,
            kind,
            repeat = 3,
            attrs = kind == "auth"
                ? new object[][] { ["User-Name", Imsi] }
                : [["Acct-Status-Type", "Interim-Update"], ["Acct-Session-Id", "s"], ["Acct-Input-Octets", 10]],
        });

        var replies = json["replies"]!.AsArray().Select(r => r!["hex"]!.GetValue<string>()).ToArray();
        replies.Length.ShouldBe(3);
        replies.Distinct().ShouldHaveSingleItem();
        json["replies"]![0]!["authentic"]!.GetValue<bool>().ShouldBeTrue();
        json["replies"]![0]!["message_authenticator"]!.GetValue<bool>().ShouldBeTrue();
        (radius.Handler.Access.Count + radius.Handler.Accounting.Count).ShouldBe(1);
        var counters = radius.Counters;
        counters.DuplicatesAnsweredFromCache.ShouldBe(2);
        (counters.AccessRequests + counters.AccountingRequests).ShouldBe(3);
    }

    [Fact]
    public async Task A_retransmission_while_the_handler_runs_is_dropped_and_only_one_reply_is_sent()
    {
        await using var radius = ListenerHarness.Start();
        radius.Handler.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var request = await BuildAsync("acct", [["Acct-Status-Type", "Start"], ["Acct-Session-Id", "held"]]);
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var listener = new IPEndPoint(IPAddress.Loopback, radius.AcctPort);

        await udp.SendAsync(request, listener);
        await radius.Handler.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await udp.SendAsync(request, listener);
        await radius.WaitForCountersAsync(c => c.Dropped(RadiusDropReason.DuplicateInProgress) == 1);
        radius.Handler.Gate.SetResult();

        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var reply = await udp.ReceiveAsync(limit.Token);
        reply.Buffer[0].ShouldBe((byte)RadiusCode.AccountingResponse);
        RadiusAuthenticators.VerifyResponseAuthenticator(reply.Buffer, request.AsSpan(4, 16), "testing123"u8).ShouldBeTrue();
        radius.Handler.Accounting.Count.ShouldBe(1);
        // A third copy after the answer is served from the cache: still one handler call.
        await udp.SendAsync(request, listener);
        (await udp.ReceiveAsync(limit.Token)).Buffer.ShouldBe(reply.Buffer);
        radius.Handler.Accounting.Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_failing_handler_sends_no_reply_and_the_retransmission_is_handled_anew()
    {
        await using var radius = ListenerHarness.Start();
        radius.Handler.FailNext = true;
        var request = await BuildAsync("acct", [["Acct-Status-Type", "Interim-Update"], ["Acct-Session-Id", "s"]]);
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var listener = new IPEndPoint(IPAddress.Loopback, radius.AcctPort);

        await udp.SendAsync(request, listener);
        await radius.WaitForCountersAsync(c => c.Dropped(RadiusDropReason.HandlerFailed) == 1);
        await udp.SendAsync(request, listener);
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        (await udp.ReceiveAsync(limit.Token)).Buffer[0].ShouldBe((byte)RadiusCode.AccountingResponse);
        radius.Handler.Accounting.Count.ShouldBe(2);
        radius.Counters.AccountingResponses.ShouldBe(1);
    }

    [Fact]
    public async Task Malformed_datagrams_are_dropped_and_counted_and_the_listener_keeps_answering()
    {
        await using var radius = ListenerHarness.Start();
        var good = await BuildAsync("auth", [["User-Name", Imsi]]);
        var truncated = good[..(good.Length - 5)];                                  // length field now exceeds the datagram
        var badAttribute = (byte[])good.Clone();
        badAttribute[21] = 1;                                                       // first attribute's length 1
        var shortLength = (byte[])good.Clone();
        shortLength[2] = 0; shortLength[3] = 19;                                    // length field below 20
        var garbage = new byte[300];
        new Random(13).NextBytes(garbage);
        garbage[2] = 1; garbage[3] = 44;                                            // plausible length, random attributes
        byte[] codeZero = new byte[20];
        codeZero[3] = 20;                                                           // a well-formed header with code 0
        byte[][] datagrams = [good[..12], truncated, badAttribute, shortLength, garbage, new byte[5000], [], codeZero];

        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        foreach (var datagram in datagrams)
        {
            await udp.SendAsync(datagram, new IPEndPoint(IPAddress.Loopback, radius.AuthPort));
            await udp.SendAsync(datagram, new IPEndPoint(IPAddress.Loopback, radius.AcctPort));
        }
        // codeZero decodes and is dropped for its code; the rest are malformed.
        var counters = await radius.WaitForCountersAsync(c => c.TotalDrops == datagrams.Length * 2);
        counters.Dropped(RadiusDropReason.WrongCode).ShouldBe(2);
        counters.Dropped(RadiusDropReason.Malformed).ShouldBe((datagrams.Length - 1) * 2);
        radius.Handler.Access.ShouldBeEmpty();

        var result = await RadiusPeer.RadclientAsync(radius.AuthPort, "auth", ListenerHarness.Secret, $"User-Name = \"{Imsi}\", Message-Authenticator = 0x00\n");
        result.Stdout.ShouldContain("Received Access-Accept", customMessage: result.ToString());
    }

    [Fact]
    public async Task An_unknown_client_and_a_request_on_the_wrong_port_are_dropped()
    {
        await using (var elsewhere = ListenerHarness.Start("10.0.0.0/8=testing123"))
        {
            var result = await RadiusPeer.RadclientAsync(elsewhere.AuthPort, "auth", ListenerHarness.Secret,
                $"User-Name = \"{Imsi}\", Message-Authenticator = 0x00\n", timeoutSeconds: 1);
            result.Stdout.ShouldContain("No reply from server", customMessage: result.ToString());
            (await elsewhere.WaitForCountersAsync(c => c.TotalDrops == 1)).Dropped(RadiusDropReason.UnknownClient).ShouldBe(1);
            elsewhere.Counters.AccessRequests.ShouldBe(0);
        }

        await using var radius = ListenerHarness.Start();
        var acctOnAuth = await RadiusPeer.RadclientAsync(radius.AuthPort, "acct", ListenerHarness.Secret, "Acct-Status-Type = Start\n", timeoutSeconds: 1);
        acctOnAuth.Stdout.ShouldContain("No reply from server", customMessage: acctOnAuth.ToString());
        var authOnAcct = await RadiusPeer.RadclientAsync(radius.AcctPort, "auth", ListenerHarness.Secret,
            $"User-Name = \"{Imsi}\", Message-Authenticator = 0x00\n", timeoutSeconds: 1);
        authOnAcct.Stdout.ShouldContain("No reply from server", customMessage: authOnAcct.ToString());
        (await radius.WaitForCountersAsync(c => c.TotalDrops == 2)).Dropped(RadiusDropReason.WrongCode).ShouldBe(2);
        radius.Handler.Access.ShouldBeEmpty();
        radius.Handler.Accounting.ShouldBeEmpty();
    }

    [Fact]
    public async Task Requests_are_handled_concurrently()
    {
        await using var radius = ListenerHarness.Start();
        radius.Handler.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var listener = new IPEndPoint(IPAddress.Loopback, radius.AcctPort);
        await udp.SendAsync(await BuildAsync("acct", [["Acct-Status-Type", "Start"], ["Acct-Session-Id", "held"]]), listener);
        await radius.Handler.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));

        // While an accounting request is held open, an Access-Request is still answered.
        var result = await RadiusPeer.RadclientAsync(radius.AuthPort, "auth", ListenerHarness.Secret, $"User-Name = \"{Imsi}\", Message-Authenticator = 0x00\n");
        result.Stdout.ShouldContain("Received Access-Accept", customMessage: result.ToString());
        radius.Handler.Gate.SetResult();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        (await udp.ReceiveAsync(limit.Token)).Buffer[0].ShouldBe((byte)RadiusCode.AccountingResponse);
    }

    [Fact]
    public async Task An_ipv6_client_is_served_on_an_ipv6_bind_address()
    {
        await using var radius = ListenerHarness.Start($"::1/128={ListenerHarness.Secret}", bind: IPAddress.IPv6Loopback);
        var request = await BuildAsync("acct", [["Acct-Status-Type", "Accounting-On"], ["NAS-Identifier", "pgw-1"]]);
        using var udp = new UdpClient(new IPEndPoint(IPAddress.IPv6Loopback, 0));

        await udp.SendAsync(request, new IPEndPoint(IPAddress.IPv6Loopback, radius.AcctPort));
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var reply = await udp.ReceiveAsync(limit.Token);

        reply.Buffer[0].ShouldBe((byte)RadiusCode.AccountingResponse);
        RadiusAuthenticators.VerifyResponseAuthenticator(reply.Buffer, request.AsSpan(4, 16), "testing123"u8).ShouldBeTrue();
        var seen = radius.Handler.Accounting.ShouldHaveSingleItem();
        seen.AcctStatusType.ShouldBe(7u);
        seen.Source.Address.ShouldBe(IPAddress.IPv6Loopback);
    }

    [Fact]
    public async Task A_dual_stack_listener_matches_an_ipv4_client_and_answers_it()
    {
        await using var radius = ListenerHarness.Start(bind: IPAddress.IPv6Any);
        var result = await RadiusPeer.RadclientAsync(radius.AuthPort, "auth", ListenerHarness.Secret, $"User-Name = \"{Imsi}\", Message-Authenticator = 0x00\n");
        result.Stdout.ShouldContain("Received Access-Accept", customMessage: result.ToString());
        radius.Handler.Access.ShouldHaveSingleItem().Client.Cidr.ShouldBe("127.0.0.1/32");
    }

    [Fact]
    public void Invalid_listener_options_are_refused()
    {
        var table = Simlane.Radius.Clients.RadiusClientTable.Parse(["127.0.0.1=s"]);
        var handler = new RecordingHandler();
        Should.Throw<ArgumentException>(() => new RadiusListener(table, handler, new RadiusListenerOptions { AuthPort = 1812, AcctPort = 1812 }, TestClock.Real))
            .Message.ShouldContain("must differ");
        Should.Throw<ArgumentException>(() => new RadiusListener(table, handler, new RadiusListenerOptions { AcctPort = 70000 }, TestClock.Real))
            .Message.ShouldContain("70000");
        Should.Throw<ArgumentException>(() => new RadiusListener(table, handler, new RadiusListenerOptions { DuplicateWindow = TimeSpan.Zero }, TestClock.Real));
    }

    [Fact]
    public async Task A_port_in_use_fails_start_with_a_socket_error_and_binds_nothing()
    {
        await using var first = ListenerHarness.Start();
        var options = new RadiusListenerOptions { BindAddress = IPAddress.Loopback, AuthPort = 0, AcctPort = first.AcctPort };
        await using var second = new RadiusListener(Simlane.Radius.Clients.RadiusClientTable.Parse(["127.0.0.1=s"]), new RecordingHandler(), options, TestClock.Real);
        Should.Throw<SocketException>(second.Start).SocketErrorCode.ShouldBe(SocketError.AddressAlreadyInUse);
        Should.Throw<InvalidOperationException>(() => second.AuthEndPoint);
    }

    private static async Task<byte[]> BuildAsync(string kind, object[][] attrs)
    {
        JsonObject json = await RadiusPeer.PyradAsync("build", new { secret = ListenerHarness.Secret, kind, attrs });
        return RadiusPeer.Hex(json["request"]);
    }
}
