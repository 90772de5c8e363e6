namespace Simlane.Diameter.Codec;

/// <summary>How an AVP's payload is laid out on the wire (RFC 6733 4.2 basic types and 4.3 derived types).</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "The RFC 6733 type names, as on the wire.")]
public enum AvpType
{
    /// <summary>Arbitrary bytes (also used here for the derived IPFilterRule and QoSFilterRule).</summary>
    OctetString,
    /// <summary>32-bit signed, network order.</summary>
    Integer32,
    /// <summary>64-bit signed, network order.</summary>
    Integer64,
    /// <summary>32-bit unsigned, network order.</summary>
    Unsigned32,
    /// <summary>64-bit unsigned, network order.</summary>
    Unsigned64,
    /// <summary>IEEE 754 single precision, network order.</summary>
    Float32,
    /// <summary>IEEE 754 double precision, network order.</summary>
    Float64,
    /// <summary>A sequence of AVPs, each padded to 4 bytes.</summary>
    Grouped,
    /// <summary>A 2-byte IANA address family (1 IPv4, 2 IPv6) followed by the address.</summary>
    Address,
    /// <summary>4 bytes: seconds since 1900-01-01 00:00 UTC (NTP format; RFC 4330 rolls over in 2036).</summary>
    Time,
    /// <summary>UTF-8 text.</summary>
    UTF8String,
    /// <summary>A Diameter node's FQDN or realm (ASCII), e.g. Origin-Host.</summary>
    DiameterIdentity,
    /// <summary>An <c>aaa://</c> or <c>aaas://</c> URI.</summary>
    DiameterURI,
    /// <summary>An Integer32 whose values are named by the AVP's definition.</summary>
    Enumerated,
}

/// <summary>
/// One entry of <see cref="AvpDictionary"/>: an AVP's code, its vendor (0 for IETF AVPs, 10415 for 3GPP's) and the
/// layout of its payload. The table decides which AVPs are "known": a grouped AVP of known definition is decoded into
/// its children, and a mandatory (M-bit) AVP missing from the table is answered with 5001 DIAMETER_AVP_UNSUPPORTED.
/// </summary>
public sealed record AvpDefinition(uint Code, uint VendorId, string Name, AvpType Type)
{
    /// <summary>The payload size the type demands, or null when it varies (strings, octets, grouped, address).</summary>
    public int? FixedSize => Type switch
    {
        AvpType.Integer32 or AvpType.Unsigned32 or AvpType.Float32 or AvpType.Enumerated or AvpType.Time => 4,
        AvpType.Integer64 or AvpType.Unsigned64 or AvpType.Float64 => 8,
        _ => null,
    };

    /// <summary>The smallest valid payload for the type: what RFC 6733 7.5 zero-fills in a Failed-AVP.</summary>
    internal int MinimumSize => FixedSize ?? (Type == AvpType.Address ? 6 : 0);

    public override string ToString() => Name;
}
