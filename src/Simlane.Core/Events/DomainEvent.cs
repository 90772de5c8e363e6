namespace Simlane.Core.Events;

/// <summary>
/// One fact about a SIM or one of its IMSIs, written to the outbox in the same transaction as the
/// change it describes. A SIM-level event has <see cref="Imsi"/> null; every SIM-level change is also
/// recorded once per IMSI of the SIM so that Subscriber* and Sim* rules can each consume their own rows.
/// </summary>
public sealed class DomainEvent
{
    /// <summary>Outbox position: strictly increasing in commit order of a single writer.</summary>
    public long Id { get; set; }

    public required string OperatorId { get; set; }

    /// <summary>Null for events about a group or the operator as a whole (e.g. the monthly charge).</summary>
    public string? SimId { get; set; }

    public string? Imsi { get; set; }

    /// <summary>One of <see cref="DomainEventTypes"/>.</summary>
    public required string Type { get; set; }

    public string? OldValue { get; set; }

    public string? NewValue { get; set; }

    /// <summary>When the change happened, epoch milliseconds (UTC).</summary>
    public long OccurredTime { get; set; }
}

/// <summary>The kinds of <see cref="DomainEvent"/>.</summary>
public static class DomainEventTypes
{
    public const string Registered = "Registered";
    public const string StatusChanged = "StatusChanged";
    public const string SpeedClassChanged = "SpeedClassChanged";
    public const string GroupChanged = "GroupChanged";
    public const string ImeiLockChanged = "ImeiLockChanged";
    public const string TerminationEnabledChanged = "TerminationEnabledChanged";

    /// <summary>The expiry time passed; OldValue is the expiry time (ms), NewValue the action applied.</summary>
    public const string Expired = "Expired";

    /// <summary>A session was established; NewValue is the reported IMEI (null when none), OldValue the session ID.</summary>
    public const string SessionCreated = "SessionCreated";

    /// <summary>A session ended; OldValue is the session ID.</summary>
    public const string SessionDeleted = "SessionDeleted";

    /// <summary>A session was refused by the IMEI lock; OldValue is the lock, NewValue the reported IMEI (null when none).</summary>
    public const string ImeiMismatched = "ImeiMismatched";

    /// <summary>A subscription was added to a profile; OldValue is the plan, NewValue the new IMSI.</summary>
    public const string SubscriptionAdded = "SubscriptionAdded";

    /// <summary>OTA progress of a subscription (event Imsi-level rows name every IMSI; OldValue is that subscription's IMSI), NewValue started/finished/failed.</summary>
    public const string OtaStatusChanged = "OtaStatusChanged";

    /// <summary>
    /// The periodic billing aggregation computed an operator's charge for the current month (what
    /// <c>GET /bills/latest</c> answers; input of the MonthlyChargeRule). Operator-level: SimId and Imsi
    /// are null; OldValue is the month (<c>yyyyMM</c>), NewValue the amount as an invariant decimal string
    /// in the deployment's currency (e.g. <c>123</c> JPY, <c>4.56</c> USD).
    /// </summary>
    public const string MonthlyChargeAggregated = "MonthlyChargeAggregated";

    /// <summary>
    /// A metering batch added traffic for the IMSI (one event per IMSI per batch; SimId and Imsi set).
    /// OldValue is null; NewValue is JSON <c>{"uploadBytes","downloadBytes","uploadPackets","downloadPackets",
    /// "fromUnixtime","toUnixtime"}</c>: the bytes and packets the batch added over all speed classes, and the
    /// earliest and latest record time in it (epoch seconds). Read the counters for the totals.
    /// </summary>
    public const string UsageRecorded = "UsageRecorded";

    /// <summary>
    /// The IMSI's first traffic ever: written (before its <see cref="UsageRecorded"/>) by the batch that
    /// created its all-time counter. NewValue is the same JSON as <see cref="UsageRecorded"/>'s.
    /// </summary>
    public const string FirstTraffic = "FirstTraffic";
}
