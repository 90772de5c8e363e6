using System.Net;

namespace Simlane.Diameter.Peers;

/// <summary>
/// One peer allowed to connect: its Origin-Host (DiameterIdentity, compared case-insensitively) and, optionally, the
/// only source address its connections may come from. Without an address, any source that presents this Origin-Host
/// in its CER is accepted.
/// </summary>
public sealed record DiameterPeerEntry(string OriginHost, IPAddress? Address)
{
    /// <summary>
    /// Parses the flag form <c>HOST[=ADDRESS]</c>, e.g. <c>pgw.example.org</c> or <c>pgw.example.org=10.0.0.7</c>.
    /// Throws <see cref="FormatException"/> naming the entry when the host is not a DiameterIdentity or the address is
    /// not an IP address.
    /// </summary>
    public static DiameterPeerEntry Parse(string entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        string text = entry.Trim();
        int equals = text.IndexOf('=', StringComparison.Ordinal);
        string host = equals < 0 ? text : text[..equals].Trim();
        if (DiameterIdentity.Validate(host) is { } problem)
        {
            throw new FormatException($"Diameter peer '{entry}': the host {problem}; expected HOST or HOST=ADDRESS.");
        }
        if (equals < 0)
        {
            return new DiameterPeerEntry(host, null);
        }
        string address = text[(equals + 1)..].Trim();
        if (!IPAddress.TryParse(address, out var ip) || address.Contains('/', StringComparison.Ordinal))
        {
            throw new FormatException($"Diameter peer '{entry}': '{address}' is not an IPv4 or IPv6 address; expected HOST or HOST=ADDRESS.");
        }
        return new DiameterPeerEntry(host, ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip);
    }

    /// <summary>Whether a connection from <paramref name="source"/> may present this entry's Origin-Host.</summary>
    public bool Admits(IPAddress source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (Address is null)
        {
            return true;
        }
        var unmapped = source.IsIPv4MappedToIPv6 ? source.MapToIPv4() : source;
        return Address.Equals(unmapped);
    }

    public override string ToString() => Address is null ? OriginHost : $"{OriginHost}={Address}";
}

/// <summary>The DiameterIdentity rules this node applies to host and realm names (RFC 6733 4.3.1).</summary>
public static class DiameterIdentity
{
    /// <summary>The longest identity accepted (an FQDN is at most 255 bytes).</summary>
    public const int MaxLength = 255;

    /// <summary>Null when <paramref name="identity"/> is non-empty, at most 255 characters and printable ASCII without
    /// spaces; otherwise what is wrong, as a phrase ("is empty", …).</summary>
    public static string? Validate(string? identity)
    {
        if (string.IsNullOrEmpty(identity))
        {
            return "is empty";
        }
        if (identity.Length > MaxLength)
        {
            return $"is {identity.Length} characters, more than {MaxLength}";
        }
        foreach (char c in identity)
        {
            if (c is <= ' ' or > '~')
            {
                return "must be printable ASCII without spaces";
            }
        }
        return null;
    }

    public static bool IsValid(string? identity) => Validate(identity) is null;
}
