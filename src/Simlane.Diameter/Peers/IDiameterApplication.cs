using Simlane.Diameter.Codec;

namespace Simlane.Diameter.Peers;

/// <summary>
/// The application behind the node (the server's Gy credit-control). The node calls it for every request of an
/// advertised application on an open connection, after its own checks (decodes, no unsupported mandatory AVP), and
/// concurrently: one connection carries many requests at once, up to
/// <see cref="DiameterNodeOptions.MaxRequestsInFlightPerPeer"/>.
/// </summary>
public interface IDiameterApplication
{
    /// <summary>
    /// Returns the answer to <paramref name="request"/> (build it with <see cref="DiameterMessage.CreateAnswer"/>; the
    /// node sets its ids and command code from the request in any case). If this throws, the node answers 5012
    /// DIAMETER_UNABLE_TO_COMPLY and the connection stays up — except for a <see cref="DiameterAvpException"/>, which
    /// is answered with its own result code (5014 or 5004) and its AVP in Failed-AVP. The token is cancelled when the
    /// connection closes or the node stops; no answer is sent then.
    /// </summary>
    Task<DiameterMessage> HandleRequestAsync(DiameterPeerConnection peer, DiameterMessage request, CancellationToken cancellationToken);

    /// <summary>The peer finished its capabilities exchange; its requests may follow at once. Must not block.</summary>
    void PeerUp(DiameterPeerConnection peer);

    /// <summary>The open connection closed (or was replaced by a newer one from the same Origin-Host). Must not block;
    /// called once per <see cref="PeerUp"/>.</summary>
    void PeerDown(DiameterPeerConnection peer);
}
