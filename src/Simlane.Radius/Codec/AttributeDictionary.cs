using System.Collections.Frozen;

namespace Simlane.Radius.Codec;

/// <summary>How an attribute's value is laid out on the wire (RFC 8044 data types).</summary>
public enum RadiusDataType
{
    /// <summary>UTF-8 text, 1..253 bytes.</summary>
    Text,
    /// <summary>Opaque bytes.</summary>
    Octets,
    /// <summary>32-bit unsigned, network order.</summary>
    Number,
    /// <summary>IPv4 address, 4 bytes.</summary>
    IPv4Address,
    /// <summary>Seconds since 1970-01-01 UTC, 32-bit unsigned.</summary>
    Time,
    /// <summary>One unsigned byte (3GPP-RAT-Type and friends).</summary>
    Byte,
    /// <summary>Vendor-Specific container (type 26).</summary>
    VendorSpecific,
}

/// <summary>One dictionary entry: a standard attribute (<see cref="VendorId"/> 0) or a vendor's sub-attribute.</summary>
public sealed record RadiusAttributeDefinition(string Name, uint VendorId, byte Type, RadiusDataType DataType)
{
    /// <summary>Named values of an enumerated integer attribute (e.g. Acct-Status-Type Start = 1).</summary>
    public IReadOnlyDictionary<string, uint> Values { get; init; } = FrozenDictionary<string, uint>.Empty;

    /// <summary>The fixed value size this type demands, or null when it varies.</summary>
    public int? FixedSize => DataType switch
    {
        RadiusDataType.Number or RadiusDataType.IPv4Address or RadiusDataType.Time => 4,
        RadiusDataType.Byte => 1,
        _ => Type == RadiusAttributes.MessageAuthenticatorType && VendorId == 0 ? 16 : null,
    };

    public override string ToString() => Name;
}

/// <summary>Vendor numbers (IANA private enterprise numbers) the dictionary knows.</summary>
public static class RadiusVendors
{
    /// <summary>3GPP, TS 29.061 16.4.7.</summary>
    public const uint ThreeGpp = 10415;
    /// <summary>Wi-Fi Alliance WISPr.</summary>
    public const uint Wispr = 14122;
}

/// <summary>
/// The attribute dictionary: RFC 2865, 2866, 2869, 5176 and the 3GPP (TS 29.061) and WISPr vendor attributes
/// Simlane reads or writes. One table; lookups by (vendor, type) and by name.
/// </summary>
public static class RadiusAttributes
{
    internal const byte MessageAuthenticatorType = 80;
    internal const byte VendorSpecificType = 26;

    private static RadiusAttributeDefinition Std(string name, byte type, RadiusDataType t) => new(name, 0, type, t);
    private static RadiusAttributeDefinition Gpp(string name, byte type, RadiusDataType t) => new(name, RadiusVendors.ThreeGpp, type, t);

    // RFC 2865
    public static readonly RadiusAttributeDefinition UserName = Std("User-Name", 1, RadiusDataType.Text);
    public static readonly RadiusAttributeDefinition UserPassword = Std("User-Password", 2, RadiusDataType.Octets);
    public static readonly RadiusAttributeDefinition ChapPassword = Std("CHAP-Password", 3, RadiusDataType.Octets);
    public static readonly RadiusAttributeDefinition NasIpAddress = Std("NAS-IP-Address", 4, RadiusDataType.IPv4Address);
    public static readonly RadiusAttributeDefinition NasPort = Std("NAS-Port", 5, RadiusDataType.Number);
    public static readonly RadiusAttributeDefinition ServiceType = Std("Service-Type", 6, RadiusDataType.Number) with
    {
        Values = Named(("Login-User", 1), ("Framed-User", 2), ("Callback-Login-User", 3), ("Callback-Framed-User", 4),
            ("Outbound-User", 5), ("Administrative-User", 6), ("NAS-Prompt-User", 7), ("Authenticate-Only", 8),
            ("Callback-NAS-Prompt", 9), ("Call-Check", 10), ("Callback-Administrative", 11), ("Authorize-Only", 17)),
    };
    public static readonly RadiusAttributeDefinition FramedProtocol = Std("Framed-Protocol", 7, RadiusDataType.Number) with
    {
        Values = Named(("PPP", 1), ("SLIP", 2), ("ARAP", 3), ("Gandalf-SLML", 4), ("Xylogics-IPX-SLIP", 5), ("X.75-Synchronous", 6), ("GPRS-PDP-Context", 7)),
    };
    public static readonly RadiusAttributeDefinition FramedIpAddress = Std("Framed-IP-Address", 8, RadiusDataType.IPv4Address);
    public static readonly RadiusAttributeDefinition ReplyMessage = Std("Reply-Message", 18, RadiusDataType.Text);
    public static readonly RadiusAttributeDefinition State = Std("State", 24, RadiusDataType.Octets);
    public static readonly RadiusAttributeDefinition Class = Std("Class", 25, RadiusDataType.Octets);
    public static readonly RadiusAttributeDefinition VendorSpecific = Std("Vendor-Specific", VendorSpecificType, RadiusDataType.VendorSpecific);
    public static readonly RadiusAttributeDefinition SessionTimeout = Std("Session-Timeout", 27, RadiusDataType.Number);
    public static readonly RadiusAttributeDefinition IdleTimeout = Std("Idle-Timeout", 28, RadiusDataType.Number);
    public static readonly RadiusAttributeDefinition CalledStationId = Std("Called-Station-Id", 30, RadiusDataType.Text);
    public static readonly RadiusAttributeDefinition CallingStationId = Std("Calling-Station-Id", 31, RadiusDataType.Text);
    public static readonly RadiusAttributeDefinition NasIdentifier = Std("NAS-Identifier", 32, RadiusDataType.Text);
    public static readonly RadiusAttributeDefinition ProxyState = Std("Proxy-State", 33, RadiusDataType.Octets);
    public static readonly RadiusAttributeDefinition ChapChallenge = Std("CHAP-Challenge", 60, RadiusDataType.Octets);
    public static readonly RadiusAttributeDefinition NasPortType = Std("NAS-Port-Type", 61, RadiusDataType.Number) with
    {
        Values = Named(("Async", 0), ("Sync", 1), ("Virtual", 5), ("Ethernet", 15), ("Wireless-802.11", 19),
            ("Wireless-Other", 18), ("Wireless-CDMA2000", 22), ("Wireless-UMTS", 23), ("Wireless-1X-EV", 24)),
    };

    // RFC 2866
    public static readonly RadiusAttributeDefinition AcctStatusType = Std("Acct-Status-Type", 40, RadiusDataType.Number) with
    {
        Values = Named(("Start", 1), ("Stop", 2), ("Interim-Update", 3), ("Accounting-On", 7), ("Accounting-Off", 8)),
    };
    public static readonly RadiusAttributeDefinition AcctDelayTime = Std("Acct-Delay-Time", 41, RadiusDataType.Number);
    public static readonly RadiusAttributeDefinition AcctInputOctets = Std("Acct-Input-Octets", 42, RadiusDataType.Number);
    public static readonly RadiusAttributeDefinition AcctOutputOctets = Std("Acct-Output-Octets", 43, RadiusDataType.Number);
    public static readonly RadiusAttributeDefinition AcctSessionId = Std("Acct-Session-Id", 44, RadiusDataType.Text);
    public static readonly RadiusAttributeDefinition AcctInputPackets = Std("Acct-Input-Packets", 47, RadiusDataType.Number);
    public static readonly RadiusAttributeDefinition AcctOutputPackets = Std("Acct-Output-Packets", 48, RadiusDataType.Number);
    public static readonly RadiusAttributeDefinition AcctSessionTime = Std("Acct-Session-Time", 46, RadiusDataType.Number);
    public static readonly RadiusAttributeDefinition AcctTerminateCause = Std("Acct-Terminate-Cause", 49, RadiusDataType.Number) with
    {
        Values = Named(("User-Request", 1), ("Lost-Carrier", 2), ("Lost-Service", 3), ("Idle-Timeout", 4), ("Session-Timeout", 5),
            ("Admin-Reset", 6), ("Admin-Reboot", 7), ("Port-Error", 8), ("NAS-Error", 9), ("NAS-Request", 10), ("NAS-Reboot", 11),
            ("Port-Unneeded", 12), ("Port-Preempted", 13), ("Port-Suspended", 14), ("Service-Unavailable", 15), ("Callback", 16),
            ("User-Error", 17), ("Host-Request", 18)),
    };

    // RFC 2869
    public static readonly RadiusAttributeDefinition AcctInputGigawords = Std("Acct-Input-Gigawords", 52, RadiusDataType.Number);
    public static readonly RadiusAttributeDefinition AcctOutputGigawords = Std("Acct-Output-Gigawords", 53, RadiusDataType.Number);
    public static readonly RadiusAttributeDefinition EventTimestamp = Std("Event-Timestamp", 55, RadiusDataType.Time);
    public static readonly RadiusAttributeDefinition MessageAuthenticator = Std("Message-Authenticator", MessageAuthenticatorType, RadiusDataType.Octets);
    public static readonly RadiusAttributeDefinition AcctInterimInterval = Std("Acct-Interim-Interval", 85, RadiusDataType.Number);

    // RFC 5176
    public static readonly RadiusAttributeDefinition ErrorCause = Std("Error-Cause", 101, RadiusDataType.Number) with
    {
        Values = Named(("Residual-Context-Removed", 201), ("Invalid-EAP-Packet", 202), ("Unsupported-Attribute", 401),
            ("Missing-Attribute", 402), ("NAS-Identification-Mismatch", 403), ("Invalid-Request", 404), ("Unsupported-Service", 405),
            ("Unsupported-Extension", 406), ("Invalid-Attribute-Value", 407), ("Administratively-Prohibited", 501),
            ("Request-Not-Routable", 502), ("Session-Context-Not-Found", 503), ("Session-Context-Not-Removable", 504),
            ("Other-Proxy-Processing-Error", 505), ("Resources-Unavailable", 506), ("Request-Initiated", 507),
            ("Multiple-Session-Selection-Unsupported", 508)),
    };

    // 3GPP TS 29.061 16.4.7 (vendor 10415)
    public static readonly RadiusAttributeDefinition ThreeGppImsi = Gpp("3GPP-IMSI", 1, RadiusDataType.Text);
    public static readonly RadiusAttributeDefinition ThreeGppChargingId = Gpp("3GPP-Charging-ID", 2, RadiusDataType.Number);
    public static readonly RadiusAttributeDefinition ThreeGppPdpType = Gpp("3GPP-PDP-Type", 3, RadiusDataType.Number) with
    {
        Values = Named(("IPv4", 0), ("PPP", 1), ("IPv6", 2), ("IPv4v6", 3), ("Non-IP", 4), ("Unstructured", 5), ("Ethernet", 6)),
    };
    public static readonly RadiusAttributeDefinition ThreeGppSelectionMode = Gpp("3GPP-Selection-Mode", 12, RadiusDataType.Text);
    public static readonly RadiusAttributeDefinition ThreeGppChargingCharacteristics = Gpp("3GPP-Charging-Characteristics", 13, RadiusDataType.Text);
    public static readonly RadiusAttributeDefinition ThreeGppSgsnMccMnc = Gpp("3GPP-SGSN-MCC-MNC", 18, RadiusDataType.Text);
    public static readonly RadiusAttributeDefinition ThreeGppImeisv = Gpp("3GPP-IMEISV", 20, RadiusDataType.Text);
    public static readonly RadiusAttributeDefinition ThreeGppRatType = Gpp("3GPP-RAT-Type", 21, RadiusDataType.Byte);
    public static readonly RadiusAttributeDefinition ThreeGppUserLocationInfo = Gpp("3GPP-User-Location-Info", 22, RadiusDataType.Octets);

    // WISPr (vendor 14122)
    public static readonly RadiusAttributeDefinition WisprBandwidthMaxUp = new("WISPr-Bandwidth-Max-Up", RadiusVendors.Wispr, 7, RadiusDataType.Number);
    public static readonly RadiusAttributeDefinition WisprBandwidthMaxDown = new("WISPr-Bandwidth-Max-Down", RadiusVendors.Wispr, 8, RadiusDataType.Number);

    /// <summary>Every entry of the dictionary.</summary>
    public static IReadOnlyList<RadiusAttributeDefinition> All { get; } =
    [
        UserName, UserPassword, ChapPassword, NasIpAddress, NasPort, ServiceType, FramedProtocol, FramedIpAddress, ReplyMessage,
        State, Class, VendorSpecific, SessionTimeout, IdleTimeout, CalledStationId, CallingStationId, NasIdentifier, ProxyState,
        ChapChallenge, NasPortType, AcctStatusType, AcctDelayTime, AcctInputOctets, AcctOutputOctets, AcctSessionId,
        AcctInputPackets, AcctOutputPackets, AcctSessionTime, AcctTerminateCause, AcctInputGigawords, AcctOutputGigawords,
        EventTimestamp, MessageAuthenticator, AcctInterimInterval, ErrorCause, ThreeGppImsi, ThreeGppChargingId,
        ThreeGppPdpType, ThreeGppSelectionMode, ThreeGppChargingCharacteristics, ThreeGppSgsnMccMnc, ThreeGppImeisv,
        ThreeGppRatType, ThreeGppUserLocationInfo, WisprBandwidthMaxUp, WisprBandwidthMaxDown,
    ];

    private static readonly FrozenDictionary<(uint Vendor, byte Type), RadiusAttributeDefinition> ByCode =
        All.ToFrozenDictionary(d => (d.VendorId, d.Type));

    private static readonly FrozenDictionary<string, RadiusAttributeDefinition> ByNameTable =
        All.ToFrozenDictionary(d => d.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>Vendors whose sub-attributes use the RFC 2865 5.26 framing (type, length, value); for these a
    /// Vendor-Specific that does not frame is malformed. Other vendors' payloads are kept opaque.</summary>
    public static bool IsKnownVendor(uint vendorId) => vendorId is RadiusVendors.ThreeGpp or RadiusVendors.Wispr;

    public static RadiusAttributeDefinition? Find(uint vendorId, byte type) => ByCode.GetValueOrDefault((vendorId, type));

    public static RadiusAttributeDefinition? FindByName(string name) => ByNameTable.GetValueOrDefault(name);

    private static FrozenDictionary<string, uint> Named(params (string Name, uint Value)[] values) =>
        values.ToFrozenDictionary(v => v.Name, v => v.Value, StringComparer.OrdinalIgnoreCase);
}
