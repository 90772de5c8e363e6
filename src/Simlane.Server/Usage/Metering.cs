using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Simlane.Core.Errors;
using Simlane.Core.Events;
using Simlane.Core.Sims;
using Simlane.Core.Usage;
using Simlane.Server.Infrastructure;
using Simlane.Storage;

namespace Simlane.Server.Usage;

/// <summary>
/// One usage record, shape-checked but not yet resolved to a SIM. Record IDs are scoped to the operator of
/// the record's SIM. Entries that share an operator and a <see cref="RecordId"/> in one batch are either
/// parts of one record (the sandbox's per-speed-class map), accepted or skipped together, or repeats of
/// which the first counts (the gateway), by <see cref="Metering.IngestAsync"/>'s <c>sharedIdsAreParts</c>.
/// </summary>
/// <param name="Index">Position in the caller's batch, for error messages.</param>
/// <param name="RecordId">The gateway's record ID (de-duplication key, with the SIM's operator).</param>
/// <param name="Imsi">The subscriber the traffic belongs to.</param>
/// <param name="Unixtime">The record's own time, epoch seconds: it counts toward that time's buckets.</param>
/// <param name="SpeedClass">Null: the SIM's current speed class.</param>
/// <param name="Traffic">Bytes and packets.</param>
public sealed record MeterInput(int Index, string RecordId, string Imsi, long Unixtime, string? SpeedClass, TrafficTotals Traffic);

/// <summary>
/// How a batch ended: records counted, and records skipped because their operator already had a record
/// accepted with that ID (earlier, or earlier in the batch).
/// </summary>
public sealed record MeterResult(int Accepted, int Duplicates);

/// <summary>
/// The one metering path, used by the gateway (<c>POST /v1/gateway/usage</c>) and the sandbox
/// (<c>POST /v1/sandbox/stats/air/subscribers/{imsi}</c>). A batch is one transaction:
/// <list type="number">
/// <item>resolve every IMSI to its SIM in the caller's scope (an unknown or foreign IMSI rejects the batch);</item>
/// <item>insert the record IDs under the operator of their SIM, skipping those that operator already had
///   accepted (duplicates are never counted twice; another operator's record IDs are never seen);</item>
/// <item>aggregate the new records in memory and upsert the counters with one batched
///   <c>INSERT … ON CONFLICT … DO UPDATE SET x = usage_counters.x + excluded.x</c> (same SQL on SQLite and PostgreSQL):
///   Subscriber and Sim scopes in five-minute, day, month and all-time buckets, Group and Operator scopes in day,
///   month and all-time buckets;</item>
/// <item>write one <see cref="DomainEventTypes.UsageRecorded"/> event per IMSI touched, plus
///   <see cref="DomainEventTypes.FirstTraffic"/> for an IMSI that had no traffic before;</item>
/// <item>commit; the caller answers only after the commit (durable before the answer).</item>
/// </list>
/// Group counters accrue to the group the SIM belonged to <b>when the traffic happened</b> (the record's own
/// time), also for records that arrive after the SIM changed group: <c>group_memberships</c> is the membership
/// history (<see cref="GroupMembership"/>, read through <see cref="UsageStore"/>, which holds all of this path's SQL), read only for SIMs whose
/// last change is later than one of their records.
/// </summary>
public sealed class Metering(SimlaneDb db, TimeProvider clock)
{
    private readonly UsageStore store = new(db);

    /// <summary>How far in the future (by the server clock) a record's time may be (decisions.md 17).</summary>
    public const long MaxFutureSeconds = 300;

    /// <summary>On SQLite, a batch larger than this is committed in chunks of this many records (see <see cref="IngestAsync"/>).</summary>
    public const int SqliteCommitChunk = 250;

    private static readonly UsagePeriod[] SubscriberPeriods = [UsagePeriod.FiveMinutes, UsagePeriod.Day, UsagePeriod.Month, UsagePeriod.AllTime];
    private static readonly UsagePeriod[] AggregatePeriods = [UsagePeriod.Day, UsagePeriod.Month, UsagePeriod.AllTime];

    /// <summary>
    /// Checks a record's own time: not negative and at most <see cref="MaxFutureSeconds"/> ahead of the
    /// server clock. Every entry point (gateway, sandbox) applies the same rule; <paramref name="field"/>
    /// names the offending field in the 400.
    /// </summary>
    public static void ValidateTime(long unixtime, long nowSeconds, string field)
    {
        if (unixtime < 0)
        {
            throw new SimlaneException(ErrorCodes.InvalidField, $"{field}: must not be negative");
        }

        if (unixtime > nowSeconds + MaxFutureSeconds)
        {
            throw new SimlaneException(ErrorCodes.InvalidField, $"{field}: more than {MaxFutureSeconds} seconds in the future");
        }
    }

    /// <summary>
    /// Meters <paramref name="inputs"/> for registered SIMs (<paramref name="operatorId"/> null) or one
    /// operator's SIMs. Throws (and changes nothing) if an IMSI is unknown in that scope; with <paramref name="rejectDuplicates"/> a record ID
    /// already accepted also throws <paramref name="duplicateError"/>. With <paramref name="sharedIdsAreParts"/>, entries with the
    /// same operator and record ID are parts of one record; without it, the first of them counts and the rest are duplicates.
    /// </summary>
    public async Task<MeterResult> IngestAsync(
        IReadOnlyList<MeterInput> inputs, string? operatorId, bool rejectDuplicates = false, ErrorCode? duplicateError = null, bool sharedIdsAreParts = false)
    {
        if (inputs.Count == 0)
        {
            return new MeterResult(0, 0);
        }

        var sqlite = db is not PostgresSimlaneDb;
        if (!sqlite || rejectDuplicates || inputs.Count <= SqliteCommitChunk)
        {
            return await IngestOnceAsync(inputs, operatorId, rejectDuplicates, duplicateError, sharedIdsAreParts);
        }

        // SQLite, a large batch: validated whole first (an unknown IMSI anywhere changes nothing), then committed
        // in chunks, each its own turn at the single writer, so the rule engine is not kept waiting behind one long
        // transaction. A crash between chunks leaves the batch unacknowledged; the gateway sends it again and the
        // records already written are duplicates by their recordId (docs/gateway.md).
        await ResolveAsync(inputs, operatorId);
        var accepted = 0;
        var duplicates = 0;
        foreach (var chunk in inputs.Chunk(SqliteCommitChunk))
        {
            var part = await IngestOnceAsync(chunk, operatorId, rejectDuplicates: false, duplicateError: null, sharedIdsAreParts);
            accepted += part.Accepted;
            duplicates += part.Duplicates;
        }

        return new MeterResult(accepted, duplicates);
    }

    /// <summary>
    /// Meters <paramref name="inputs"/> (registered SIMs) inside the caller's open transaction, which the caller already
    /// entered the writer gate for and commits (then calls <c>AfterCommit</c>): RADIUS accounting commits a batch's
    /// session changes and its usage together (docs/radius.md). The first of entries sharing a record ID counts.
    /// </summary>
    public async Task<MeterResult> IngestInOpenTransactionAsync(IReadOnlyList<MeterInput> inputs)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("IngestInOpenTransactionAsync needs the caller's transaction");
        }

        return inputs.Count == 0
            ? new MeterResult(0, 0)
            : await IngestInTransactionAsync(inputs, operatorId: null, rejectDuplicates: false, duplicateError: null, sharedIdsAreParts: false);
    }

    /// <summary>One transaction (on SQLite, one turn at the writer gate) for <paramref name="inputs"/>.</summary>
    private async Task<MeterResult> IngestOnceAsync(
        IReadOnlyList<MeterInput> inputs, string? operatorId, bool rejectDuplicates, ErrorCode? duplicateError, bool sharedIdsAreParts)
    {
        // SQLite has one writer at a time. Queue batches here, in order, rather than in SQLite's busy handler,
        // which sleeps and retries and lets an unlucky batch wait for tens of seconds under load.
        using var gate = await db.EnterWriterGateAsync(priority: false, CancellationToken.None);
        await store.PrepareConnectionAsync();

        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            var result = await IngestInTransactionAsync(inputs, operatorId, rejectDuplicates, duplicateError, sharedIdsAreParts);
            await transaction.CommitAsync();
            db.AfterCommit();

            return result;
        });
    }

    private async Task<MeterResult> IngestInTransactionAsync(
        IReadOnlyList<MeterInput> inputs, string? operatorId, bool rejectDuplicates, ErrorCode? duplicateError, bool sharedIdsAreParts)
    {
        var now = clock.NowMs();
        var targets = await ResolveAsync(inputs, operatorId);
        var repeats = 0;
        if (!sharedIdsAreParts)
        {
            var records = inputs.DistinctBy(i => Key(i, targets)).ToList();
            repeats = inputs.Count - records.Count;
            inputs = records;
        }

        var inserted = await store.InsertRecordIdsAsync(
            inputs.Select(i => new NewUsageRecord(targets[i.Imsi].OperatorId, i.RecordId, i.Imsi, i.Unixtime)), now);
        var recordIds = inputs.Select(i => Key(i, targets)).Distinct().Count();
        var duplicates = recordIds - inserted.Count + repeats;
        if (duplicates > 0 && rejectDuplicates)
        {
            throw new SimlaneException(duplicateError ?? ErrorCodes.InvalidRequest);
        }

        var counted = inputs.Where(i => inserted.Contains(Key(i, targets))).ToList();
        if (counted.Count == 0)
        {
            return new MeterResult(0, duplicates);
        }

        var imsis = counted.Select(i => i.Imsi).Distinct(StringComparer.Ordinal).ToList();
        var hadTraffic = await store.ImsisWithTrafficAsync(imsis);
        var groupHistory = await GroupHistoryAsync(counted, targets);

        var counters = new Dictionary<CounterKey, (string OperatorId, TrafficTotals Traffic)>();
        var perImsi = new Dictionary<string, (TrafficTotals Traffic, long From, long To)>(StringComparer.Ordinal);
        foreach (var input in counted)
        {
            var target = targets[input.Imsi];
            var speedClass = input.SpeedClass ?? target.SpeedClass;
            foreach (var period in SubscriberPeriods)
            {
                var bucket = UsageWindows.BucketStart(period, input.Unixtime);
                Add(counters, new CounterKey(UsageScope.Subscriber, target.Imsi, period, bucket, speedClass), target.OperatorId, input.Traffic);
                Add(counters, new CounterKey(UsageScope.Sim, target.SimId, period, bucket, speedClass), target.OperatorId, input.Traffic);
            }

            foreach (var period in AggregatePeriods)
            {
                var bucket = UsageWindows.BucketStart(period, input.Unixtime);
                if (GroupAt(target, input.Unixtime, groupHistory) is { } groupId)
                {
                    Add(counters, new CounterKey(UsageScope.Group, groupId, period, bucket, speedClass), target.OperatorId, input.Traffic);
                }

                Add(counters, new CounterKey(UsageScope.Operator, target.OperatorId, period, bucket, speedClass), target.OperatorId, input.Traffic);
            }

            perImsi[input.Imsi] = perImsi.TryGetValue(input.Imsi, out var seen)
                ? (seen.Traffic + input.Traffic, Math.Min(seen.From, input.Unixtime), Math.Max(seen.To, input.Unixtime))
                : (input.Traffic, input.Unixtime, input.Unixtime);
        }

        await store.AddToCountersAsync(counters);

        // Last write of the transaction: the outbox writer takes the outbox lock (ids in commit order, OutboxWriter.LockKey).
        await db.Outbox.AppendAsync(Events(perImsi, targets, hadTraffic), now);
        return new MeterResult(inserted.Count, duplicates);
    }

    /// <summary>The de-duplication key of a record: the operator of its SIM and its record ID.</summary>
    private static (string OperatorId, string RecordId) Key(MeterInput input, Dictionary<string, ImsiTarget> targets) =>
        (targets[input.Imsi].OperatorId, input.RecordId);

    private static void Add(Dictionary<CounterKey, (string OperatorId, TrafficTotals Traffic)> counters, CounterKey key, string operatorId, TrafficTotals traffic) =>
        counters[key] = counters.TryGetValue(key, out var existing) ? (operatorId, existing.Traffic + traffic) : (operatorId, traffic);

    /// <summary>
    /// The end of a record's second, epoch milliseconds: record times have one-second resolution, so a group
    /// change in the same second as a record (its milliseconds before this) counts as before the record.
    /// </summary>
    private static long SecondEndMs(long unixtime) => (unixtime + 1) * 1000;

    /// <summary>
    /// The group a SIM was in at the end of second <paramref name="unixtime"/>: its current group, unless it
    /// changed group in a later second, in which case the group of its membership that began before the end of that
    /// second and ended after it (none: no group). Traffic stamped in the same second as a set_group or unset_group
    /// counts for the new group (or none).
    /// </summary>
    private static string? GroupAt(ImsiTarget target, long unixtime, Dictionary<string, List<(long From, long? To, string GroupId)>> history)
    {
        var end = SecondEndMs(unixtime);
        if (target.GroupChangedTime is not { } changed || changed < end)
        {
            return target.GroupId;
        }

        if (history.TryGetValue(target.SimId, out var stays))
        {
            foreach (var (from, to, groupId) in stays)
            {
                if (from < end && (to is null || to >= end))
                {
                    return groupId;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Group memberships (oldest first) of the few SIMs whose last change is in a later second than one of their
    /// records in this batch: usually none, so usually no query.
    /// </summary>
    private async Task<Dictionary<string, List<(long From, long? To, string GroupId)>>> GroupHistoryAsync(List<MeterInput> counted, Dictionary<string, ImsiTarget> targets)
    {
        var simIds = counted
            .Select(i => (Input: i, Target: targets[i.Imsi]))
            .Where(x => x.Target.GroupChangedTime is { } changed && changed >= SecondEndMs(x.Input.Unixtime))
            .Select(x => x.Target.SimId)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return simIds.Count == 0 ? [] : await store.GroupMembershipsAsync(simIds);
    }

    /// <summary>
    /// The SIM behind every IMSI, among registered SIMs (<paramref name="operatorId"/> null: the platform
    /// gateway) or one operator's SIMs; an unknown IMSI rejects the batch.
    /// </summary>
    private async Task<Dictionary<string, ImsiTarget>> ResolveAsync(IReadOnlyList<MeterInput> inputs, string? operatorId)
    {
        var targets = await store.ResolveImsisAsync(inputs.Select(i => i.Imsi).Distinct(StringComparer.Ordinal).ToList(), operatorId);
        var unknown = inputs.FirstOrDefault(i => !targets.ContainsKey(i.Imsi));
        return unknown is null
            ? targets
            : throw new SimlaneException(ErrorCodes.InvalidField, $"records[{unknown.Index}].imsi: unknown IMSI '{unknown.Imsi}'");
    }

    /// <summary>One FirstTraffic (for an IMSI without traffic before) and one UsageRecorded event per IMSI, in IMSI order.</summary>
    private static List<OutboxRow> Events(
        Dictionary<string, (TrafficTotals Traffic, long From, long To)> perImsi, Dictionary<string, ImsiTarget> targets, HashSet<string> hadTraffic)
    {
        var events = new List<OutboxRow>();
        foreach (var (imsi, (traffic, from, to)) in perImsi.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var target = targets[imsi];
            var payload = JsonSerializer.Serialize(new UsageRecordedPayload(traffic.UploadBytes, traffic.DownloadBytes, traffic.UploadPackets, traffic.DownloadPackets, from, to), Json.Options);
            if (!hadTraffic.Contains(imsi))
            {
                events.Add(new OutboxRow(target.OperatorId, target.SimId, target.Imsi, DomainEventTypes.FirstTraffic, payload));
            }

            events.Add(new OutboxRow(target.OperatorId, target.SimId, target.Imsi, DomainEventTypes.UsageRecorded, payload));
        }

        return events;
    }
}

/// <summary>
/// <see cref="DomainEventTypes.UsageRecorded"/> and <see cref="DomainEventTypes.FirstTraffic"/> payload
/// (the event's NewValue, JSON camelCase): the traffic one batch added for the IMSI, over all speed classes,
/// and the earliest and latest record time (epoch seconds) in it.
/// </summary>
public sealed record UsageRecordedPayload(long UploadBytes, long DownloadBytes, long UploadPackets, long DownloadPackets, long FromUnixtime, long ToUnixtime);
