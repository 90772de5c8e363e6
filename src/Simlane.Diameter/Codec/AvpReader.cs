using System.Buffers.Binary;
using System.Globalization;

namespace Simlane.Diameter.Codec;

/// <summary>
/// Reads a run of AVPs (a message body or a grouped payload) into <see cref="Avp"/> objects over the message's bytes,
/// decoding the children of grouped AVPs of known definition. The first malformed AVP stops the read with an
/// <see cref="AvpReadFailure"/> carrying the result code and the Failed-AVP payload RFC 6733 7.1.5 and 7.5 describe.
/// </summary>
internal static class AvpReader
{
    internal readonly record struct AvpReadFailure(uint ResultCode, string Detail, ReadOnlyMemory<byte> FailedAvp);

    /// <param name="bytes">The whole message.</param>
    /// <param name="offset">Where the run starts (4-byte aligned).</param>
    /// <param name="end">Where it ends: the message length, or the end of the grouped AVP's payload.</param>
    /// <param name="depth">0 for the message body, n for the payload of an AVP nested n grouped levels deep.</param>
    /// <param name="into">Receives every AVP read, up to the failure.</param>
    internal static AvpReadFailure? Read(ReadOnlyMemory<byte> bytes, int offset, int end, int depth, List<Avp> into)
    {
        var span = bytes.Span;
        while (offset < end)
        {
            int remaining = end - offset;
            if (remaining < Avp.HeaderSize)
            {
                if (depth == 0)
                {
                    // Trailing bytes that cannot be an AVP: the message length does not match its AVPs.
                    return new AvpReadFailure(DiameterResultCodes.InvalidMessageLength,
                        Invariant($"{remaining} bytes after the last AVP are too few for an AVP header"), ReadOnlyMemory<byte>.Empty);
                }
                return new AvpReadFailure(DiameterResultCodes.InvalidAvpLength,
                    Invariant($"{remaining} bytes at the end of a grouped AVP are too few for an AVP header"),
                    HeaderCopy(span.Slice(offset, remaining), Avp.HeaderSize, payload: 0));
            }

            uint code = BinaryPrimitives.ReadUInt32BigEndian(span[offset..]);
            uint flagsAndLength = BinaryPrimitives.ReadUInt32BigEndian(span[(offset + 4)..]);
            byte flags = (byte)(flagsAndLength >> 24);
            int length = (int)(flagsAndLength & 0xFFFFFF);
            bool hasVendor = (flags & Avp.FlagVendor) != 0;
            int headerSize = hasVendor ? Avp.VendorHeaderSize : Avp.HeaderSize;
            uint vendorId = hasVendor && remaining >= Avp.VendorHeaderSize ? BinaryPrimitives.ReadUInt32BigEndian(span[(offset + 8)..]) : 0;
            var header = span.Slice(offset, Math.Min(remaining, headerSize));

            if (length < headerSize)
            {
                // RFC 6733 7.1.5: the header padded with zeros up to the minimum header length is enough.
                return new AvpReadFailure(DiameterResultCodes.InvalidAvpLength,
                    Invariant($"AVP {code} has length {length}, shorter than its {headerSize}-byte header"), HeaderCopy(header, headerSize, payload: 0));
            }
            if (length > remaining)
            {
                var known = AvpDictionary.Find(code, vendorId);
                // The header as received and a zero-filled payload of the minimum size for the type.
                return new AvpReadFailure(DiameterResultCodes.InvalidAvpLength,
                    Invariant($"{known?.Name ?? $"AVP {code}"} has length {length}, past the end of its {(depth == 0 ? "message" : "grouped AVP")} ({remaining} bytes left)"),
                    HeaderCopy(header, headerSize, known?.MinimumSize ?? 0));
            }

            var data = bytes.Slice(offset + headerSize, length - headerSize);
            var definition = AvpDictionary.Find(code, vendorId);
            IReadOnlyList<Avp> children = [];
            if (definition is { Type: AvpType.Grouped })
            {
                if (depth >= DiameterMessage.MaxGroupedDepth)
                {
                    return new AvpReadFailure(DiameterResultCodes.InvalidAvpValue,
                        Invariant($"grouped AVPs nest deeper than {DiameterMessage.MaxGroupedDepth} levels"), HeaderCopy(header, headerSize, payload: 0));
                }
                var list = new List<Avp>();
                if (Read(bytes, offset + headerSize, offset + length, depth + 1, list) is { } inner)
                {
                    if (code == AvpCodes.FailedAvp && vendorId == 0)
                    {
                        // A Failed-AVP holds the AVPs that were wrong, sometimes on purpose with their bad lengths (RFC
                        // 6733 7.1.5): it is kept as raw bytes, without children, rather than failing the answer.
                        list.Clear();
                    }
                    else
                    {
                        return inner with { FailedAvp = Wrap(header, inner.FailedAvp) };
                    }
                }
                children = list;
            }
            into.Add(new Avp(code, vendorId, (flags & Avp.FlagMandatory) != 0, (flags & Avp.FlagProtected) != 0, data, children));

            // Each AVP is padded to 4 bytes. Inside a grouped AVP some senders leave the last child's padding out of the
            // group's length; that child then ends exactly at the group's end, and is accepted.
            offset += Math.Min(Avp.Padded(length), remaining);
        }
        return null;
    }

    /// <summary>The received header bytes (zero-extended to the header size) followed by a zero payload, padded.</summary>
    private static byte[] HeaderCopy(ReadOnlySpan<byte> header, int headerSize, int payload)
    {
        var copy = new byte[Avp.Padded(headerSize + payload)];
        header[..Math.Min(header.Length, headerSize)].CopyTo(copy);
        return copy;
    }

    /// <summary>A copy of a grouped AVP's header, its length set to hold just the offending inner AVP.</summary>
    private static byte[] Wrap(ReadOnlySpan<byte> groupHeader, ReadOnlyMemory<byte> inner)
    {
        var wrapped = new byte[groupHeader.Length + inner.Length];
        groupHeader.CopyTo(wrapped);
        uint flags = BinaryPrimitives.ReadUInt32BigEndian(wrapped.AsSpan(4)) & 0xFF000000;
        BinaryPrimitives.WriteUInt32BigEndian(wrapped.AsSpan(4), flags | (uint)wrapped.Length);
        inner.Span.CopyTo(wrapped.AsSpan(groupHeader.Length));
        return wrapped;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
