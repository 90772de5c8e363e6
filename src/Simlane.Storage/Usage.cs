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
/// One accepted usage record waiting to be folded into the counters (<c>usage_journal</c>, issue 14): ingest answers
/// after appending it durably, and the fold (the server's <c>UsageFold</c>) takes entries in id order, adds them to
/// <see cref="UsageCounter"/>s, writes the engine's events and deletes them, in one transaction. The journal holds only
/// what is not folded yet, so after a crash the fold resumes with what is left and nothing is counted twice.
/// </summary>
public sealed class UsageJournalEntry
{
    /// <summary>Append order (on SQLite never reused, so a fold barrier can wait for "everything up to id N").</summary>
    public long Id { get; set; }

    /// <summary>The ingest call that appended it (random): the fold writes one event per IMSI per batch, as ingest did.</summary>
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
