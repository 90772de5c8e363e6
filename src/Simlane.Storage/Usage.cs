using Simlane.Core.Usage;

namespace Simlane.Storage;

/// <summary>
/// One counter: the traffic of one subscriber (IMSI), SIM, group or operator in one bucket of one
/// period, per speed class. Ingest adds to counters with an upsert (INSERT … ON CONFLICT DO UPDATE,
/// the same SQL on SQLite and PostgreSQL); stats and rules read them. Group counters accrue to the
/// group the SIM belonged to when the traffic was recorded.
/// </summary>
public sealed class UsageCounter
{
    public UsageScope Scope { get; set; }

    /// <summary>IMSI, SIM ID, group ID or operator ID, by <see cref="Scope"/>.</summary>
    public required string ScopeId { get; set; }

    public UsagePeriod Period { get; set; }

    /// <summary>Bucket start, epoch seconds UTC (0 for <see cref="UsagePeriod.AllTime"/>).</summary>
    public long BucketStart { get; set; }

    public required string SpeedClass { get; set; }

    /// <summary>The operator the counter belongs to, so every read is scoped.</summary>
    public required string OperatorId { get; set; }

    public long UploadBytes { get; set; }

    public long DownloadBytes { get; set; }

    public long UploadPackets { get; set; }

    public long DownloadPackets { get; set; }

    /// <summary>
    /// The fold's position (a journal row id) up to which this row holds every record of its counter: the freeze point of the
    /// checkpoint that last wrote it (decision S70). A reader adds an overlay layer's part of the counter only when the row is
    /// older than that layer (its through below the layer's), and a resumed checkpoint skips rows it already wrote.
    /// </summary>
    public long Through { get; set; }
}

/// <summary>
/// A usage record already accepted, by the operator of its SIM and the gateway's record ID, so a resent
/// batch is never counted twice. Record IDs are one namespace per operator: no operator can see or
/// pre-empt another's. Sandbox inserts use a record ID derived from (IMSI, unixtime).
/// </summary>
public sealed class AcceptedUsageRecord
{
    /// <summary>The operator of the record's SIM when it was accepted: the de-duplication namespace.</summary>
    public required string OperatorId { get; set; }

    public required string RecordId { get; set; }

    public required string Imsi { get; set; }

    /// <summary>The record's own time, epoch seconds.</summary>
    public long Unixtime { get; set; }

    /// <summary>When Simlane accepted it, epoch milliseconds.</summary>
    public long AcceptedTime { get; set; }
}

/// <summary>
/// Accepted usage records waiting to be folded into the counters (<c>usage_journal</c>, issue 14): ingest answers after
/// appending them durably, one row per ingest batch and operator (the records packed in <see cref="Data"/>, decision S69), and
/// the fold (the server's <c>UsageFold</c>) takes rows in id order, adds their records to <see cref="UsageCounter"/>s and writes
/// the engine's events; a checkpoint deletes them. The journal holds only what is not checkpointed yet, so after a crash the
/// fold resumes with what is left and nothing is counted twice.
/// </summary>
public sealed class UsageJournalBatch
{
    /// <summary>Append order (on SQLite never reused, so a fold barrier can wait for "everything up to id N").</summary>
    public long Id { get; set; }

    /// <summary>The operator of every record in the row (a batch with several operators' SIMs is one row per operator).</summary>
    public required string OperatorId { get; set; }

    /// <summary>When ingest accepted the batch, epoch ms on the server's clock (the time of the events the fold writes for it).</summary>
    public long AcceptedTime { get; set; }

    /// <summary>How many records <see cref="Data"/> holds.</summary>
    public int Records { get; set; }

    /// <summary>The records (<see cref="UsageJournalCodec"/>).</summary>
    public required byte[] Data { get; set; }

    /// <summary>One row holding <paramref name="entries"/>, which share an operator and an accepted time.</summary>
    public static UsageJournalBatch Of(IReadOnlyList<UsageJournalEntry> entries) => new()
    {
        OperatorId = entries[0].OperatorId, AcceptedTime = entries[0].AcceptedTime, Records = entries.Count, Data = UsageJournalCodec.Encode(entries),
    };

    /// <summary>The records, each with <see cref="UsageJournalEntry.Id"/> and <see cref="UsageJournalEntry.Batch"/> this row's id.</summary>
    public List<UsageJournalEntry> Entries()
    {
        var entries = new List<UsageJournalEntry>(Records);
        UsageJournalCodec.Decode(Id, OperatorId, AcceptedTime, Data, entries.Add);
        return entries;
    }
}

/// <summary>
/// The packed records of a <see cref="UsageJournalBatch"/>: a format byte, then per record its SIM ID, IMSI and speed class
/// (length-prefixed UTF-8) and its time, bytes and packets (7-bit variable-length integers, zig-zag so that nothing is
/// assumed about signs). Operator and accepted time are the row's.
/// </summary>
public static class UsageJournalCodec
{
    private const byte Format = 1;

    public static byte[] Encode(IReadOnlyList<UsageJournalEntry> entries)
    {
        using var stream = new MemoryStream(entries.Count * 48);
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Format);
            foreach (var entry in entries)
            {
                writer.Write(entry.SimId);
                writer.Write(entry.Imsi);
                writer.Write(entry.SpeedClass);
                writer.Write7BitEncodedInt64(ZigZag(entry.Unixtime));
                writer.Write7BitEncodedInt64(ZigZag(entry.UploadBytes));
                writer.Write7BitEncodedInt64(ZigZag(entry.DownloadBytes));
                writer.Write7BitEncodedInt64(ZigZag(entry.UploadPackets));
                writer.Write7BitEncodedInt64(ZigZag(entry.DownloadPackets));
            }
        }

        return stream.ToArray();
    }

    /// <summary>Hands every record of row <paramref name="id"/> to <paramref name="entry"/>, in the order they were appended.</summary>
    public static void Decode(long id, string operatorId, long acceptedTime, byte[] data, Action<UsageJournalEntry> entry)
    {
        using var reader = new BinaryReader(new MemoryStream(data, writable: false), System.Text.Encoding.UTF8);
        var format = reader.ReadByte();
        if (format != Format)
        {
            throw new InvalidDataException($"usage_journal row {id}: unknown format {format}");
        }

        while (reader.BaseStream.Position < data.Length)
        {
            var (simId, imsi, speedClass) = (reader.ReadString(), reader.ReadString(), reader.ReadString());
            entry(new UsageJournalEntry
            {
                Id = id, Batch = id, OperatorId = operatorId, SimId = simId, Imsi = imsi, SpeedClass = Simlane.Core.Sims.SpeedClasses.Canonical(speedClass),
                Unixtime = UnZigZag(reader.Read7BitEncodedInt64()), UploadBytes = UnZigZag(reader.Read7BitEncodedInt64()),
                DownloadBytes = UnZigZag(reader.Read7BitEncodedInt64()), UploadPackets = UnZigZag(reader.Read7BitEncodedInt64()),
                DownloadPackets = UnZigZag(reader.Read7BitEncodedInt64()), AcceptedTime = acceptedTime,
            });
        }
    }

    private static long ZigZag(long value) => (value << 1) ^ (value >> 63);

    private static long UnZigZag(long value) => (long)((ulong)value >> 1) ^ -(value & 1);
}

/// <summary>
/// One accepted usage record of the journal (<see cref="UsageJournalBatch"/>), as ingest appends it and the fold reads it.
/// </summary>
public sealed class UsageJournalEntry
{
    /// <summary>The id of its journal row (set when read back; the fold's cursor moves row by row).</summary>
    public long Id { get; set; }

    /// <summary>Its journal row too: the fold writes one event per IMSI per row (per ingest batch and operator), as ingest did.</summary>
    public long Batch { get; set; }

    public required string OperatorId { get; set; }

    public required string SimId { get; set; }

    public required string Imsi { get; set; }

    /// <summary>The record's own time, epoch seconds: it counts toward that time's buckets.</summary>
    public long Unixtime { get; set; }

    /// <summary>The record's speed class, or the SIM's when it was accepted.</summary>
    public required string SpeedClass { get; set; }

    public long UploadBytes { get; set; }

    public long DownloadBytes { get; set; }

    public long UploadPackets { get; set; }

    public long DownloadPackets { get; set; }

    /// <summary>When ingest accepted it, epoch ms on the server's clock (the time of the events the fold writes for it).</summary>
    public long AcceptedTime { get; set; }
}
