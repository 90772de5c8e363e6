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
/// The one metering path, used by the gateway (<c>POST /v1/gateway/usage</c>), the sandbox
/// (<c>POST /v1/sandbox/stats/air/subscribers/{imsi}</c>) and RADIUS accounting. A batch is one transaction:
/// <list type="number">
/// <item>resolve every IMSI to its SIM in the caller's scope (an unknown or foreign IMSI rejects the batch);</item>
/// <item>insert the record IDs under the operator of their SIM, skipping those that operator already had
///   accepted (duplicates are never counted twice; another operator's record IDs are never seen);</item>
/// <item>append the new records to the usage journal (one <see cref="UsageJournalBatch"/> row per operator), with the speed class they
///   count for (the record's, or the SIM's now);</item>
/// <item>commit; the caller answers only after the commit (durable before the answer).</item>
/// </list>
/// The counters and the engine's <see cref="DomainEventTypes.UsageRecorded"/> and <see cref="DomainEventTypes.FirstTraffic"/>
/// events follow from the journal in <see cref="UsageFold"/>, right behind (it is woken by the commit); readers that
/// must see this batch call <see cref="UsageFold.CatchUpAsync"/> first.
/// </summary>
public sealed partial class Metering(SimlaneDb db, TimeProvider clock, UsageFold fold, ImsiDirectory directory, ILogger<Metering> logger)
{
    private readonly UsageStore store = new(db);

    /// <summary>How far in the future (by the server clock) a record's time may be (decisions.md 17).</summary>
    public const long MaxFutureSeconds = 300;

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
    /// Waits first while the fold is too far behind (<see cref="UsageFold.WaitForRoomAsync"/>).
    /// </summary>
    /// <remarks>
    /// With <paramref name="batchId"/> the batch is de-duplicated as a whole (decision S68): one row in the record IDs' table under
    /// the caller's batch namespace (<see cref="BatchNamespace"/>), whose record time is the batch's oldest, so the window and the
    /// pruner treat it like a record ID. A batch ID seen before answers every record a duplicate and writes nothing; the records'
    /// own IDs are not used.
    /// </remarks>
    public async Task<MeterResult> IngestAsync(
        IReadOnlyList<MeterInput> inputs, string? operatorId, bool rejectDuplicates = false, ErrorCode? duplicateError = null, bool sharedIdsAreParts = false,
        string? batchId = null, CancellationToken cancellationToken = default)
    {
        if (inputs.Count == 0)
        {
            return new MeterResult(0, 0);
        }

        var arrived = System.Diagnostics.Stopwatch.GetTimestamp();
        await fold.WaitForRoomAsync(cancellationToken);

        // SQLite has one writer at a time. Queue batches here, in order, rather than in SQLite's busy handler,
        // which sleeps and retries and lets an unlucky batch wait for tens of seconds under load.
        var waited = System.Diagnostics.Stopwatch.GetTimestamp();
        using var gate = await db.EnterWriterGateAsync(priority: false, cancellationToken);
        var entered = System.Diagnostics.Stopwatch.GetTimestamp();
        var strategy = db.Database.CreateExecutionStrategy();
        var (result, appended) = await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var outcome = batchId is null
                ? await IngestInTransactionAsync(inputs, operatorId, rejectDuplicates, duplicateError, sharedIdsAreParts)
                : await IngestBatchInTransactionAsync(inputs, operatorId, batchId);
            await transaction.CommitAsync(cancellationToken);
            return outcome;
        });
        fold.Appended(appended);
        db.AfterCommit();
        if (logger.IsEnabled(LogLevel.Debug))
        {
            var roomMs = (long)System.Diagnostics.Stopwatch.GetElapsedTime(arrived, waited).TotalMilliseconds;
            var waitMs = (long)System.Diagnostics.Stopwatch.GetElapsedTime(waited, entered).TotalMilliseconds;
            var writeMs = (long)System.Diagnostics.Stopwatch.GetElapsedTime(entered).TotalMilliseconds;
            LogIngested(logger, inputs.Count, roomMs, waitMs, writeMs);
        }
        return result;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Usage ingest: {Records} records, {RoomMs} ms waiting for the fold or checkpoint, {WaitMs} ms waiting for the writer, {Ms} ms writing")]
    private static partial void LogIngested(ILogger logger, int records, long roomMs, long waitMs, long ms);

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
            : (await IngestInTransactionAsync(inputs, operatorId: null, rejectDuplicates: false, duplicateError: null, sharedIdsAreParts: false)).Result;
    }

    private async Task<(MeterResult Result, int Appended)> IngestInTransactionAsync(
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

        var entries = Entries(inputs, targets, now, input => inserted.Contains(Key(input, targets)));
        await store.AppendJournalAsync(entries);
        return (new MeterResult(inserted.Count, duplicates), entries.Count);
    }

    /// <summary>
    /// The namespace of a caller's batch IDs in the record IDs' table: <c>batch:*</c> for the platform gateway, <c>batch:{operator}</c>
    /// for a sandbox operator playing the gateway. No operator ID starts with <c>batch:</c>, so batch IDs never meet record IDs.
    /// </summary>
    public static string BatchNamespace(string? operatorId) => "batch:" + (operatorId ?? "*");

    /// <summary>A batch with a batch ID: new, every record goes to the journal; seen before, none does (all duplicates).</summary>
    private async Task<(MeterResult Result, int Appended)> IngestBatchInTransactionAsync(IReadOnlyList<MeterInput> inputs, string? operatorId, string batchId)
    {
        var now = clock.NowMs();
        var targets = await ResolveAsync(inputs, operatorId);
        var oldest = inputs.Min(i => i.Unixtime);
        var key = new NewUsageRecord(BatchNamespace(operatorId), batchId, "", oldest);
        if ((await store.InsertRecordIdsAsync([key], now)).Count == 0)
        {
            return (new MeterResult(0, inputs.Count), 0);
        }

        var entries = Entries(inputs, targets, now, _ => true);
        await store.AppendJournalAsync(entries);
        return (new MeterResult(entries.Count, 0), entries.Count);
    }

    /// <summary>The journal entries of the <paramref name="inputs"/> that <paramref name="counted"/> keeps, as one ingest batch.</summary>
    private static List<UsageJournalEntry> Entries(IReadOnlyList<MeterInput> inputs, Dictionary<string, ImsiTarget> targets, long now, Func<MeterInput, bool> counted)
    {
        var entries = new List<UsageJournalEntry>(inputs.Count);
        foreach (var input in inputs)
        {
            if (!counted(input))
            {
                continue;
            }

            var target = targets[input.Imsi];
            entries.Add(new UsageJournalEntry
            {
                OperatorId = target.OperatorId, SimId = target.SimId, Imsi = target.Imsi, Unixtime = input.Unixtime,
                SpeedClass = input.SpeedClass ?? target.SpeedClass, UploadBytes = input.Traffic.UploadBytes, DownloadBytes = input.Traffic.DownloadBytes,
                UploadPackets = input.Traffic.UploadPackets, DownloadPackets = input.Traffic.DownloadPackets, AcceptedTime = now,
            });
        }

        return entries;
    }

    /// <summary>The de-duplication key of a record: the operator of its SIM and its record ID.</summary>
    private static (string OperatorId, string RecordId) Key(MeterInput input, Dictionary<string, ImsiTarget> targets) =>
        (targets[input.Imsi].OperatorId, input.RecordId);

    /// <summary>
    /// The SIM behind every IMSI, among registered SIMs (<paramref name="operatorId"/> null: the platform
    /// gateway) or one operator's SIMs; an unknown IMSI rejects the batch.
    /// </summary>
    private async Task<Dictionary<string, ImsiTarget>> ResolveAsync(IReadOnlyList<MeterInput> inputs, string? operatorId)
    {
        var targets = await directory.ResolveAsync(db, inputs.Select(i => i.Imsi).Distinct(StringComparer.Ordinal).ToList(), operatorId);
        var unknown = inputs.FirstOrDefault(i => !targets.ContainsKey(i.Imsi));
        return unknown is null
            ? targets
            : throw new SimlaneException(ErrorCodes.InvalidField, $"records[{unknown.Index}].imsi: unknown IMSI '{unknown.Imsi}'");
    }
}

/// <summary>
/// <see cref="DomainEventTypes.UsageRecorded"/> and <see cref="DomainEventTypes.FirstTraffic"/> payload
/// (the event's NewValue, JSON camelCase): the traffic one batch added for the IMSI, over all speed classes,
/// and the earliest and latest record time (epoch seconds) in it.
/// </summary>
public sealed record UsageRecordedPayload(long UploadBytes, long DownloadBytes, long UploadPackets, long DownloadPackets, long FromUnixtime, long ToUnixtime);
