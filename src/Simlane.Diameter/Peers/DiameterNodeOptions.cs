using System.Net;
using Simlane.Diameter.Codec;

namespace Simlane.Diameter.Peers;

/// <summary>Where and as whom the node serves, which peers it admits, and its timers (RFC 6733, RFC 3539).</summary>
public sealed class DiameterNodeOptions
{
    /// <summary>The address to listen on; <see cref="IPAddress.IPv6Any"/> listens on IPv4 as well.</summary>
    public IPAddress BindAddress { get; set; } = IPAddress.Any;

    /// <summary>The TCP port; 3868 is Diameter's, 0 binds an ephemeral port (tests read it back).</summary>
    public int Port { get; set; } = 3868;

    /// <summary>This node's Origin-Host (a DiameterIdentity, usually its FQDN).</summary>
    public string OriginHost { get; set; } = "";

    /// <summary>This node's Origin-Realm.</summary>
    public string OriginRealm { get; set; } = "";

    /// <summary>The peers whose CER is accepted; any other Origin-Host gets 3010 DIAMETER_UNKNOWN_PEER.</summary>
    public IReadOnlyList<DiameterPeerEntry> AllowedPeers { get; set; } = [];

    /// <summary>Product-Name in the CEA.</summary>
    public string ProductName { get; set; } = "Simlane";

    /// <summary>Vendor-Id in the CEA (0: none).</summary>
    public uint VendorId { get; set; }

    /// <summary>Firmware-Revision in the CEA, when set.</summary>
    public uint? FirmwareRevision { get; set; }

    /// <summary>The applications advertised and served (Auth-Application-Id); a CER must share one, or be a relay's.</summary>
    public IReadOnlyList<uint> AuthApplicationIds { get; set; } = [DiameterApplications.CreditControl];

    /// <summary>Tw (RFC 3539 3.4.1): after this long without a message a DWR is sent; after as long again without any
    /// message the connection is closed. No jitter is added.</summary>
    public TimeSpan WatchdogInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A connection that has not sent its CER within this time is closed.</summary>
    public TimeSpan CapabilitiesTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long stopping the node waits for each peer's DPA before closing its connection.</summary>
    public TimeSpan DisconnectTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The largest message accepted; a longer one's header closes the connection (it cannot be skipped safely).</summary>
    public int MaxMessageLength { get; set; } = 65536;

    /// <summary>How many requests of one connection the application may work on at once. When they are all in
    /// progress the node stops reading that connection (TCP back-pressure) until one is answered.</summary>
    public int MaxRequestsInFlightPerPeer { get; set; } = 4096;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (BindAddress is null)
        {
            throw new ArgumentException("The Diameter bind address is required.");
        }
        if (Port is < 0 or > 65535)
        {
            throw new ArgumentException($"The Diameter port must be from 0 to 65535, not {Port}.");
        }
        if (DiameterIdentity.Validate(OriginHost) is { } host)
        {
            throw new ArgumentException($"The Diameter Origin-Host {host}.");
        }
        if (DiameterIdentity.Validate(OriginRealm) is { } realm)
        {
            throw new ArgumentException($"The Diameter Origin-Realm {realm}.");
        }
        if (AllowedPeers is null || AllowedPeers.Any(p => p is null || !DiameterIdentity.IsValid(p.OriginHost)))
        {
            throw new ArgumentException("Every allowed Diameter peer needs a valid Origin-Host.");
        }
        if (string.IsNullOrEmpty(ProductName))
        {
            throw new ArgumentException("The Diameter Product-Name is required.");
        }
        if (AuthApplicationIds is null || AuthApplicationIds.Count == 0)
        {
            throw new ArgumentException("At least one Diameter Auth-Application-Id must be served.");
        }
        if (WatchdogInterval <= TimeSpan.Zero || CapabilitiesTimeout <= TimeSpan.Zero || DisconnectTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("The Diameter watchdog interval, capabilities timeout and disconnect timeout must be positive.");
        }
        if (MaxMessageLength is < DiameterMessage.HeaderSize or > DiameterMessage.MaxLength)
        {
            throw new ArgumentException($"The Diameter maximum message length must be from {DiameterMessage.HeaderSize} to {DiameterMessage.MaxLength}, not {MaxMessageLength}.");
        }
        if (MaxRequestsInFlightPerPeer < 1)
        {
            throw new ArgumentException("At least one Diameter request per peer must be allowed in flight.");
        }
    }
}
