namespace Simlane.Diameter.Codec;

/// <summary>
/// An AVP whose payload does not fit its type, found when it is read (e.g. an Unsigned32 of 3 bytes, invalid UTF-8, an
/// Address of an unknown family). <see cref="ResultCode"/> is what the answer should carry — 5014
/// DIAMETER_INVALID_AVP_LENGTH for a wrong size, 5004 DIAMETER_INVALID_AVP_VALUE for a bad value — and
/// <see cref="Avp"/> what its Failed-AVP should hold (RFC 6733 7.5). The node answers it so when an application lets
/// it escape from <c>HandleRequestAsync</c>.
/// </summary>
public sealed class DiameterAvpException : Exception
{
    public DiameterAvpException(uint resultCode, Avp avp, string message) : base(message)
    {
        ArgumentNullException.ThrowIfNull(avp);
        ResultCode = resultCode;
        Avp = avp;
    }

    public DiameterAvpException()
    {
        Avp = Avp.OfOctets(0, ReadOnlyMemory<byte>.Empty);
    }

    public DiameterAvpException(string message) : base(message)
    {
        Avp = Avp.OfOctets(0, ReadOnlyMemory<byte>.Empty);
    }

    public DiameterAvpException(string message, Exception innerException) : base(message, innerException)
    {
        Avp = Avp.OfOctets(0, ReadOnlyMemory<byte>.Empty);
    }

    /// <summary>5014 or 5004.</summary>
    public uint ResultCode { get; } = DiameterResultCodes.InvalidAvpValue;

    /// <summary>The offending AVP, as received.</summary>
    public Avp Avp { get; }
}
