using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Simlane.Radius.Clients;

/// <summary>
/// One configured RADIUS client (a NAS or proxy): the network its packets come from, the shared secret, the port
/// its Dynamic Authorization Server listens on and whether its Access-Requests must carry a
/// Message-Authenticator. The secret is never part of <see cref="ToString"/>.
/// </summary>
public sealed class RadiusClient
{
    public const int DefaultCoaPort = 3799;

    private readonly byte[] secret;

    public RadiusClient(IPAddress network, int prefixLength, ReadOnlySpan<byte> secret, int coaPort = DefaultCoaPort, bool requireMessageAuthenticator = true)
    {
        ArgumentNullException.ThrowIfNull(network);
        network = Normalize(network);
        int max = network.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        if (prefixLength < 0 || prefixLength > max)
        {
            throw new ArgumentOutOfRangeException(nameof(prefixLength));
        }
        if (secret.IsEmpty)
        {
            throw new ArgumentException("The shared secret is empty.", nameof(secret));
        }
        Network = network;
        PrefixLength = prefixLength;
        this.secret = secret.ToArray();
        CoaPort = coaPort;
        RequireMessageAuthenticator = requireMessageAuthenticator;
    }

    public IPAddress Network { get; }

    public int PrefixLength { get; }

    public int CoaPort { get; }

    public bool RequireMessageAuthenticator { get; }

    /// <summary>The shared secret's bytes. Read it only to compute or check an authenticator.</summary>
    public ReadOnlySpan<byte> Secret => secret;

    /// <summary>The network in CIDR notation, e.g. <c>10.0.0.0/8</c>.</summary>
    public string Cidr => $"{Network}/{PrefixLength.ToString(CultureInfo.InvariantCulture)}";

    public bool Contains(IPAddress address)
    {
        address = Normalize(address);
        if (address.AddressFamily != Network.AddressFamily)
        {
            return false;
        }
        Span<byte> a = stackalloc byte[16];
        Span<byte> n = stackalloc byte[16];
        address.TryWriteBytes(a, out int length);
        Network.TryWriteBytes(n, out _);
        return PrefixMatches(a[..length], n[..length], PrefixLength);
    }

    /// <summary>Never shows the secret.</summary>
    public override string ToString() =>
        $"RADIUS client {Cidr} (coa-port {CoaPort.ToString(CultureInfo.InvariantCulture)}, message-authenticator {(RequireMessageAuthenticator ? "required" : "optional")})";

    /// <summary>IPv4-mapped IPv6 addresses (::ffff:a.b.c.d, as a dual-stack socket reports them) become IPv4.</summary>
    public static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    internal static bool PrefixMatches(ReadOnlySpan<byte> address, ReadOnlySpan<byte> network, int prefixLength)
    {
        int fullBytes = prefixLength / 8;
        if (!address[..fullBytes].SequenceEqual(network[..fullBytes]))
        {
            return false;
        }
        int bits = prefixLength % 8;
        if (bits == 0)
        {
            return true;
        }
        byte mask = unchecked((byte)(0xFF << (8 - bits)));
        return (address[fullBytes] & mask) == (network[fullBytes] & mask);
    }

    internal static Encoding SecretEncoding { get; } = new UTF8Encoding(false, true);
}
