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
