using System.Buffers.Binary;
using System.Text;

namespace Simlane.Radius.Codec;

/// <summary>An attribute to send: its definition and its encoded value.</summary>
public readonly record struct RadiusAttributeValue(RadiusAttributeDefinition Definition, ReadOnlyMemory<byte> Value)
{
    public static RadiusAttributeValue FromNumber(RadiusAttributeDefinition definition, uint value)
    {
        var bytes = new byte[definition.DataType == RadiusDataType.Byte ? 1 : 4];
        if (bytes.Length == 1)
        {
            bytes[0] = checked((byte)value);
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        }
        return new(definition, bytes);
    }

    /// <summary>An enumerated integer by its dictionary name (e.g. Error-Cause "Session-Context-Not-Found").</summary>
    public static RadiusAttributeValue Named(RadiusAttributeDefinition definition, string valueName) =>
        definition.Values.TryGetValue(valueName, out var value)
            ? FromNumber(definition, value)
            : throw new ArgumentException($"{definition.Name} has no value named '{valueName}'.", nameof(valueName));

    public static RadiusAttributeValue Text(RadiusAttributeDefinition definition, string value) => new(definition, Encoding.UTF8.GetBytes(value));

    public static RadiusAttributeValue Octets(RadiusAttributeDefinition definition, ReadOnlyMemory<byte> value) => new(definition, value);

    public override string ToString() => $"{Definition.Name} ({Value.Length} bytes)";
}

/// <summary>
/// Writes a packet into a caller-supplied buffer (pooled by the listener): header, attributes (vendor
/// sub-attributes wrapped in their own Vendor-Specific), then the Length field. Authenticators are filled in by
/// <see cref="RadiusAuthenticators"/> afterwards.
/// </summary>
public ref struct RadiusPacketWriter
{
    private readonly Span<byte> buffer;
    private int length;

    public RadiusPacketWriter(Span<byte> buffer, RadiusCode code, byte identifier)
    {
        if (buffer.Length < RadiusPacket.HeaderSize)
        {
            throw new ArgumentException("The buffer cannot hold a RADIUS header.", nameof(buffer));
        }
        this.buffer = buffer[..Math.Min(buffer.Length, RadiusPacket.MaxSize)];
        this.buffer[..RadiusPacket.HeaderSize].Clear();
        this.buffer[0] = (byte)code;
        this.buffer[1] = identifier;
        length = RadiusPacket.HeaderSize;
    }

    public readonly int Length => length;

    /// <summary>Adds a zeroed Message-Authenticator and returns the offset of its value.</summary>
    public int AddMessageAuthenticator()
    {
        Reserve(18);
        buffer[length] = RadiusAttributes.MessageAuthenticatorType;
        buffer[length + 1] = 18;
        buffer.Slice(length + 2, 16).Clear();
        length += 18;
        return length - 16;
    }

    public void Add(RadiusAttributeValue attribute) => Add(attribute.Definition, attribute.Value.Span);

    public void Add(RadiusAttributeDefinition definition, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        if (definition.DataType == RadiusDataType.Byte)
        {
            Add(definition, [checked((byte)value)]);
            return;
        }
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        Add(definition, bytes);
    }

    public void Add(RadiusAttributeDefinition definition, scoped ReadOnlySpan<byte> value)
    {
        if (definition.DataType == RadiusDataType.VendorSpecific)
        {
            throw new ArgumentException("Add a vendor's sub-attribute by its own definition; the writer wraps it.", nameof(definition));
        }
        if (definition.VendorId == 0 && definition.Type == RadiusAttributes.MessageAuthenticatorType)
        {
            throw new ArgumentException("Message-Authenticator is added by AddMessageAuthenticator and signed, never given as a value.", nameof(definition));
        }
        if (definition.FixedSize is int size && size != value.Length)
        {
            throw new ArgumentException($"{definition.Name} takes {size} bytes, not {value.Length}.", nameof(value));
        }
        if (definition.VendorId == 0)
        {
            if (value.Length > 253)
            {
                throw new ArgumentException($"{definition.Name} is longer than 253 bytes.", nameof(value));
            }
            Reserve(2 + value.Length);
            buffer[length] = definition.Type;
            buffer[length + 1] = (byte)(2 + value.Length);
            value.CopyTo(buffer[(length + 2)..]);
            length += 2 + value.Length;
            return;
        }
        if (value.Length > 247)
        {
            throw new ArgumentException($"{definition.Name} is longer than 247 bytes.", nameof(value));
        }
        Reserve(8 + value.Length);
        buffer[length] = RadiusAttributes.VendorSpecificType;
        buffer[length + 1] = (byte)(8 + value.Length);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[(length + 2)..], definition.VendorId);
        buffer[length + 6] = definition.Type;
        buffer[length + 7] = (byte)(2 + value.Length);
        value.CopyTo(buffer[(length + 8)..]);
        length += 8 + value.Length;
    }

    /// <summary>Writes the Length field and returns the packet's length.</summary>
    public readonly int Finish()
    {
        BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], (ushort)length);
        return length;
    }

    private readonly void Reserve(int bytes)
    {
        if (length + bytes > buffer.Length)
        {
            throw new InvalidOperationException($"The packet would exceed {buffer.Length} bytes.");
        }
    }
}
