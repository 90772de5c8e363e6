using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Simlane.Diameter.Codec;

/// <summary>
/// One AVP (RFC 6733 4.1): code, optional vendor, the M (mandatory) and P (protected) flags, and its payload without
/// the padding. A decoded AVP's payload is a slice of its message's bytes, not a copy. A Grouped AVP of known
/// definition (<see cref="AvpDictionary"/>) carries its decoded <see cref="Children"/>; every other AVP has none.
/// <para>
/// The typed accessors check the payload size and throw <see cref="DiameterAvpException"/> carrying the result code
/// and this AVP, so a handler that reads a malformed AVP ends in the right error answer. The factories build AVPs to
/// send; the V flag is set exactly when <see cref="VendorId"/> is not 0.
/// </para>
/// </summary>
public sealed class Avp
{
    internal const int HeaderSize = 8;
    internal const int VendorHeaderSize = 12;
    internal const byte FlagVendor = 0x80;
    internal const byte FlagMandatory = 0x40;
    internal const byte FlagProtected = 0x20;

    /// <summary>The largest payload an AVP can carry: its 24-bit length field minus the vendor header.</summary>
    public const int MaxDataLength = 0xFFFFFF - VendorHeaderSize;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Seconds from the NTP era 0 epoch (1900-01-01) to the Unix epoch.</summary>
    private const long NtpEra0ToUnix = 2_208_988_800;
    /// <summary>Seconds from the Unix epoch to the NTP era 1 epoch (2036-02-07 06:28:16 UTC, RFC 4330 3).</summary>
    private const long NtpEra1FromUnix = 0x1_0000_0000L - NtpEra0ToUnix;

    internal Avp(uint code, uint vendorId, bool mandatory, bool isProtected, ReadOnlyMemory<byte> data, IReadOnlyList<Avp> children)
    {
        Code = code;
        VendorId = vendorId;
        Mandatory = mandatory;
        Protected = isProtected;
        Data = data;
        Children = children;
        Definition = AvpDictionary.Find(code, vendorId);
    }

    public uint Code { get; }

    /// <summary>The vendor (IANA enterprise number) the code belongs to; 0 for IETF AVPs (no V flag).</summary>
    public uint VendorId { get; }

    /// <summary>The M flag: the receiver must understand this AVP or reject the message (5001).</summary>
    public bool Mandatory { get; }

    /// <summary>The P flag (end-to-end security; unused in practice, kept as received).</summary>
    public bool Protected { get; }

    /// <summary>The payload, without padding.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>The table entry for (<see cref="Code"/>, <see cref="VendorId"/>), or null for an AVP the table lacks.</summary>
    public AvpDefinition? Definition { get; }

    /// <summary>The decoded children of a Grouped AVP of known definition (or built by <see cref="OfGrouped"/>); else empty.</summary>
    public IReadOnlyList<Avp> Children { get; }

    /// <summary>The definition's name, or e.g. <c>AVP 99999/10415</c> for an unknown AVP; for logs and errors.</summary>
    public string Name => Definition?.Name ?? (VendorId == 0 ? $"AVP {Code}" : $"AVP {Code}/{VendorId}");

    /// <summary>The value of the AVP Length field: header plus payload, without padding.</summary>
    public int Length => HeaderLength + Data.Length;

    internal int HeaderLength => VendorId == 0 ? HeaderSize : VendorHeaderSize;

    /// <summary>The bytes this AVP takes in a message, padding included.</summary>
    internal int EncodedLength => Padded(Length);

    internal static int Padded(int length) => checked((length + 3) & ~3);

    // ---- lookups -------------------------------------------------------------------------------------------------

    /// <summary>The first child with this code and vendor, or null (always null for a non-grouped AVP).</summary>
    public Avp? Find(uint code, uint vendorId = 0)
    {
        foreach (var child in Children)
        {
            if (child.Code == code && child.VendorId == vendorId)
            {
                return child;
            }
        }
        return null;
    }

    /// <summary>Every child with this code and vendor, in order.</summary>
    public IEnumerable<Avp> FindAll(uint code, uint vendorId = 0) => Children.Where(c => c.Code == code && c.VendorId == vendorId);

    // ---- accessors -----------------------------------------------------------------------------------------------

    /// <summary>The payload as Unsigned32 (also Enumerated read unsigned); 5014 unless it is 4 bytes.</summary>
    public uint GetUInt32() => BinaryPrimitives.ReadUInt32BigEndian(Fixed(4));

    /// <summary>The payload as Integer32 or Enumerated; 5014 unless it is 4 bytes.</summary>
    public int GetInt32() => BinaryPrimitives.ReadInt32BigEndian(Fixed(4));

    /// <summary>The payload as Unsigned64; 5014 unless it is 8 bytes.</summary>
    public ulong GetUInt64() => BinaryPrimitives.ReadUInt64BigEndian(Fixed(8));

    /// <summary>The payload as Integer64; 5014 unless it is 8 bytes.</summary>
    public long GetInt64() => BinaryPrimitives.ReadInt64BigEndian(Fixed(8));

    /// <summary>The payload as Float32; 5014 unless it is 4 bytes.</summary>
    public float GetFloat32() => BinaryPrimitives.ReadSingleBigEndian(Fixed(4));

    /// <summary>The payload as Float64; 5014 unless it is 8 bytes.</summary>
    public double GetFloat64() => BinaryPrimitives.ReadDoubleBigEndian(Fixed(8));

    /// <summary>The payload as UTF-8 text (UTF8String, DiameterIdentity, DiameterURI); 5004 if it is not valid UTF-8.</summary>
    public string GetString()
    {
        try
        {
            return StrictUtf8.GetString(Data.Span);
        }
        catch (DecoderFallbackException)
        {
            throw new DiameterAvpException(DiameterResultCodes.InvalidAvpValue, this, $"{Name} is not valid UTF-8");
        }
    }

    /// <summary>
    /// The payload as an Address (RFC 6733 4.3.1): a 2-byte address family, 1 IPv4 (4 bytes follow) or 2 IPv6 (16
    /// bytes follow). 5014 when the size does not fit the family, 5004 for another family.
    /// </summary>
    public IPAddress GetAddress()
    {
        var span = Data.Span;
        if (span.Length < 2)
        {
            throw new DiameterAvpException(DiameterResultCodes.InvalidAvpLength, this, $"{Name} is {span.Length} bytes, too short for an Address");
        }
        ushort family = BinaryPrimitives.ReadUInt16BigEndian(span);
        int size = family switch
        {
            1 => 4,
            2 => 16,
            _ => throw new DiameterAvpException(DiameterResultCodes.InvalidAvpValue, this, $"{Name} has address family {family}, not IPv4 (1) or IPv6 (2)"),
        };
        if (span.Length != 2 + size)
        {
            throw new DiameterAvpException(DiameterResultCodes.InvalidAvpLength, this,
                $"{Name} is {span.Length} bytes; an {(family == 1 ? "IPv4" : "IPv6")} Address is {2 + size}");
        }
        return new IPAddress(span[2..]);
    }

    /// <summary>
    /// The payload as Time (RFC 6733 4.3.1): NTP seconds since 1900-01-01 UTC. Values with the top bit clear are read
    /// in the next NTP era, from 2036-02-07 (RFC 4330 3), so the range is 1968 to 2104. 5014 unless it is 4 bytes.
    /// </summary>
    public DateTimeOffset GetTime()
    {
        uint seconds = GetUInt32();
        long unix = (seconds & 0x8000_0000u) != 0 ? seconds - NtpEra0ToUnix : NtpEra1FromUnix + seconds;
        return DateTimeOffset.FromUnixTimeSeconds(unix);
    }

    private ReadOnlySpan<byte> Fixed(int size)
    {
        if (Data.Length != size)
        {
            throw new DiameterAvpException(DiameterResultCodes.InvalidAvpLength, this, $"{Name} is {Data.Length} bytes, not {size}");
        }
        return Data.Span;
    }

    // ---- factories -----------------------------------------------------------------------------------------------

    public static Avp OfUInt32(uint code, uint value, uint vendorId = 0, bool mandatory = true)
    {
        var data = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(data, value);
        return new Avp(code, vendorId, mandatory, false, data, []);
    }

    public static Avp OfInt32(uint code, int value, uint vendorId = 0, bool mandatory = true)
    {
        var data = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(data, value);
        return new Avp(code, vendorId, mandatory, false, data, []);
    }

    public static Avp OfUInt64(uint code, ulong value, uint vendorId = 0, bool mandatory = true)
    {
        var data = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(data, value);
        return new Avp(code, vendorId, mandatory, false, data, []);
    }

    public static Avp OfInt64(uint code, long value, uint vendorId = 0, bool mandatory = true)
    {
        var data = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(data, value);
        return new Avp(code, vendorId, mandatory, false, data, []);
    }

    public static Avp OfFloat32(uint code, float value, uint vendorId = 0, bool mandatory = true)
    {
        var data = new byte[4];
        BinaryPrimitives.WriteSingleBigEndian(data, value);
        return new Avp(code, vendorId, mandatory, false, data, []);
    }

    public static Avp OfFloat64(uint code, double value, uint vendorId = 0, bool mandatory = true)
    {
        var data = new byte[8];
        BinaryPrimitives.WriteDoubleBigEndian(data, value);
        return new Avp(code, vendorId, mandatory, false, data, []);
    }

    /// <summary>A UTF8String, DiameterIdentity or DiameterURI, encoded as UTF-8 (no terminator, no BOM).</summary>
    public static Avp OfString(uint code, string value, uint vendorId = 0, bool mandatory = true)
    {
        ArgumentNullException.ThrowIfNull(value);
        var data = StrictUtf8.GetBytes(value);
        CheckSize(data.Length);
        return new Avp(code, vendorId, mandatory, false, data, []);
    }

    /// <summary>An OctetString (or any payload given as bytes, kept as is: a grouped code's children are not decoded).</summary>
    public static Avp OfOctets(uint code, ReadOnlyMemory<byte> value, uint vendorId = 0, bool mandatory = true)
    {
        CheckSize(value.Length);
        return new Avp(code, vendorId, mandatory, false, value, []);
    }

    /// <summary>An Address: family 1 and 4 bytes for IPv4 (an IPv4-mapped IPv6 address is written as IPv4), else
    /// family 2 and 16 bytes.</summary>
    public static Avp OfAddress(uint code, IPAddress address, uint vendorId = 0, bool mandatory = true)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        bool v4 = address.AddressFamily == AddressFamily.InterNetwork;
        var data = new byte[v4 ? 6 : 18];
        BinaryPrimitives.WriteUInt16BigEndian(data, v4 ? (ushort)1 : (ushort)2);
        if (!address.TryWriteBytes(data.AsSpan(2), out int written) || written != data.Length - 2)
        {
            throw new ArgumentException($"{address} is not an IPv4 or IPv6 address.", nameof(address));
        }
        return new Avp(code, vendorId, mandatory, false, data, []);
    }

    /// <summary>A Time (NTP seconds; see <see cref="GetTime"/>), truncated to the second; 1968-01-20 to 2104-02-26.</summary>
    public static Avp OfTime(uint code, DateTimeOffset time, uint vendorId = 0, bool mandatory = true)
    {
        long unix = time.ToUnixTimeSeconds();
        long ntp = unix + NtpEra0ToUnix;
        if (ntp is < 0x8000_0000L or >= 0x1_8000_0000L)
        {
            throw new ArgumentOutOfRangeException(nameof(time), time, "A Diameter Time covers 1968-01-20 to 2104-02-26 (RFC 4330 3).");
        }
        return OfUInt32(code, (uint)(ntp & 0xFFFF_FFFFL), vendorId, mandatory);
    }

    /// <summary>A Grouped AVP: the children are encoded (each padded) into the payload now.</summary>
    public static Avp OfGrouped(uint code, IEnumerable<Avp> children, uint vendorId = 0, bool mandatory = true)
    {
        ArgumentNullException.ThrowIfNull(children);
        var list = children.ToArray();
        int size = 0;
        foreach (var child in list)
        {
            ArgumentNullException.ThrowIfNull(child, nameof(children));
            size = checked(size + child.EncodedLength);
        }
        CheckSize(size);
        var data = new byte[size];
        int offset = 0;
        foreach (var child in list)
        {
            offset += child.WriteTo(data.AsSpan(offset));
        }
        return new Avp(code, vendorId, mandatory, false, data, list);
    }

    /// <summary>A Failed-AVP (RFC 6733 7.5) whose payload is given as bytes: the offending AVPs as received, or as
    /// rebuilt by the decoder for a length error (see <see cref="DiameterDecodeResult.FailedAvp"/>).</summary>
    public static Avp FailedAvp(ReadOnlyMemory<byte> offendingAvps)
    {
        if (offendingAvps.Length % 4 != 0)
        {
            var padded = new byte[Padded(offendingAvps.Length)];
            offendingAvps.CopyTo(padded);
            offendingAvps = padded;
        }
        return OfOctets(AvpCodes.FailedAvp, offendingAvps);
    }

    /// <summary>A Failed-AVP holding these AVPs.</summary>
    public static Avp FailedAvp(IEnumerable<Avp> offending) => OfGrouped(AvpCodes.FailedAvp, offending);

    private static void CheckSize(int length)
    {
        if (length > MaxDataLength)
        {
            throw new ArgumentException($"An AVP payload is at most {MaxDataLength} bytes, not {length}.");
        }
    }

    // ---- encoding ------------------------------------------------------------------------------------------------

    /// <summary>Writes header, payload and zero padding; returns <see cref="EncodedLength"/>.</summary>
    internal int WriteTo(Span<byte> destination)
    {
        int length = Length;
        int encoded = Padded(length);
        if (destination.Length < encoded)
        {
            throw new ArgumentException("The destination is too small for the AVP.", nameof(destination));
        }
        BinaryPrimitives.WriteUInt32BigEndian(destination, Code);
        byte flags = (byte)((VendorId != 0 ? FlagVendor : 0) | (Mandatory ? FlagMandatory : 0) | (Protected ? FlagProtected : 0));
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], ((uint)flags << 24) | (uint)length);
        int header = HeaderSize;
        if (VendorId != 0)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination[8..], VendorId);
            header = VendorHeaderSize;
        }
        Data.Span.CopyTo(destination[header..]);
        destination[length..encoded].Clear();
        return encoded;
    }

    /// <summary>The AVP's wire bytes, padding included (e.g. to put it into a Failed-AVP by hand).</summary>
    public byte[] Encode()
    {
        var bytes = new byte[EncodedLength];
        WriteTo(bytes);
        return bytes;
    }

    public override string ToString() =>
        $"{Name} ({Data.Length} bytes{(Mandatory ? ", M" : "")}{(Children.Count > 0 ? $", {Children.Count} children" : "")})";
}
