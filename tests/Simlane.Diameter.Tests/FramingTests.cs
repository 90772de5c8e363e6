using System.Buffers;

namespace Simlane.Diameter.Tests;

/// <summary>DiameterFraming.TryReadFrame over partial, whole, coalesced, multi-segment and fatal input.</summary>
public sealed class FramingTests
{
    private static byte[] Message(uint hopByHop)
    {
        var message = DiameterMessage.CreateRequest(DiameterCommands.DeviceWatchdog, DiameterApplications.Common, proxiable: false);
        message.HopByHopId = hopByHop;
        message.Avps.Add(Avp.OfString(AvpCodes.OriginHost, "pgw.test"));
        return message.Encode();
    }

    [Fact]
    public void Every_prefix_of_a_message_needs_more_and_the_whole_message_is_a_frame()
    {
        var bytes = Message(1);
        for (int length = 0; length < bytes.Length; length++)
        {
            DiameterFraming.TryReadFrame(new ReadOnlySequence<byte>(bytes, 0, length), 4096, out _, out var error).ShouldBe(FrameStatus.NeedMore, $"{length} bytes");
            error.ShouldBeNull();
        }
        DiameterFraming.TryReadFrame(new ReadOnlySequence<byte>(bytes), 4096, out var frame, out _).ShouldBe(FrameStatus.Frame);
        frame.ToArray().ShouldBe(bytes);
    }

    [Fact]
    public void Coalesced_messages_come_out_one_frame_at_a_time()
    {
        var first = Message(1);
        var second = Message(2);
        var both = new ReadOnlySequence<byte>(first.Concat(second).Concat(second[..7]).ToArray());
        DiameterFraming.TryReadFrame(both, 4096, out var frame, out _).ShouldBe(FrameStatus.Frame);
        frame.ToArray().ShouldBe(first);
        var rest = both.Slice(frame.End);
        DiameterFraming.TryReadFrame(rest, 4096, out frame, out _).ShouldBe(FrameStatus.Frame);
        frame.ToArray().ShouldBe(second);
        DiameterFraming.TryReadFrame(rest.Slice(frame.End), 4096, out _, out _).ShouldBe(FrameStatus.NeedMore);
    }

    [Fact]
    public void A_frame_split_over_segments_is_found()
    {
        var bytes = Message(3);
        var first = new Segment(bytes[..2]);
        var last = first.Append(bytes[2..5]).Append(bytes[5..]);
        var sequence = new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
        DiameterFraming.TryReadFrame(sequence, 4096, out var frame, out _).ShouldBe(FrameStatus.Frame);
        frame.ToArray().ShouldBe(bytes);
    }

    [Theory]
    [InlineData("02000014", "version 2")]
    [InlineData("00000014", "version 0")]
    [InlineData("01000010", "under the 20-byte header")]
    [InlineData("01000016", "not a multiple of 4")]
    [InlineData("01001004", "exceeds the limit of 4096")]
    public void Headers_that_cannot_start_a_message_are_fatal(string prefix, string reason)
    {
        var bytes = Convert.FromHexString(prefix + "80000118");
        DiameterFraming.TryReadFrame(new ReadOnlySequence<byte>(bytes), 4096, out _, out var error).ShouldBe(FrameStatus.Fatal);
        error.ShouldNotBeNull().ShouldContain(reason);
    }

    [Fact]
    public void A_bad_version_is_fatal_from_the_first_byte()
    {
        DiameterFraming.TryReadFrame(new ReadOnlySequence<byte>(new byte[] { 0x47 }), 4096, out _, out _).ShouldBe(FrameStatus.Fatal); // "G" of "GET /"
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] bytes) => Memory = bytes;

        public Segment Append(byte[] bytes)
        {
            var next = new Segment(bytes) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
