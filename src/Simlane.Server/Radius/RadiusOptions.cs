using System.Globalization;
using System.Net;
using Simlane.Core.Sims;
using Simlane.Radius.Clients;
using Simlane.Radius.Codec;

namespace Simlane.Server.Radius;

/// <summary>
/// The <c>Simlane:Radius</c> section (docs/radius.md): the RADIUS server inside simlane-server, off unless at least one
/// client is configured. Flags: <c>--radius-client</c> (repeatable), <c>--radius-auth-port</c>, <c>--radius-acct-port</c>,
/// <c>--radius-bind</c>; environment: <c>SIMLANE_RADIUS_CLIENTS</c> (a <c>;</c>-separated list) and the port/bind twins.
/// </summary>
public sealed class RadiusOptions
{
    public const string Section = "Simlane:Radius";

    /// <summary>
    /// Client entries, <c>ADDRESS[/PREFIX]=SECRET[,coa-port=PORT][,require-message-authenticator=false]</c>; an entry may
    /// itself hold several separated by <c>;</c> (the environment variable's form). Empty: no RADIUS port is opened.
    /// </summary>
    public List<string> Clients { get; set; } = [];

    public int AuthPort { get; set; } = 1812;

    public int AcctPort { get; set; } = 1813;

    /// <summary>The address both sockets bind to (<c>0.0.0.0</c>; <c>::</c> is dual-stack).</summary>
    public string Bind { get; set; } = "0.0.0.0";

    /// <summary>
    /// The rates an Access-Accept and a CoA-Request carry for a speed class (WISPr-Bandwidth-Max-Up/Down, bit/s). The
    /// defaults are the nominal rates of SORACOM's classes; a class missing from the map gets no rate attributes
    /// (the gateway's own default applies). Override per class: <c>Simlane:Radius:Rates:s1.fast:Up=4000000</c>.
    /// </summary>
    public Dictionary<string, RadiusRate> Rates { get; set; } = new(StringComparer.Ordinal)
    {
        [SpeedClasses.S1Minimum] = new(32_000, 32_000),
        [SpeedClasses.S1Slow] = new(128_000, 128_000),
        [SpeedClasses.S1Standard] = new(512_000, 512_000),
        [SpeedClasses.S1Fast] = new(2_000_000, 2_000_000),
        [SpeedClasses.S1FourXFast] = new(8_000_000, 8_000_000),
        [SpeedClasses.S1EightXFast] = new(16_000_000, 16_000_000),
        [SpeedClasses.U1Slow] = new(128_000, 128_000),
        [SpeedClasses.U1Standard] = new(512_000, 512_000),
    };

    /// <summary>Acct-Interim-Interval sent in every Access-Accept, seconds (RFC 2869 advises at least 60). 0: none sent.</summary>
    public int InterimIntervalSeconds { get; set; } = 300;

    /// <summary>
    /// How long a Disconnect-Request or CoA-Request that gets no answer is retried, from the change that owed it; then it is
    /// failed. Seconds, 10 to 604800 (7 days); default 1 hour (docs/radius.md, "Dynamic authorization").
    /// </summary>
    public int DynamicAuthorizationDeadlineSeconds { get; set; } = 3600;

    /// <summary>Wait for an ACK/NAK after the first transmission of an attempt, ms (doubled per retransmission, at most 8x); 100 to 30000.</summary>
    public int DynamicAuthorizationTimeoutMilliseconds { get; set; } = 1000;

    /// <summary>Transmissions of the same packet in one attempt (RFC 5080 retransmission); 1 to 10.</summary>
    public int DynamicAuthorizationTransmissions { get; set; } = 3;

    /// <summary>Delay before the second attempt of a request that got no answer, seconds, doubled per attempt with jitter; 1 to 3600.</summary>
    public int DynamicAuthorizationInitialBackoffSeconds { get; set; } = 5;

    /// <summary>The longest delay between two attempts, seconds; at least the initial backoff, at most 86400.</summary>
    public int DynamicAuthorizationMaxBackoffSeconds { get; set; } = 300;

    /// <summary>The retransmission policy of one attempt.</summary>
    public Simlane.Radius.DynamicAuthorization.DynamicAuthorizationRetry AttemptRetry() => new()
    {
        InitialTimeout = TimeSpan.FromMilliseconds(DynamicAuthorizationTimeoutMilliseconds),
        MaxTimeout = TimeSpan.FromMilliseconds(DynamicAuthorizationTimeoutMilliseconds * 8L),
        MaxTransmissions = DynamicAuthorizationTransmissions,
    };

    /// <summary>The rate attributes for <paramref name="speedClass"/>, none if the class is not in <see cref="Rates"/>.</summary>
    public IReadOnlyList<RadiusAttributeValue> RateAttributes(string? speedClass) =>
        speedClass is not null && Rates.TryGetValue(speedClass, out var rate)
            ? [RadiusAttributeValue.FromNumber(RadiusAttributes.WisprBandwidthMaxUp, rate.Up), RadiusAttributeValue.FromNumber(RadiusAttributes.WisprBandwidthMaxDown, rate.Down)]
            : [];

    public bool Enabled => Clients.Any(c => !string.IsNullOrWhiteSpace(c));

    /// <summary>The client table the entries describe; throws <see cref="RadiusClientFormatException"/> naming the bad entry (never its secret).</summary>
    public RadiusClientTable ClientTable() => Enabled ? RadiusClientTable.Parse(Clients.Where(c => !string.IsNullOrWhiteSpace(c))) : RadiusClientTable.Empty;

    public IPAddress BindAddress() => IPAddress.Parse(Bind);

    public void Validate()
    {
        if (!IPAddress.TryParse(Bind, out _))
        {
            throw new InvalidOperationException($"Simlane:Radius:Bind (--radius-bind): '{Bind}' is not an IP address");
        }

        foreach (var (name, port) in new[] { ("AuthPort (--radius-auth-port)", AuthPort), ("AcctPort (--radius-acct-port)", AcctPort) })
        {
            // 0 lets the system choose (tests read the bound port back); a server on a real network names one.
            if (port is < 0 or > 65535)
            {
                throw new InvalidOperationException($"Simlane:Radius:{name} must be between 0 and 65535, not {port.ToString(CultureInfo.InvariantCulture)}");
            }
        }

        if (AuthPort == AcctPort && AuthPort != 0)
        {
            throw new InvalidOperationException($"Simlane:Radius: the auth and accounting ports must differ (both {AuthPort.ToString(CultureInfo.InvariantCulture)})");
        }

        if (InterimIntervalSeconds is not (0 or (>= 60 and <= 86_400)))
        {
            throw new InvalidOperationException($"Simlane:Radius:InterimIntervalSeconds must be 0 (none) or between 60 and 86400, not {InterimIntervalSeconds.ToString(CultureInfo.InvariantCulture)}");
        }

        foreach (var (name, value, min, max) in new[]
                 {
                     (nameof(DynamicAuthorizationDeadlineSeconds), DynamicAuthorizationDeadlineSeconds, 10, 604_800),
                     (nameof(DynamicAuthorizationTimeoutMilliseconds), DynamicAuthorizationTimeoutMilliseconds, 100, 30_000),
                     (nameof(DynamicAuthorizationTransmissions), DynamicAuthorizationTransmissions, 1, 10),
                     (nameof(DynamicAuthorizationInitialBackoffSeconds), DynamicAuthorizationInitialBackoffSeconds, 1, 3600),
                     (nameof(DynamicAuthorizationMaxBackoffSeconds), DynamicAuthorizationMaxBackoffSeconds, DynamicAuthorizationInitialBackoffSeconds, 86_400),
                 })
        {
            if (value < min || value > max)
            {
                throw new InvalidOperationException($"Simlane:Radius:{name} must be between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}, not {value.ToString(CultureInfo.InvariantCulture)}");
            }
        }

        foreach (var (speedClass, rate) in Rates)
        {
            if (!SpeedClasses.All.Contains(speedClass))
            {
                throw new InvalidOperationException($"Simlane:Radius:Rates: '{speedClass}' is not a speed class ({string.Join(", ", SpeedClasses.All)})");
            }

            if (rate is null || rate.Up == 0 || rate.Down == 0)
            {
                throw new InvalidOperationException($"Simlane:Radius:Rates:{speedClass}: Up and Down must be positive bit/s");
            }
        }

        try
        {
            _ = ClientTable();
        }
        catch (RadiusClientFormatException e)
        {
            throw new InvalidOperationException($"Simlane:Radius:Clients (--radius-client, SIMLANE_RADIUS_CLIENTS): {e.Message}", e);
        }
    }
}

/// <summary>Upload and download limits of a speed class, bit/s.</summary>
public sealed class RadiusRate
{
    public RadiusRate()
    {
    }

    public RadiusRate(uint up, uint down) => (Up, Down) = (up, down);

    public uint Up { get; set; }

    public uint Down { get; set; }
}
