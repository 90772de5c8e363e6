using System.Net;

namespace Simlane.Radius.Server;

/// <summary>Where and how the listener serves. Port 0 binds an ephemeral port (tests read it back).</summary>
public sealed class RadiusListenerOptions
{
    public IPAddress BindAddress { get; set; } = IPAddress.Any;

    public int AuthPort { get; set; } = 1812;

    public int AcctPort { get; set; } = 1813;

    /// <summary>How long an answered request's reply is kept for retransmissions (RFC 5080 2.2.2).</summary>
    public TimeSpan DuplicateWindow { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many requests are handled at once over both ports; further datagrams wait in the socket buffer.</summary>
    public int MaxConcurrentRequests { get; set; } = 256;

    /// <summary>Each socket's kernel receive buffer, so that a burst waits there instead of being lost (the kernel
    /// may cap it, on Linux at net.core.rmem_max).</summary>
    public int ReceiveBufferBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>A handler call that takes longer is cancelled and gets no reply (the NAS retransmits).</summary>
    public TimeSpan HandlerTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (AuthPort is < 0 or > 65535)
        {
            throw new ArgumentException($"The RADIUS auth port must be from 0 to 65535, not {AuthPort}.");
        }
        if (AcctPort is < 0 or > 65535)
        {
            throw new ArgumentException($"The RADIUS accounting port must be from 0 to 65535, not {AcctPort}.");
        }
        if (AuthPort == AcctPort && AuthPort != 0)
        {
            throw new ArgumentException($"The RADIUS auth and accounting ports must differ (both are {AuthPort}).");
        }
        if (DuplicateWindow <= TimeSpan.Zero || HandlerTimeout <= TimeSpan.Zero || MaxConcurrentRequests < 1 || ReceiveBufferBytes < 1)
        {
            throw new ArgumentException("The RADIUS duplicate window, handler timeout and receive buffer must be positive, and at least one request must be allowed at once.");
        }
    }
}
