namespace Simlane.Radius.Codec;

/// <summary>RADIUS packet codes (RFC 2865 3, RFC 2866 3, RFC 5176 2.3).</summary>
public enum RadiusCode : byte
{
    AccessRequest = 1,
    AccessAccept = 2,
    AccessReject = 3,
    AccountingRequest = 4,
    AccountingResponse = 5,
    AccessChallenge = 11,
    StatusServer = 12,
    DisconnectRequest = 40,
    DisconnectAck = 41,
    DisconnectNak = 42,
    CoaRequest = 43,
    CoaAck = 44,
    CoaNak = 45,
}

/// <summary>Why a datagram could not be decoded. Every malformed input maps to one of these; none throws.</summary>
public enum RadiusDecodeError
{
    None = 0,
    /// <summary>Shorter than the 20-byte header or longer than 4096 bytes.</summary>
    BadDatagramSize,
    /// <summary>The Length field is below 20, above 4096 or above the datagram's size.</summary>
    BadLengthField,
    /// <summary>An attribute's Length is below 2 or runs past the packet's Length.</summary>
    BadAttributeLength,
    /// <summary>A Vendor-Specific attribute is shorter than 7 bytes, or a known vendor's sub-attributes do not frame.</summary>
    BadVendorSpecific,
    /// <summary>A known attribute has the wrong size for its type (e.g. an integer that is not 4 bytes).</summary>
    BadAttributeValue,
    /// <summary>More than one Message-Authenticator.</summary>
    DuplicateMessageAuthenticator,
}
