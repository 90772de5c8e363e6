using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;

namespace Simlane.Diameter.Codec;

/// <summary>
/// A Diameter message (RFC 6733 3): the 20-byte header — version 1, length, flags, command code, application id,
/// hop-by-hop and end-to-end ids — and its AVPs in order. Build one with an object initializer or
/// <see cref="CreateRequest"/> / <see cref="CreateAnswer"/>, send it with <see cref="Encode()"/>; read one with
/// <see cref="Decode"/>, which reports malformed input as a <see cref="DiameterDecodeResult"/> instead of throwing.
/// </summary>
public sealed class DiameterMessage
{
    public const int HeaderSize = 20;
    /// <summary>The largest message the 24-bit length field can describe.</summary>
    public const int MaxLength = 0xFFFFFF;
    internal const byte Version = 1;
    internal const byte FlagRequest = 0x80;
    internal const byte FlagProxiable = 0x40;
    internal const byte FlagError = 0x20;
    internal const byte FlagRetransmission = 0x10;
    /// <summary>How deep grouped AVPs may nest before a message is refused (an unbounded depth is a stack risk).</summary>
    public const int MaxGroupedDepth = 16;

    /// <summary>The command code (24 bits), e.g. <see cref="DiameterCommands.CreditControl"/>.</summary>
    public uint CommandCode { get; set; }

    public uint ApplicationId { get; set; }

    /// <summary>Matches an answer to its request on one connection; an answer copies it.</summary>
    public uint HopByHopId { get; set; }

    /// <summary>Detects duplicates end to end; an answer copies it.</summary>
    public uint EndToEndId { get; set; }

    /// <summary>The R flag: a request (else an answer).</summary>
    public bool IsRequest { get; set; }

    /// <summary>The P flag: the message may be proxied, relayed or redirected.</summary>
    public bool IsProxiable { get; set; }

    /// <summary>The E flag: an answer carrying a protocol error (3xxx).</summary>
    public bool IsError { get; set; }

    /// <summary>The T flag: a request sent again after a link failover.</summary>
    public bool IsRetransmission { get; set; }

    public List<Avp> Avps { get; } = [];

    /// <summary>The first top-level AVP with this code and vendor, or null.</summary>
    public Avp? Find(uint code, uint vendorId = 0)
    {
        foreach (var avp in Avps)
        {
            if (avp.Code == code && avp.VendorId == vendorId)
            {
                return avp;
            }
        }
        return null;
    }

    /// <summary>Every top-level AVP with this code and vendor, in order.</summary>
    public IEnumerable<Avp> FindAll(uint code, uint vendorId = 0) => Avps.Where(a => a.Code == code && a.VendorId == vendorId);

    /// <summary>Session-Id, or null; throws <see cref="DiameterAvpException"/> if it is not UTF-8.</summary>
    public string? SessionId => Find(AvpCodes.SessionId)?.GetString();

    /// <summary>Origin-Host, or null; throws <see cref="DiameterAvpException"/> if it is not UTF-8.</summary>
    public string? OriginHost => Find(AvpCodes.OriginHost)?.GetString();

    /// <summary>Origin-Realm, or null; throws <see cref="DiameterAvpException"/> if it is not UTF-8.</summary>
    public string? OriginRealm => Find(AvpCodes.OriginRealm)?.GetString();

    /// <summary>Result-Code, or null; throws <see cref="DiameterAvpException"/> if it is not 4 bytes.</summary>
    public uint? ResultCode => Find(AvpCodes.ResultCode)?.GetUInt32();

    /// <summary>The short command name (<c>CCR</c>, <c>DWA</c>, …) for logs.</summary>
    public string Name => DiameterCommands.NameOf(CommandCode, IsRequest);

    /// <summary>See <see cref="AvpDictionary.UnsupportedMandatory"/>.</summary>
    public IEnumerable<Avp> UnsupportedMandatory() => AvpDictionary.UnsupportedMandatory(this);

    /// <summary>A request with no AVPs yet (the ids are assigned when it is sent).</summary>
    public static DiameterMessage CreateRequest(uint commandCode, uint applicationId, bool proxiable = true) =>
        new() { CommandCode = commandCode, ApplicationId = applicationId, IsRequest = true, IsProxiable = proxiable };

    /// <summary>
    /// The answer to a request (RFC 6733 6.2): same command code, application id, hop-by-hop and end-to-end ids, the P
    /// flag copied, R clear, E set for a 3xxx result code; then Session-Id (if the request had one), Result-Code,
    /// Origin-Host, Origin-Realm, and the request's Proxy-Info AVPs in order. AVPs added afterwards go after Proxy-Info,
    /// which is allowed: only Session-Id has a fixed position.
    /// </summary>
    public static DiameterMessage CreateAnswer(DiameterMessage request, uint resultCode, string originHost, string originRealm)
    {
        ArgumentNullException.ThrowIfNull(request);
        return CreateAnswerCore(request.Header, request.Avps, resultCode, originHost, originRealm, failedAvp: null, errorMessage: null);
    }

    /// <summary>
    /// <see cref="CreateAnswer(DiameterMessage, uint, string, string)"/> plus Error-Message (no M flag) and one
    /// Failed-AVP holding the offending AVPs (RFC 6733 7.5), both before Proxy-Info.
    /// </summary>
    public static DiameterMessage CreateErrorAnswer(DiameterMessage request, uint resultCode, string originHost, string originRealm,
        IEnumerable<Avp>? failedAvps = null, string? errorMessage = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var failed = failedAvps?.ToArray();
        return CreateAnswerCore(request.Header, request.Avps, resultCode, originHost, originRealm,
            failed is { Length: > 0 } ? Avp.FailedAvp(failed) : null, errorMessage);
    }

    internal static DiameterMessage CreateAnswerCore(DiameterHeader request, IReadOnlyList<Avp> requestAvps, uint resultCode, string originHost,
        string originRealm, Avp? failedAvp, string? errorMessage)
    {
        ArgumentException.ThrowIfNullOrEmpty(originHost);
        ArgumentException.ThrowIfNullOrEmpty(originRealm);
        var answer = new DiameterMessage
        {
            CommandCode = request.CommandCode,
            ApplicationId = request.ApplicationId,
            HopByHopId = request.HopByHopId,
            EndToEndId = request.EndToEndId,
            IsRequest = false,
            IsProxiable = request.IsProxiable,
            IsError = DiameterResultCodes.IsProtocolError(resultCode),
        };
        foreach (var avp in requestAvps)
        {
            if (avp.Code == AvpCodes.SessionId && avp.VendorId == 0)
            {
                answer.Avps.Add(avp);
                break;
            }
        }
        answer.Avps.Add(Avp.OfUInt32(AvpCodes.ResultCode, resultCode));
        answer.Avps.Add(Avp.OfString(AvpCodes.OriginHost, originHost));
        answer.Avps.Add(Avp.OfString(AvpCodes.OriginRealm, originRealm));
        if (!string.IsNullOrEmpty(errorMessage))
        {
            answer.Avps.Add(Avp.OfString(AvpCodes.ErrorMessage, errorMessage, mandatory: false));
        }
        if (failedAvp is not null)
        {
            answer.Avps.Add(failedAvp);
        }
        foreach (var avp in requestAvps)
        {
            if (avp.Code == AvpCodes.ProxyInfo && avp.VendorId == 0)
            {
                answer.Avps.Add(avp);
            }
        }
        return answer;
    }

    internal DiameterHeader Header => new(Version, 0, Flags, CommandCode, ApplicationId, HopByHopId, EndToEndId);

    private byte Flags => (byte)((IsRequest ? FlagRequest : 0) | (IsProxiable ? FlagProxiable : 0) | (IsError ? FlagError : 0)
        | (IsRetransmission ? FlagRetransmission : 0));

    // ---- encoding ------------------------------------------------------------------------------------------------

    /// <summary>The encoded size: header plus every AVP with its padding.</summary>
    public int GetEncodedLength()
    {
        long length = HeaderSize;
        foreach (var avp in Avps)
        {
            length += avp.EncodedLength;
        }
        if (length > MaxLength)
        {
            throw new InvalidOperationException($"The {Name} would be {length} bytes; a Diameter message is at most {MaxLength}.");
        }
        return (int)length;
    }

    /// <summary>The message's wire bytes.</summary>
    public byte[] Encode()
    {
        var bytes = new byte[GetEncodedLength()];
        Encode(bytes);
        return bytes;
    }

    /// <summary>Writes the message into <paramref name="destination"/>; returns the bytes written.</summary>
    public int Encode(Span<byte> destination)
    {
        if (CommandCode > 0xFFFFFF)
        {
            throw new InvalidOperationException($"The command code {CommandCode} does not fit in 24 bits.");
        }
        int length = GetEncodedLength();
        if (destination.Length < length)
        {
            throw new ArgumentException($"The destination holds {destination.Length} bytes; the {Name} needs {length}.", nameof(destination));
        }
        BinaryPrimitives.WriteUInt32BigEndian(destination, ((uint)Version << 24) | (uint)length);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], ((uint)Flags << 24) | CommandCode);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], ApplicationId);
        BinaryPrimitives.WriteUInt32BigEndian(destination[12..], HopByHopId);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], EndToEndId);
        int offset = HeaderSize;
        foreach (var avp in Avps)
        {
            offset += avp.WriteTo(destination[offset..]);
        }
        return offset;
    }

    /// <summary>Writes the message into a buffer writer.</summary>
    public void Encode(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        int length = GetEncodedLength();
        Encode(writer.GetSpan(length));
        writer.Advance(length);
    }

    // ---- decoding ------------------------------------------------------------------------------------------------

    /// <summary>
    /// Decodes one whole message (e.g. a frame from <see cref="DiameterFraming.TryReadFrame"/>). The bytes are copied
    /// once; the AVPs' payloads are slices of that copy. Never throws for malformed input: a failure carries the result
    /// code to answer with, the Failed-AVP payload, the header and the AVPs read before the error.
    /// </summary>
    public static DiameterDecodeResult Decode(ReadOnlySpan<byte> frame) => DecodeOwned(frame.ToArray());

    /// <summary>Decodes a message from bytes the caller hands over (not copied; they must not change afterwards).</summary>
    internal static DiameterDecodeResult DecodeOwned(ReadOnlyMemory<byte> bytes)
    {
        var span = bytes.Span;
        if (span.Length < HeaderSize)
        {
            return DiameterDecodeResult.Failure(DiameterResultCodes.InvalidMessageLength,
                $"{span.Length} bytes are too short for a Diameter header", header: null, [], ReadOnlyMemory<byte>.Empty);
        }
        var header = DiameterHeader.Read(span);
        if (header.Version != Version)
        {
            return DiameterDecodeResult.Failure(DiameterResultCodes.UnsupportedVersion, $"version {header.Version}, not 1", header, [],
                ReadOnlyMemory<byte>.Empty);
        }
        if (header.Length != span.Length || header.Length % 4 != 0)
        {
            return DiameterDecodeResult.Failure(DiameterResultCodes.InvalidMessageLength,
                $"the length field says {header.Length} bytes, the message is {span.Length}", header, [], ReadOnlyMemory<byte>.Empty);
        }

        var avps = new List<Avp>();
        var failure = AvpReader.Read(bytes, HeaderSize, span.Length, depth: 0, avps);
        // Header flags first: a 3008 is a protocol error, and it holds whatever the AVPs are. Reserved flags are ignored
        // (RFC 6733 3: "MUST be set to zero and ignored by the receiver").
        if (header.IsRequest && header.IsError)
        {
            return DiameterDecodeResult.Failure(DiameterResultCodes.InvalidHdrBits, "a request with the E flag", header, avps,
                ReadOnlyMemory<byte>.Empty);
        }
        if (failure is { } f)
        {
            return DiameterDecodeResult.Failure(f.ResultCode, f.Detail, header, avps, f.FailedAvp);
        }

        var message = new DiameterMessage
        {
            CommandCode = header.CommandCode,
            ApplicationId = header.ApplicationId,
            HopByHopId = header.HopByHopId,
            EndToEndId = header.EndToEndId,
            IsRequest = header.IsRequest,
            IsProxiable = header.IsProxiable,
            IsError = header.IsError,
            IsRetransmission = header.IsRetransmission,
        };
        message.Avps.AddRange(avps);
        return DiameterDecodeResult.Success(message, header);
    }

    /// <summary>Command, application and ids, e.g. for logs; never the AVP values.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Name} app {ApplicationId} hbh 0x{HopByHopId:x8} e2e 0x{EndToEndId:x8} ({Avps.Count} AVPs)");
}
