using System.Net;
using Simlane.Radius.Clients;
using Simlane.Radius.Server;

namespace Simlane.Radius.Tests.Infrastructure;

/// <summary>A started listener on 127.0.0.1 (ephemeral ports) with a <see cref="RecordingHandler"/>.</summary>
public sealed class ListenerHarness : IAsyncDisposable
{
    public const string Secret = "testing123";

    private ListenerHarness(RadiusListener listener, RecordingHandler handler)
    {
        Listener = listener;
        Handler = handler;
    }

    public RadiusListener Listener { get; }
    public RecordingHandler Handler { get; }
    public int AuthPort => Listener.AuthEndPoint.Port;
    public int AcctPort => Listener.AcctEndPoint.Port;
    public RadiusCounterSnapshot Counters => Listener.Metrics.Snapshot();

    public static ListenerHarness Start(string clients = $"127.0.0.1={Secret}", TimeSpan? handlerTimeout = null, IPAddress? bind = null,
        TimeProvider? time = null, Microsoft.Extensions.Logging.ILogger<RadiusListener>? logger = null)
    {
        var handler = new RecordingHandler();
        var options = new RadiusListenerOptions { BindAddress = bind ?? IPAddress.Loopback, AuthPort = 0, AcctPort = 0 };
        if (handlerTimeout is { } timeout)
        {
            options.HandlerTimeout = timeout;
        }
        var listener = new RadiusListener(RadiusClientTable.Parse([clients]), handler, options, time ?? TestClock.Real, logger);
        listener.Start();
        return new ListenerHarness(listener, handler);
    }

    /// <summary>Waits (at most 10 s) until the counters satisfy the condition; fails with the last snapshot.</summary>
    public async Task<RadiusCounterSnapshot> WaitForCountersAsync(Func<RadiusCounterSnapshot, bool> condition)
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
                throw new ShouldAssertException($"counters never matched: {snapshot} drops {string.Join(", ", snapshot.Drops.Select(d => $"{d.Key}={d.Value}"))}");
            }
            await Task.Delay(20, CancellationToken.None); // polling the counters the listener updates, bounded above
        }
    }

    public ValueTask DisposeAsync() => Listener.DisposeAsync();
}
