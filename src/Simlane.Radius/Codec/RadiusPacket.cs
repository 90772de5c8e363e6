using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Simlane.Radius.Codec;

/// <summary>
/// One attribute of a decoded packet: a standard attribute (<see cref="VendorId"/> 0) or one sub-attribute of a
/// Vendor-Specific. The value is a slice of the packet, not a copy.
/// </summary>
public readonly record struct RadiusAttributeView(byte Type, uint VendorId, byte VendorType, int ValueOffset, int ValueLength)
{
    /// <summary>The (vendor, type) pair the dictionary is keyed by.</summary>
    public (uint Vendor, byte Type) Key => VendorId == 0 ? (0, Type) : (VendorId, VendorType);

    public bool Is(RadiusAttributeDefinition definition) =>
        definition.VendorId == 0 ? VendorId == 0 && Type == definition.Type : VendorId == definition.VendorId && VendorType == definition.Type;
}

/// <summary>
/// A decoded RADIUS packet (RFC 2865 3): code, identifier, authenticator and attributes over the received bytes.
/// Decoding validates the framing strictly and reports a <see cref="RadiusDecodeError"/> instead of throwing.
/// </summary>
public sealed class RadiusPacket
{
    public const int HeaderSize = 20;
    public const int MaxSize = 4096;
    public const int AuthenticatorSize = 16;

    private readonly List<RadiusAttributeView> attributes;

    private RadiusPacket(ReadOnlyMemory<byte> bytes, List<RadiusAttributeView> attributes, int messageAuthenticatorOffset)
    {
        Bytes = bytes;
        this.attributes = attributes;
        MessageAuthenticatorOffset = messageAuthenticatorOffset;
    }

    /// <summary>The packet's bytes, exactly Length long (padding after Length is not included).</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    public RadiusCode Code => (RadiusCode)Bytes.Span[0];

    public byte Identifier => Bytes.Span[1];

    public int Length => Bytes.Length;

    public ReadOnlySpan<byte> Authenticator => Bytes.Span.Slice(4, AuthenticatorSize);

    public IReadOnlyList<RadiusAttributeView> Attributes => attributes;

    /// <summary>Offset of the Message-Authenticator's 16-byte value in <see cref="Bytes"/>, or -1 when absent.</summary>
    public int MessageAuthenticatorOffset { get; }

    public bool HasMessageAuthenticator => MessageAuthenticatorOffset >= 0;

    /// <summary>Decodes a datagram. Bytes beyond the Length field are padding and ignored (RFC 2865 3).</summary>
    public static RadiusDecodeError TryDecode(ReadOnlyMemory<byte> datagram, out RadiusPacket? packet)
    {
        packet = null;
        var span = datagram.Span;
        if (span.Length < HeaderSize || span.Length > MaxSize)
        {
            return RadiusDecodeError.BadDatagramSize;
        }
        int length = BinaryPrimitives.ReadUInt16BigEndian(span[2..]);
        if (length < HeaderSize || length > MaxSize || length > span.Length)
        {
            return RadiusDecodeError.BadLengthField;
        }
        var list = new List<RadiusAttributeView>(16);
        int messageAuthenticator = -1;
        int offset = HeaderSize;
        while (offset < length)
        {
            if (length - offset < 2)
            {
                return RadiusDecodeError.BadAttributeLength;
            }
            byte type = span[offset];
            int attrLength = span[offset + 1];
            if (attrLength < 2 || offset + attrLength > length)
            {
                return RadiusDecodeError.BadAttributeLength;
            }
            int valueOffset = offset + 2;
            int valueLength = attrLength - 2;
            if (type == RadiusAttributes.VendorSpecificType)
            {
                var error = DecodeVendorSpecific(span, valueOffset, valueLength, list);
                if (error != RadiusDecodeError.None)
                {
                    return error;
                }
            }
            else
            {
                var definition = RadiusAttributes.Find(0, type);
                if (definition?.FixedSize is int size && size != valueLength)
                {
                    return RadiusDecodeError.BadAttributeValue;
                }
                if (type == RadiusAttributes.MessageAuthenticatorType)
                {
                    if (messageAuthenticator >= 0)
                    {
                        return RadiusDecodeError.DuplicateMessageAuthenticator;
                    }
                    messageAuthenticator = valueOffset;
                }
                list.Add(new RadiusAttributeView(type, 0, 0, valueOffset, valueLength));
            }
            offset += attrLength;
        }
        packet = new RadiusPacket(datagram[..length], list, messageAuthenticator);
        return RadiusDecodeError.None;
    }

    private static RadiusDecodeError DecodeVendorSpecific(ReadOnlySpan<byte> span, int offset, int length, List<RadiusAttributeView> list)
    {
        // RFC 2865 5.26: Length >= 7, i.e. a 4-byte Vendor-Id and at least one byte of payload.
        if (length < 5)
        {
            return RadiusDecodeError.BadVendorSpecific;
        }
        uint vendor = BinaryPrimitives.ReadUInt32BigEndian(span[offset..]);
        if (vendor == 0)
        {
            return RadiusDecodeError.BadVendorSpecific;
        }
        int start = offset + 4;
        int end = offset + length;
        int before = list.Count;
        int p = start;
        while (p < end)
        {
            int subLength = end - p >= 2 ? span[p + 1] : 0;
            if (subLength < 2 || p + subLength > end)
            {
                break;
            }
            var definition = RadiusAttributes.Find(vendor, span[p]);
            if (definition?.FixedSize is int size && size != subLength - 2)
            {
                return RadiusDecodeError.BadAttributeValue;
            }
            list.Add(new RadiusAttributeView(RadiusAttributes.VendorSpecificType, vendor, span[p], p + 2, subLength - 2));
            p += subLength;
        }
        if (p == end)
        {
            return RadiusDecodeError.None;
        }
        if (RadiusAttributes.IsKnownVendor(vendor))
        {
            return RadiusDecodeError.BadVendorSpecific;
        }
        // A vendor we do not know may use its own framing: keep its payload whole and opaque.
        list.RemoveRange(before, list.Count - before);
        list.Add(new RadiusAttributeView(RadiusAttributes.VendorSpecificType, vendor, 0, start, end - start));
        return RadiusDecodeError.None;
    }

    /// <summary>The value bytes of an attribute of this packet.</summary>
    public ReadOnlySpan<byte> Value(RadiusAttributeView attribute) => Bytes.Span.Slice(attribute.ValueOffset, attribute.ValueLength);

    /// <summary>The first attribute matching the definition, if any.</summary>
    public bool TryGet(RadiusAttributeDefinition definition, out RadiusAttributeView attribute)
    {
        foreach (var a in attributes)
        {
            if (a.Is(definition))
            {
                attribute = a;
                return true;
            }
        }
        attribute = default;
        return false;
    }

    /// <summary>Every attribute matching the definition, in packet order (e.g. Proxy-State, Class).</summary>
    public IEnumerable<RadiusAttributeView> All(RadiusAttributeDefinition definition) => attributes.Where(a => a.Is(definition));

    public string? GetText(RadiusAttributeDefinition definition) =>
        TryGet(definition, out var a) ? Encoding.UTF8.GetString(Value(a)) : null;

    public byte[]? GetOctets(RadiusAttributeDefinition definition) =>
        TryGet(definition, out var a) ? Value(a).ToArray() : null;

    /// <summary>An Integer, Time or Byte attribute's value. Sizes were validated when decoding.</summary>
    public uint? GetUInt32(RadiusAttributeDefinition definition)
    {
        if (!TryGet(definition, out var a))
        {
            return null;
        }
        var value = Value(a);
        return value.Length switch
        {
            1 => value[0],
            4 => BinaryPrimitives.ReadUInt32BigEndian(value),
            _ => null, // an attribute the dictionary does not size (unknown vendor type): no integer to read
        };
    }

    public IPAddress? GetIPv4Address(RadiusAttributeDefinition definition) =>
        TryGet(definition, out var a) && a.ValueLength == 4 ? new IPAddress(Value(a)) : null;

    public DateTimeOffset? GetTime(RadiusAttributeDefinition definition) =>
        GetUInt32(definition) is uint seconds ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;

    /// <summary>A 64-bit counter from its low 32 bits and its Gigawords attribute (RFC 2869 5.1, 5.2).</summary>
    public ulong? GetCounter64(RadiusAttributeDefinition low, RadiusAttributeDefinition gigawords)
    {
        if (GetUInt32(low) is not uint lowValue)
        {
            return null;
        }
        ulong high = GetUInt32(gigawords) ?? 0;
        return (high << 32) | lowValue;
    }
}
