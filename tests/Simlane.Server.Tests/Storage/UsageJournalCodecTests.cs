using Simlane.Storage;

namespace Simlane.Server.Tests.Storage;

/// <summary>
/// The journal's packed records (S69): what ingest acknowledged is read back exactly, and the bytes are the format's (a journal
/// written by an earlier server, through BinaryWriter, is read by this one and the other way round).
/// </summary>
public sealed class UsageJournalCodecTests
{
    [Fact]
    public void Encode_WritesTheBytesBinaryWriterWrote_AndDecodeReadsEveryFieldBack()
    {
        var entries = new List<UsageJournalEntry>
        {
            Entry("sim-1", "440100000000001", "s1.standard", 1_765_000_000, 1, 2, 3, 4),
            Entry("", "0", "s1.fast", 0, 0, 0, 0, 0),
            Entry("シム", "44010", "s1.4xfast", -1, long.MaxValue, long.MinValue, -5, 127),
            Entry(new string('x', 300), "4401012345678901", "s1.minimum", long.MinValue, 128, 16_384, int.MaxValue, 1L << 40),
        };

        // Enough long records that the buffer grows more than once.
        entries.AddRange(Enumerable.Range(0, 2_000).Select(i => Entry(new string('s', i % 200), $"44010{i:D10}", "s1.slow", 1_765_000_000 + i, i, 2L * i, 3L * i, -i)));

        var encoded = UsageJournalCodec.Encode(entries);
        encoded.ShouldBe(BinaryWriterBytes(entries));

        var decoded = new List<UsageJournalEntry>();
        UsageJournalCodec.Decode(7, "op-1", 99, encoded, decoded.Add);
        decoded.Count.ShouldBe(entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            var (expected, actual) = (entries[i], decoded[i]);
            (actual.Id, actual.Batch, actual.OperatorId, actual.AcceptedTime).ShouldBe((7L, 7L, "op-1", 99L));
            (actual.SimId, actual.Imsi, actual.SpeedClass).ShouldBe((expected.SimId, expected.Imsi, expected.SpeedClass), $"record {i}");
            (actual.Unixtime, actual.UploadBytes, actual.DownloadBytes, actual.UploadPackets, actual.DownloadPackets)
                .ShouldBe((expected.Unixtime, expected.UploadBytes, expected.DownloadBytes, expected.UploadPackets, expected.DownloadPackets), $"record {i}");
        }
    }

    [Fact]
    public void Decode_RefusesAnUnknownFormat()
    {
        var encoded = UsageJournalCodec.Encode([Entry("sim-1", "440100000000001", "s1.standard", 1, 1, 1, 1, 1)]);
        encoded[0] = 2;
        Should.Throw<InvalidDataException>(() => UsageJournalCodec.Decode(3, "op-1", 0, encoded, _ => { })).Message.ShouldContain("unknown format 2");
    }

    private static UsageJournalEntry Entry(string simId, string imsi, string speedClass, long unixtime, long upBytes, long downBytes, long upPackets, long downPackets) =>
        new()
        {
            OperatorId = "op-1", SimId = simId, Imsi = imsi, SpeedClass = speedClass, Unixtime = unixtime,
            UploadBytes = upBytes, DownloadBytes = downBytes, UploadPackets = upPackets, DownloadPackets = downPackets,
        };

    /// <summary>The format as first written: a format byte (1), then per record three strings and five zig-zag 7-bit integers.</summary>
    private static byte[] BinaryWriterBytes(List<UsageJournalEntry> entries)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write((byte)1);
            foreach (var e in entries)
            {
                writer.Write(e.SimId);
                writer.Write(e.Imsi);
                writer.Write(e.SpeedClass);
                foreach (var value in new[] { e.Unixtime, e.UploadBytes, e.DownloadBytes, e.UploadPackets, e.DownloadPackets })
                {
                    writer.Write7BitEncodedInt64((value << 1) ^ (value >> 63));
                }
            }
        }

        return stream.ToArray();
    }
}
