using System.Net;
using Microsoft.Extensions.Logging;

namespace Simlane.Diameter.Tests.Infrastructure;

/// <summary>A started <see cref="DiameterNode"/> on 127.0.0.1 (ephemeral port) with a <see cref="TestApplication"/>.</summary>
public sealed class NodeHarness : IAsyncDisposable
{
    private NodeHarness(DiameterNode node, TestApplication application, CapturingLogger logger)
    {
        Node = node;
        Application = application;
        Logger = logger;
    }

    public DiameterNode Node { get; }
    public TestApplication Application { get; }
    public CapturingLogger Logger { get; }
    public DiameterCounterSnapshot Counters => Node.Metrics.Snapshot();

    /// <summary>Peers pgw.test and pgw2.test (any address) unless <paramref name="configure"/> says otherwise.</summary>
    public static NodeHarness Start(Action<DiameterNodeOptions>? configure = null, TimeProvider? time = null)
    {
        var options = new DiameterNodeOptions
        {
            BindAddress = IPAddress.Loopback,
            Port = 0,
            OriginHost = TestApplication.OriginHost,
            OriginRealm = TestApplication.OriginRealm,
            AllowedPeers = [DiameterPeerEntry.Parse(DiameterTestClient.DefaultHost), DiameterPeerEntry.Parse("pgw2.test")],
        };
        configure?.Invoke(options);
        var application = new TestApplication();
        var logger = new CapturingLogger();
        var node = new DiameterNode(options, application, time ?? TestClock.Real, logger, new DiameterMetrics());
        node.Start();
        return new NodeHarness(node, application, logger);
    }

    public Task<DiameterTestClient> ConnectAsync(IPAddress? local = null) => DiameterTestClient.ConnectAsync(Node.LocalEndPoint, local);

    /// <summary>Connects, exchanges capabilities (asserting 2001) and waits until the application saw the peer up.</summary>
    public async Task<(DiameterTestClient Client, DiameterPeerConnection Peer)> OpenAsync(string originHost = DiameterTestClient.DefaultHost)
    {
        var client = await ConnectAsync();
        var cea = await client.CapabilitiesExchangeAsync(originHost);
        cea.ResultCode.ShouldBe(DiameterResultCodes.Success);
        var peer = await Application.NextUpAsync();
        peer.OriginHost.ShouldBe(originHost);
        return (client, peer);
    }

    /// <summary>Waits (at most 10 s) until the counters satisfy the condition; fails with the last snapshot.</summary>
    public async Task<DiameterCounterSnapshot> WaitForCountersAsync(Func<DiameterCounterSnapshot, bool> condition)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var snapshot = Counters;
            if (condition(snapshot))
            {
                return snapshot;
            }
            if (limit.IsCancellationRequested)
            {
                throw new ShouldAssertException($"counters never matched: {snapshot}");
            }
            await Task.Delay(10, CancellationToken.None); // polling counters the node updates, bounded above
        }
    }

    /// <summary>No log line above Warning, and none of them carries an exception from the node's own code paths other than
    /// the application's.</summary>
    public void ShouldHaveLoggedNothingAboveWarning() =>
        Logger.Lines.Where(l => l.Level > LogLevel.Warning).Select(l => l.Text).ShouldBeEmpty();

    public ValueTask DisposeAsync() => Node.DisposeAsync();
}
