using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Simlane.Radius.Clients;

/// <summary>A client entry that could not be parsed. The message names the entry by position and address, never by secret.</summary>
public sealed class RadiusClientFormatException(string message) : FormatException(message);

/// <summary>
/// The configured clients, looked up by a packet's source address: the most specific network (longest prefix)
/// that contains it wins. Two entries for the same network are an error; nested networks are allowed (a /32
/// inside a /24 overrides it for that address).
/// </summary>
public sealed class RadiusClientTable
{
    private readonly RadiusClient[] clients; // longest prefix first

    public RadiusClientTable(IEnumerable<RadiusClient> clients)
    {
        ArgumentNullException.ThrowIfNull(clients);
        var list = clients.ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var client in list)
        {
            if (!seen.Add(client.Cidr))
            {
                throw new RadiusClientFormatException($"RADIUS client {client.Cidr} is configured twice.");
            }
        }
        this.clients = [.. list.OrderByDescending(c => c.PrefixLength)];
    }

    public static RadiusClientTable Empty { get; } = new([]);

    public IReadOnlyList<RadiusClient> Clients => clients;

    public bool IsEmpty => clients.Length == 0;

    /// <summary>The client for a source address, or null when no configured network covers it.</summary>
    public RadiusClient? Find(IPAddress source)
    {
        foreach (var client in clients)
        {
            if (client.Contains(source))
            {
                return client;
            }
        }
        return null;
    }

    /// <summary>Parses <c>--radius-client</c> values (each one entry) and/or <c>SIMLANE_RADIUS_CLIENTS</c> values
    /// (each a <c>;</c>-separated list). Empty list items are ignored.</summary>
    public static RadiusClientTable Parse(IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var clients = new List<RadiusClient>();
        int index = 0;
        foreach (var value in values)
        {
            foreach (var item in value.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                index++;
                clients.Add(ParseEntry(item, index));
            }
        }
        return new RadiusClientTable(clients);
    }

    /// <summary>Parses one <c>ADDRESS[/PREFIX]=SECRET[,coa-port=PORT][,require-message-authenticator=false]</c>.</summary>
    public static RadiusClient ParseEntry(string entry, int index = 1)
    {
        ArgumentNullException.ThrowIfNull(entry);
        int equals = entry.IndexOf('=', StringComparison.Ordinal);
        string where = $"RADIUS client #{index.ToString(CultureInfo.InvariantCulture)}";
        if (equals < 0)
        {
            throw new RadiusClientFormatException($"{where}: expected ADDRESS[/PREFIX]=SECRET[,coa-port=PORT][,require-message-authenticator=false].");
        }
        string addressPart = entry[..equals].Trim();
        where = $"{where} ({(addressPart.Length == 0 ? "no address" : addressPart)})";
        var (network, prefix) = ParseNetwork(addressPart, where);

        // The secret runs to the first comma: a secret cannot contain ',' (nor ';', the list separator).
        string rest = entry[(equals + 1)..];
        int optionsAt = rest.IndexOf(',', StringComparison.Ordinal);
        string secret = optionsAt < 0 ? rest : rest[..optionsAt];
        if (secret.Length == 0)
        {
            throw new RadiusClientFormatException($"{where}: the shared secret is empty.");
        }
        int coaPort = RadiusClient.DefaultCoaPort;
        bool requireMessageAuthenticator = true;
        var given = new HashSet<string>(StringComparer.Ordinal);
        if (optionsAt >= 0)
        {
            foreach (var option in rest[(optionsAt + 1)..].Split(','))
            {
                int eq = option.IndexOf('=', StringComparison.Ordinal);
                string name = (eq < 0 ? option : option[..eq]).Trim();
                string value = eq < 0 ? "" : option[(eq + 1)..].Trim();
                if (!given.Add(name))
                {
                    throw new RadiusClientFormatException($"{where}: option '{name}' is given twice.");
                }
                switch (name)
                {
                    case "coa-port":
                        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out coaPort) || coaPort is < 1 or > 65535)
                        {
                            throw new RadiusClientFormatException($"{where}: coa-port must be a port number from 1 to 65535, not '{value}'.");
                        }
                        break;
                    case "require-message-authenticator":
                        if (value is not ("true" or "false"))
                        {
                            throw new RadiusClientFormatException($"{where}: require-message-authenticator must be true or false, not '{value}'.");
                        }
                        requireMessageAuthenticator = value == "true";
                        break;
                    default:
                        throw new RadiusClientFormatException($"{where}: unknown option '{name}' (known: coa-port, require-message-authenticator).");
                }
            }
        }
        return new RadiusClient(network, prefix, RadiusClient.SecretEncoding.GetBytes(secret), coaPort, requireMessageAuthenticator);
    }

    private static (IPAddress Network, int Prefix) ParseNetwork(string text, string where)
    {
        if (text.Length == 0)
        {
            throw new RadiusClientFormatException($"{where}: the address is empty.");
        }
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        string addressText = slash < 0 ? text : text[..slash];
        if (!IPAddress.TryParse(addressText, out var address) || addressText.Contains('%', StringComparison.Ordinal)
            || (address.AddressFamily == AddressFamily.InterNetwork && addressText.Count(c => c == '.') != 3))
        {
            throw new RadiusClientFormatException($"{where}: '{addressText}' is not an IPv4 or IPv6 address.");
        }
        address = RadiusClient.Normalize(address);
        int max = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        int prefix = max;
        if (slash >= 0)
        {
            string prefixText = text[(slash + 1)..];
            if (!int.TryParse(prefixText, NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > max)
            {
                throw new RadiusClientFormatException($"{where}: the prefix length must be a number from 0 to {max.ToString(CultureInfo.InvariantCulture)}, not '{prefixText}'.");
            }
        }
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out int length);
        var masked = bytes[..length].ToArray();
        for (int bit = prefix; bit < length * 8; bit++)
        {
            masked[bit / 8] &= unchecked((byte)~(0x80 >> (bit % 8)));
        }
        if (!masked.AsSpan().SequenceEqual(bytes[..length]))
        {
            throw new RadiusClientFormatException($"{where}: host bits are set below the prefix; the network is {new IPAddress(masked)}/{prefix.ToString(CultureInfo.InvariantCulture)}.");
        }
        return (address, prefix);
    }
}
