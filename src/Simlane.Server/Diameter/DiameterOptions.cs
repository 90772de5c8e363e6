using System.Globalization;
using System.Net;
using Simlane.Diameter.Peers;

namespace Simlane.Server.Diameter;

/// <summary>
/// The <c>Simlane:Diameter</c> section (docs/diameter.md): the Diameter Gy node inside simlane-server, off unless at least
/// one peer is configured. Flags: <c>--diameter-peer</c> (repeatable), <c>--diameter-port</c>, <c>--diameter-bind</c>,
/// <c>--diameter-origin-host</c>, <c>--diameter-origin-realm</c>; environment: <c>SIMLANE_DIAMETER_PEERS</c> (a
/// <c>;</c>-separated list) and the twins of the others.
/// </summary>
public sealed class DiameterOptions
{
    public const string Section = "Simlane:Diameter";

    /// <summary>Allowed peers, <c>ORIGIN-HOST[=ADDRESS]</c>; an entry may hold several separated by <c>;</c>. Empty: no port is opened.</summary>
    public List<string> Peers { get; set; } = [];

    /// <summary>The TCP port (RFC 6733's 3868). 0 lets the system choose (tests).</summary>
    public int Port { get; set; } = 3868;

    /// <summary>The address the listener binds to (<c>0.0.0.0</c>; <c>::</c> is dual-stack).</summary>
    public string Bind { get; set; } = "0.0.0.0";

    /// <summary>Simlane's own DiameterIdentity, sent as Origin-Host; the peers' configuration names it as their OCS.</summary>
    public string OriginHost { get; set; } = "simlane.localdomain";

    /// <summary>Simlane's realm, sent as Origin-Realm.</summary>
    public string OriginRealm { get; set; } = "localdomain";

    /// <summary>Octets granted per Credit-Control-Answer (Granted-Service-Unit / CC-Total-Octets); 1024 to 4294967295, default 10 MiB.</summary>
    public long QuotaOctets { get; set; } = 10L * 1024 * 1024;

    /// <summary>Validity-Time of a grant, seconds: the peer reports and asks again at the latest then; 10 to 86400, default 300.</summary>
    public int ValidityTimeSeconds { get; set; } = 300;

    /// <summary>Device-Watchdog interval Tw (RFC 6733 5.5), seconds; 6 to 3600, default 30.</summary>
    public int WatchdogSeconds { get; set; } = 30;

    /// <summary>How long one Re-Auth-Request attempt waits for its answer, ms; 100 to 60000, default 5000.</summary>
    public int ReAuthTimeoutMilliseconds { get; set; } = 5000;

    public bool Enabled => Peers.Any(p => !string.IsNullOrWhiteSpace(p));

    /// <summary>The allowed peers the entries describe; throws <see cref="FormatException"/> naming the bad entry.</summary>
    public IReadOnlyList<DiameterPeerEntry> PeerEntries() =>
        Peers.SelectMany(p => p.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(DiameterPeerEntry.Parse).ToList();

    public IPAddress BindAddress() => IPAddress.Parse(Bind);

    public DiameterNodeOptions NodeOptions() => new()
    {
        BindAddress = BindAddress(),
        Port = Port,
        OriginHost = OriginHost,
        OriginRealm = OriginRealm,
        AllowedPeers = PeerEntries(),
        WatchdogInterval = TimeSpan.FromSeconds(WatchdogSeconds),
    };

    public void Validate()
    {
        if (!IPAddress.TryParse(Bind, out _))
        {
            throw new InvalidOperationException($"Simlane:Diameter:Bind (--diameter-bind): '{Bind}' is not an IP address");
        }

        if (Port is < 0 or > 65535)
        {
            throw new InvalidOperationException($"Simlane:Diameter:Port (--diameter-port) must be between 0 and 65535, not {Port.ToString(CultureInfo.InvariantCulture)}");
        }

        foreach (var (name, flag, value) in new[] { ("OriginHost", "--diameter-origin-host", OriginHost), ("OriginRealm", "--diameter-origin-realm", OriginRealm) })
        {
            if (!IsIdentity(value))
            {
                throw new InvalidOperationException($"Simlane:Diameter:{name} ({flag}): '{value}' is not a DiameterIdentity (a host or realm name: letters, digits, '.', '-', at most 255)");
            }
        }

        if (QuotaOctets is < 1024 or > uint.MaxValue)
        {
            throw new InvalidOperationException($"Simlane:Diameter:QuotaOctets must be between 1024 and {uint.MaxValue.ToString(CultureInfo.InvariantCulture)}, not {QuotaOctets.ToString(CultureInfo.InvariantCulture)}");
        }

        foreach (var (name, value, min, max) in new[]
                 {
                     (nameof(ValidityTimeSeconds), ValidityTimeSeconds, 10, 86_400),
                     (nameof(WatchdogSeconds), WatchdogSeconds, 6, 3600),
                     (nameof(ReAuthTimeoutMilliseconds), ReAuthTimeoutMilliseconds, 100, 60_000),
                 })
        {
            if (value < min || value > max)
            {
                throw new InvalidOperationException($"Simlane:Diameter:{name} must be between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}, not {value.ToString(CultureInfo.InvariantCulture)}");
            }
        }

        try
        {
            var entries = PeerEntries();
            var twice = entries.GroupBy(e => e.OriginHost, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
            if (twice is not null)
            {
                throw new FormatException($"peer '{twice.Key}' is listed twice");
            }
        }
        catch (FormatException e)
        {
            throw new InvalidOperationException($"Simlane:Diameter:Peers (--diameter-peer, SIMLANE_DIAMETER_PEERS): {e.Message}", e);
        }
    }

    private static bool IsIdentity(string? value) =>
        value is { Length: > 0 and <= 255 } && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_') && value[0] != '.' && value[^1] != '.';
}
