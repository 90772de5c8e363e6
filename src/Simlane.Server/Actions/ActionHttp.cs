using System.Net;
using System.Net.Sockets;

namespace Simlane.Server.Actions;

/// <summary>
/// The HTTP stack of the outgoing actions: no redirects, no cookies, no proxy, and an address guard in the
/// connect step. The guard resolves the host itself, refuses it when any of its addresses is loopback,
/// private, link-local, unique-local or unspecified (unless <see cref="ActionOptions.AllowPrivateAddresses"/>),
/// and then connects to exactly the addresses it checked, so a second DNS answer cannot point the request
/// somewhere else (DNS rebinding). Every new connection goes through it, pooled ones included.
/// </summary>
public static class ActionHttp
{
    /// <summary>The name of the <see cref="IHttpClientFactory"/> client the executors use.</summary>
    public const string ClientName = "simlane-actions";

    /// <summary>The first <typeparamref name="T"/> in <paramref name="exception"/> or its inner exceptions, outermost first.</summary>
    public static T? FindInner<T>(Exception? exception)
        where T : Exception
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is T found)
            {
                return found;
            }
        }

        return null;
    }

    public static SocketsHttpHandler CreateHandler(bool allowPrivateAddresses) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,

        // A proxy would be the only address the guard sees; the target must be checked instead.
        UseProxy = false,
        AutomaticDecompression = DecompressionMethods.None,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectCallback = (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, allowPrivateAddresses, cancellationToken),
    };

    private static async ValueTask<Stream> ConnectAsync(DnsEndPoint endPoint, bool allowPrivateAddresses, CancellationToken cancellationToken)
    {
        var host = endPoint.Host.TrimStart('[').TrimEnd(']');
        var addresses = IPAddress.TryParse(host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken);
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        if (!allowPrivateAddresses)
        {
            foreach (var address in addresses)
            {
                if (Classify(address) is { } kind)
                {
                    throw new AddressRefusedException(host, address, kind);
                }
            }
        }

        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last!;
    }

    /// <summary>
    /// Why <paramref name="address"/> must not be called from a production server (e.g. <c>"loopback"</c>),
    /// or null for a public address. IPv4 addresses embedded in IPv6 (mapped, compatible, NAT64, 6to4) are
    /// judged by the IPv4 address they carry.
    /// </summary>
    public static string? Classify(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return Classify(address.MapToIPv4());
        }

        var bytes = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return (bytes[0], bytes[1]) switch
            {
                (0, _) => "unspecified",
                (127, _) => "loopback",
                (10, _) => "private",
                (172, >= 16 and <= 31) => "private",
                (192, 168) => "private",
                (100, >= 64 and <= 127) => "private (carrier-grade NAT)",
                (169, 254) => "link-local",
                (>= 224, _) => "multicast or reserved",
                _ => null,
            };
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return "non-IP";
        }

        if (address.Equals(IPAddress.IPv6None) || address.Equals(IPAddress.IPv6Any))
        {
            return "unspecified";
        }

        if (address.Equals(IPAddress.IPv6Loopback))
        {
            return "loopback";
        }

        if (address.IsIPv6LinkLocal)
        {
            return "link-local";
        }

        if (address.IsIPv6UniqueLocal || address.IsIPv6SiteLocal)
        {
            return "unique-local";
        }

        if (address.IsIPv6Multicast)
        {
            return "multicast or reserved";
        }

        // ::a.b.c.d (IPv4-compatible) and 64:ff9b::a.b.c.d (NAT64) carry an IPv4 address in their last 4 bytes.
        var compatible = bytes.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0;
        var nat64 = bytes is [0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0, ..];
        if (compatible || nat64)
        {
            return Classify(new IPAddress(bytes.AsSpan(12, 4)));
        }

        // 2002:a.b.c.d::/48 (6to4) carries it in bytes 2 to 5.
        if (bytes[0] == 0x20 && bytes[1] == 0x02)
        {
            return Classify(new IPAddress(bytes.AsSpan(2, 4)));
        }

        return null;
    }
}

/// <summary>The address guard refused a host: a permanent failure, never retried.</summary>
public sealed class AddressRefusedException(string host, IPAddress address, string kind) : Exception(Describe(host, address, kind))
{
    public IPAddress Address { get; } = address;

    private static string Describe(string host, IPAddress address, string kind)
    {
        var what = host == address.ToString() ? $"{address} is not a public address ({kind})" : $"{host} resolves to {address}, not a public address ({kind})";
        return $"{what}; requests to private networks are turned off (Simlane:Actions:AllowPrivateAddresses, --allow-private-addresses)";
    }
}
