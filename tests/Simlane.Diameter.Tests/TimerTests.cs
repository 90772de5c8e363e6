using Microsoft.Extensions.Time.Testing;
using Simlane.Diameter.Tests.Infrastructure;

namespace Simlane.Diameter.Tests;

/// <summary>The node's timers on a FakeTimeProvider: capabilities timeout, watchdog (RFC 3539), request timeouts.</summary>
public sealed class TimerTests
{
    private static readonly TimeSpan Tw = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task An_idle_peer_gets_a_dwr_after_tw_and_is_closed_after_another_tw_without_an_answer()
    {
        var time = new FakeTimeProvider();
        await using var node = NodeHarness.Start(o => o.WatchdogInterval = Tw, time);
        var (client, peer) = await node.OpenAsync();
        await using var _client = client;

        time.Advance(Tw - TimeSpan.FromSeconds(1));
        time.Advance(TimeSpan.FromSeconds(1));
        var dwr = await client.ReceiveAsync();
        (dwr.CommandCode, dwr.IsRequest, dwr.ApplicationId, dwr.IsProxiable).ShouldBe((280u, true, 0u, false));
        dwr.OriginHost.ShouldBe(TestApplication.OriginHost);
        dwr.Find(AvpCodes.OriginStateId)!.GetUInt32().ShouldBe(node.Node.OriginStateId);

        time.Advance(Tw); // no DWA, no other message
        await client.ShouldBeClosedAsync();
        await peer.Closed.WaitAsync(DiameterTestClient.Patience);
        peer.CloseReason.ShouldBe(DiameterCloseReason.WatchdogTimeout);
        (await node.Application.NextDownAsync()).ShouldBeSameAs(peer);
        node.Counters.Closed(DiameterCloseReason.WatchdogTimeout).ShouldBe(1);
        node.Counters.RequestsSent.ShouldBe(1);
    }

    [Fact]
    public async Task A_peer_that_answers_the_dwr_stays_open_and_is_probed_again_after_tw()
    {
        var time = new FakeTimeProvider();
        await using var node = NodeHarness.Start(o => o.WatchdogInterval = Tw, time);
        var (client, peer) = await node.OpenAsync();
        await using var _client = client;

        for (int round = 0; round < 3; round++)
        {
            time.Advance(Tw);
            var dwr = await client.ReceiveAsync();
            dwr.CommandCode.ShouldBe(DiameterCommands.DeviceWatchdog);
            await client.SendAsync(DiameterTestClient.AnswerTo(dwr));
            // A DWR of our own: its DWA proves the node has read the DWA before it (one connection is read in order).
            (await client.ExchangeAsync(client.Dwr())).ResultCode.ShouldBe(DiameterResultCodes.Success);
        }
        peer.IsOpen.ShouldBeTrue();
        node.Counters.Rejected(DiameterRejectReason.UnmatchedAnswer).ShouldBe(0); // the DWAs matched our DWRs
    }

    [Fact]
    public async Task Traffic_from_the_peer_postpones_the_dwr()
    {
        var time = new FakeTimeProvider();
        await using var node = NodeHarness.Start(o => o.WatchdogInterval = Tw, time);
        var (client, peer) = await node.OpenAsync();
        await using var _client = client;

        time.Advance(Tw / 2);
        (await client.ExchangeAsync(client.Ccr())).ResultCode.ShouldBe(DiameterResultCodes.Success);
        time.Advance(Tw / 2); // Tw since the CEA, Tw/2 since the CCR: no DWR yet
        (await client.ExchangeAsync(client.Dwr())).ResultCode.ShouldBe(DiameterResultCodes.Success); // the next message is this DWA, no DWR
        time.Advance(Tw);
        (await client.ReceiveAsync()).CommandCode.ShouldBe(DiameterCommands.DeviceWatchdog);
        peer.IsOpen.ShouldBeTrue();
    }

    [Fact]
    public async Task The_watchdog_waits_while_reading_is_paused_for_back_pressure()
    {
        var time = new FakeTimeProvider();
        await using var node = NodeHarness.Start(o => { o.WatchdogInterval = Tw; o.MaxRequestsInFlightPerPeer = 1; }, time);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        node.Application.Handler = async (_, request, cancellationToken) =>
        {
            entered.TrySetResult();
            await gate.Task.WaitAsync(DiameterTestClient.Patience, cancellationToken);
            return TestApplication.Answer(request);
        };
        var (client, peer) = await node.OpenAsync();
        await using var _client = client;
        var first = client.Ccr(0);
        var second = client.Ccr(1);
        await client.SendRawAsync([.. first.Encode(), .. second.Encode()]);
        await entered.Task.WaitAsync(DiameterTestClient.Patience);
        peer.RequestsInFlight.ShouldBe(1);

        // Three intervals of silence while paused: no DWR is queued, the connection is not closed (the timer runs inside
        // Advance, so whatever it queued would be sent before the answers below).
        time.Advance(Tw);
        time.Advance(Tw);
        time.Advance(Tw);
        gate.SetResult();
        (await client.ReceiveAsync()).HopByHopId.ShouldBe(first.HopByHopId);
        (await client.ReceiveAsync()).HopByHopId.ShouldBe(second.HopByHopId);
        peer.IsOpen.ShouldBeTrue();
        node.Counters.RequestsSent.ShouldBe(0);
    }

    [Fact]
    public async Task A_connection_without_a_cer_is_closed_after_the_capabilities_timeout()
    {
        var time = new FakeTimeProvider();
        await using var node = NodeHarness.Start(o => o.CapabilitiesTimeout = TimeSpan.FromSeconds(10), time);
        await using var client = await node.ConnectAsync();
        await node.WaitForCountersAsync(c => c.ConnectionsAccepted == 1); // the timer is armed before the accept is counted
        time.Advance(TimeSpan.FromSeconds(10));
        await client.ShouldBeClosedAsync();
        await node.WaitForCountersAsync(c => c.Closed(DiameterCloseReason.CapabilitiesTimeout) == 1);
        node.Application.Events.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_request_to_the_peer_without_an_answer_returns_null_after_its_timeout()
    {
        var time = new FakeTimeProvider();
        await using var node = NodeHarness.Start(o => o.WatchdogInterval = TimeSpan.FromHours(1), time);
        var (client, peer) = await node.OpenAsync();
        await using var _client = client;
        var rar = DiameterMessage.CreateRequest(DiameterCommands.ReAuth, DiameterApplications.CreditControl);
        rar.Avps.Add(Avp.OfString(AvpCodes.SessionId, "pgw.test;1;1"));
        var sending = peer.SendRequestAsync(rar, TimeSpan.FromSeconds(5), CancellationToken.None);
        var received = await client.ReceiveAsync();
        received.CommandCode.ShouldBe(DiameterCommands.ReAuth);

        time.Advance(TimeSpan.FromSeconds(5));
        (await sending.WaitAsync(DiameterTestClient.Patience)).ShouldBeNull();
        node.Counters.RequestTimeouts.ShouldBe(1);

        // The late answer is dropped and counted; the connection stays open.
        await client.SendAsync(DiameterTestClient.AnswerTo(received));
        await node.WaitForCountersAsync(c => c.Rejected(DiameterRejectReason.UnmatchedAnswer) == 1);
        peer.IsOpen.ShouldBeTrue();
    }

    [Fact]
    public async Task A_cancelled_request_to_the_peer_throws()
    {
        var time = new FakeTimeProvider();
        await using var node = NodeHarness.Start(o => o.WatchdogInterval = TimeSpan.FromHours(1), time);
        var (client, peer) = await node.OpenAsync();
        await using var _client = client;
        using var cancel = new CancellationTokenSource();
        var rar = DiameterMessage.CreateRequest(DiameterCommands.ReAuth, DiameterApplications.CreditControl);
        var sending = peer.SendRequestAsync(rar, TimeSpan.FromSeconds(5), cancel.Token);
        await client.ReceiveAsync();
        await cancel.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => sending.WaitAsync(DiameterTestClient.Patience));
    }
}
