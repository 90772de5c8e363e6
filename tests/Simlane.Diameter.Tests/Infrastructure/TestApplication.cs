using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Simlane.Diameter.Tests.Infrastructure;

/// <summary>
/// The in-test stand-in for the server's Gy application: by default answers every request 2001 (a CCA carrying the
/// request's CC-Request-Type and CC-Request-Number); <see cref="Handler"/> replaces that per test. Records requests and
/// the PeerUp/PeerDown calls in order.
/// </summary>
public sealed class TestApplication : IDiameterApplication
{
    public const string OriginHost = "ocs.simlane.test";
    public const string OriginRealm = "simlane.test";

    private readonly Channel<DiameterPeerConnection> ups = Channel.CreateUnbounded<DiameterPeerConnection>();
    private readonly Channel<DiameterPeerConnection> downs = Channel.CreateUnbounded<DiameterPeerConnection>();

    public Func<DiameterPeerConnection, DiameterMessage, CancellationToken, Task<DiameterMessage>>? Handler { get; set; }

    public ConcurrentQueue<DiameterMessage> Requests { get; } = new();

    /// <summary>"up HOST" / "down HOST" in call order.</summary>
    public ConcurrentQueue<string> Events { get; } = new();

    public Task<DiameterMessage> HandleRequestAsync(DiameterPeerConnection peer, DiameterMessage request, CancellationToken cancellationToken)
    {
        Requests.Enqueue(request);
        return Handler is { } handler ? handler(peer, request, cancellationToken) : Task.FromResult(Answer(request));
    }

    public static DiameterMessage Answer(DiameterMessage request, uint resultCode = DiameterResultCodes.Success)
    {
        var answer = DiameterMessage.CreateAnswer(request, resultCode, OriginHost, OriginRealm);
        foreach (var code in new[] { AvpCodes.CcRequestType, AvpCodes.CcRequestNumber })
        {
            if (request.Find(code) is { } avp)
            {
                answer.Avps.Add(avp);
            }
        }
        return answer;
    }

    public void PeerUp(DiameterPeerConnection peer)
    {
        Events.Enqueue($"up {peer.OriginHost} {peer.Remote.Port}");
        ups.Writer.TryWrite(peer);
    }

    public void PeerDown(DiameterPeerConnection peer)
    {
        Events.Enqueue($"down {peer.OriginHost} {peer.Remote.Port}");
        downs.Writer.TryWrite(peer);
    }

    public async Task<DiameterPeerConnection> NextUpAsync() => await ups.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

    public async Task<DiameterPeerConnection> NextDownAsync() => await downs.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
}
