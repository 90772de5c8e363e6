using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Simlane.Diameter.Codec;

/// <summary>The fixed 20-byte header of a message (RFC 6733 3), readable even when the AVPs are not.</summary>
public readonly record struct DiameterHeader(byte Version, int Length, byte Flags, uint CommandCode, uint ApplicationId, uint HopByHopId,
    uint EndToEndId)
{
    public bool IsRequest => (Flags & DiameterMessage.FlagRequest) != 0;
    public bool IsProxiable => (Flags & DiameterMessage.FlagProxiable) != 0;
    public bool IsError => (Flags & DiameterMessage.FlagError) != 0;
    public bool IsRetransmission => (Flags & DiameterMessage.FlagRetransmission) != 0;

    /// <summary>Reads the header from at least 20 bytes.</summary>
    public static DiameterHeader Read(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < DiameterMessage.HeaderSize)
        {
            throw new ArgumentException("A Diameter header is 20 bytes.", nameof(bytes));
        }
        uint first = BinaryPrimitives.ReadUInt32BigEndian(bytes);
        uint second = BinaryPrimitives.ReadUInt32BigEndian(bytes[4..]);
        return new DiameterHeader((byte)(first >> 24), (int)(first & 0xFFFFFF), (byte)(second >> 24), second & 0xFFFFFF,
            BinaryPrimitives.ReadUInt32BigEndian(bytes[8..]), BinaryPrimitives.ReadUInt32BigEndian(bytes[12..]),
            BinaryPrimitives.ReadUInt32BigEndian(bytes[16..]));
    }
}

/// <summary>
/// What <see cref="DiameterMessage.Decode"/> produced: the message, or why it could not. A failure carries what an
/// error answer needs (RFC 6733 7.2): the result code (5014 invalid AVP length, 5015 invalid message length, 3008
/// invalid header bits, 5011 unsupported version, 5004 for grouped AVPs nested too deep), the Failed-AVP payload, the
/// header (to answer with the same command and ids) and the top-level AVPs read before the error (for Session-Id and
/// Proxy-Info). <see cref="CreateErrorAnswer"/> builds that answer.
/// </summary>
public sealed class DiameterDecodeResult
{
    private DiameterDecodeResult(DiameterMessage? message, uint resultCode, string? error, DiameterHeader? header, IReadOnlyList<Avp> avps,
        ReadOnlyMemory<byte> failedAvp)
    {
        Message = message;
        ResultCode = resultCode;
        Error = error;
        Header = header;
        PartialAvps = avps;
        FailedAvp = failedAvp;
    }

    /// <summary>The decoded message, or null on failure.</summary>
    public DiameterMessage? Message { get; }

    [MemberNotNullWhen(true, nameof(Message))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Message is not null;

    /// <summary>The result code an answer to this message should carry; 0 on success.</summary>
    public uint ResultCode { get; }

    /// <summary>What was wrong, in words (for logs and Error-Message; it never includes AVP values).</summary>
    public string? Error { get; }

    /// <summary>The header, or null when fewer than 20 bytes were given.</summary>
    public DiameterHeader? Header { get; }

    /// <summary>The top-level AVPs read before the failure (all of them on success).</summary>
    public IReadOnlyList<Avp> PartialAvps { get; }

    /// <summary>
    /// The payload of the Failed-AVP for the answer (padded to 4 bytes), empty when the failure names no AVP. For a
    /// length error it is what RFC 6733 7.1.5 describes: the offending AVP's header as received (its bad length kept;
    /// a truncated header zero-padded to the minimum header size) followed by a zero-filled payload of the minimum size
    /// of the AVP's type; an offending AVP inside grouped AVPs is wrapped in copies of their headers (RFC 6733 7.5).
    /// </summary>
    public ReadOnlyMemory<byte> FailedAvp { get; }

    internal static DiameterDecodeResult Success(DiameterMessage message, DiameterHeader header) =>
        new(message, 0, null, header, message.Avps, ReadOnlyMemory<byte>.Empty);

    internal static DiameterDecodeResult Failure(uint resultCode, string error, DiameterHeader? header, IReadOnlyList<Avp> avps,
        ReadOnlyMemory<byte> failedAvp) => new(null, resultCode, error, header, avps, failedAvp);

    /// <summary>
    /// The error answer to a request that failed to decode: its command code, application id and ids, Session-Id when
    /// it was read, Result-Code, Origin-Host, Origin-Realm, Error-Message, Failed-AVP when there is one, and the
    /// Proxy-Info AVPs read. Null when the message was decoded, had no readable header, or was not a request (answers
    /// are never answered).
    /// </summary>
    public DiameterMessage? CreateErrorAnswer(string originHost, string originRealm)
    {
        if (IsSuccess || Header is not { IsRequest: true } header)
        {
            return null;
        }
        return DiameterMessage.CreateAnswerCore(header, PartialAvps, ResultCode, originHost, originRealm,
            FailedAvp.IsEmpty ? null : Avp.FailedAvp(FailedAvp), Error);
    }

    public override string ToString() => IsSuccess ? $"decoded {Message}" : $"failed {ResultCode}: {Error}";
}
