using System.Net;
using System.Net.Sockets;

namespace Simlane.TestSupport;

public static class LoopbackPorts
{
    /// <summary>
    /// A TCP port on 127.0.0.1 that nothing listens on right now (the system picked it and it was released): for a
    /// server that is down, or one a test must start twice on the same port.
    /// </summary>
    public static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
