using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using Simlane.Radius.Codec;
using Simlane.Radius.Server;
using Simlane.Radius.Tests.Infrastructure;

namespace Simlane.Radius.Tests;

/// <summary>The listener's clock-driven behaviour (handler timeout, duplicate window) on a FakeTimeProvider, and its logs.</summary>
public sealed class ListenerTimeTests
{
    [Fact]
    public async Task A_handler_that_does_not_finish_in_time_is_cancelled_and_no_reply_is_sent()
    {
        var clock = new FakeTimeProvider();
        await using var radius = ListenerHarness.Start(handlerTimeout: TimeSpan.FromSeconds(10), time: clock);
        radius.Handler.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously); // never released
        var request = await BuildAsync([["Acct-Status-Type", "Start"], ["Acct-Session-Id", "slow"]]);
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));

        await udp.SendAsync(request, new IPEndPoint(IPAddress.Loopback, radius.AcctPort));
        await radius.Handler.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        clock.Advance(TimeSpan.FromSeconds(10));

        var counters = await radius.WaitForCountersAsync(c => c.Dropped(RadiusDropReason.HandlerFailed) == 1);
        counters.AccountingResponses.ShouldBe(0);
        udp.Available.ShouldBe(0);
    }

    [Fact]
    public async Task After_the_duplicate_window_the_same_packet_is_a_new_request()
    {
        var clock = new FakeTimeProvider();
        await using var radius = ListenerHarness.Start(time: clock);
        var request = await BuildAsync([["Acct-Status-Type", "Interim-Update"], ["Acct-Session-Id", "s"]]);
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var listener = new IPEndPoint(IPAddress.Loopback, radius.AcctPort);
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        await udp.SendAsync(request, listener);
        var first = (await udp.ReceiveAsync(limit.Token)).Buffer;
        clock.Advance(TimeSpan.FromSeconds(29));
        await udp.SendAsync(request, listener);
        (await udp.ReceiveAsync(limit.Token)).Buffer.ShouldBe(first);
        radius.Handler.Accounting.Count.ShouldBe(1);

        clock.Advance(TimeSpan.FromSeconds(2));
        await udp.SendAsync(request, listener);
        (await udp.ReceiveAsync(limit.Token)).Buffer[0].ShouldBe((byte)RadiusCode.AccountingResponse);
        radius.Handler.Accounting.Count.ShouldBe(2);
        radius.Counters.DuplicatesAnsweredFromCache.ShouldBe(1);
    }

    [Fact]
    public async Task Secrets_never_appear_in_the_logs()
    {
        var logger = new CapturingLogger();
        await using (var radius = ListenerHarness.Start("127.0.0.1=very-secret-1;10.0.0.0/8=very-secret-2", logger: logger))
        {
            radius.Handler.FailNext = true;
            await RadiusPeer.RadclientAsync(radius.AuthPort, "auth", "very-secret-1", "User-Name = \"a\", Message-Authenticator = 0x00\n");
            await RadiusPeer.RadclientAsync(radius.AuthPort, "auth", "wrong", "User-Name = \"a\", Message-Authenticator = 0x00\n", timeoutSeconds: 1);
            await RadiusPeer.RadclientAsync(radius.AcctPort, "acct", "very-secret-1", "Acct-Status-Type = Start\n", timeoutSeconds: 1);
            await radius.WaitForCountersAsync(c => c.Dropped(RadiusDropReason.HandlerFailed) == 1 && c.Dropped(RadiusDropReason.BadMessageAuthenticator) == 1);
        }
        logger.Lines.ShouldContain(l => l.Contains("dropped", StringComparison.Ordinal));
        logger.Lines.ShouldContain(l => l.Contains("handler failed", StringComparison.Ordinal));
        logger.Lines.ShouldAllBe(l => !l.Contains("very-secret", StringComparison.Ordinal));
    }

    private static async Task<byte[]> BuildAsync(object[][] attrs) =>
        RadiusPeer.Hex((await RadiusPeer.PyradAsync("build", new { secret = ListenerHarness.Secret, kind = "acct", attrs }))["request"]);
}
