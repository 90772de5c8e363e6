using System.Net;

namespace Simlane.Server.Radius;

/// <summary>Where the RADIUS listener is bound (the real ports when 0 was configured); null while RADIUS is off.</summary>
public sealed class RadiusEndpoints
{
    public IPEndPoint? Auth { get; internal set; }

    public IPEndPoint? Acct { get; internal set; }
}
