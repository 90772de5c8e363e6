using System.Buffers;
using System.Globalization;

namespace Simlane.Diameter.Codec;

/// <summary>What <see cref="DiameterFraming.TryReadFrame"/> found at the start of the buffer.</summary>
public enum FrameStatus
{
    /// <summary>Not a whole message yet: read more bytes.</summary>
    NeedMore,
    /// <summary>A whole message is at the start of the buffer.</summary>
    Frame,
    /// <summary>The header cannot start a valid message; the stream cannot be resynchronised, close the connection.</summary>
    Fatal,
}

/// <summary>
/// Splits a TCP byte stream into Diameter messages by their 24-bit length field. A message may arrive in many reads
/// and many messages in one read; only the first 4 bytes (version and length) are checked here, the rest is
/// <see cref="DiameterMessage.Decode"/>'s work, so that a malformed message with a sound length still gets an answer.
/// </summary>
public static class DiameterFraming
{
    /// <summary>
    /// Looks for one message at the start of <paramref name="buffer"/>. <see cref="FrameStatus.Fatal"/> when the version
    /// is not 1, the length is under 20 or not a multiple of 4, or it exceeds <paramref name="maxLength"/>: after such a
    /// header no later byte can be trusted to start a message.
    /// </summary>
    public static FrameStatus TryReadFrame(ReadOnlySequence<byte> buffer, int maxLength, out ReadOnlySequence<byte> frame, out string? fatalError)
    {
        frame = default;
        fatalError = null;
        if (buffer.IsEmpty)
        {
            return FrameStatus.NeedMore;
        }
        byte version = buffer.FirstSpan[0];
        if (version != DiameterMessage.Version)
        {
            fatalError = Invariant($"version {version}, not 1");
            return FrameStatus.Fatal;
        }
        if (buffer.Length < 4)
        {
            return FrameStatus.NeedMore;
        }
        Span<byte> prefix = stackalloc byte[4];
        buffer.Slice(0, 4).CopyTo(prefix);
        int length = (prefix[1] << 16) | (prefix[2] << 8) | prefix[3];
        if (length < DiameterMessage.HeaderSize)
        {
            fatalError = Invariant($"message length {length} is under the 20-byte header");
            return FrameStatus.Fatal;
        }
        if (length % 4 != 0)
        {
            fatalError = Invariant($"message length {length} is not a multiple of 4");
            return FrameStatus.Fatal;
        }
        if (length > maxLength)
        {
            fatalError = Invariant($"message length {length} exceeds the limit of {maxLength}");
            return FrameStatus.Fatal;
        }
        if (buffer.Length < length)
        {
            return FrameStatus.NeedMore;
        }
        frame = buffer.Slice(0, length);
        return FrameStatus.Frame;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
