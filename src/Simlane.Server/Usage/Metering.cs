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
/// (<c>POST /v1/sandbox/stats/air/subscribers/{imsi}</c>) and RADIUS accounting. A batch is prepared, then written:
/// <list type="number">
/// <item>resolve every IMSI to its SIM in the caller's scope from the <see cref="ImsiDirectory"/> (an unknown or foreign IMSI
///   rejects the batch) and encode its journal rows, with the speed class they count for (the record's, or the SIM's now): before
///   the writer, beside other batches;</item>
/// <item>in the <see cref="IngestCommitter"/>'s transaction, shared by every batch queued meanwhile (group commit): check that no
///   SIM changed since the resolution (else resolve again), insert the record IDs under the operator of their SIM, skipping those
///   that operator already had accepted (duplicates are never counted twice; another operator's record IDs are never seen), and
///   append the new records to the usage journal (one <see cref="UsageJournalBatch"/> row per batch and operator);</item>
/// <item>commit; the caller answers only after the commit (durable before the answer).</item>
/// </list>
/// The counters and the engine's <see cref="DomainEventTypes.UsageRecorded"/> and <see cref="DomainEventTypes.FirstTraffic"/>
/// events follow from the journal in <see cref="UsageFold"/>, right behind (it is woken by the commit); readers that
/// must see this batch call <see cref="UsageFold.CatchUpAsync"/> first.
/// </summary>
public sealed partial class Metering(SimlaneDb db, TimeProvider clock, UsageFold fold, ImsiDirectory directory, IngestCommitter committer, Telemetry.SimlaneMetrics metrics)
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

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await fold.WaitForRoomAsync(cancellationToken);
        var batch = new PreparedIngest(inputs, operatorId, rejectDuplicates, duplicateError, sharedIdsAreParts, batchId, clock.NowMs());
        await ResolveAsync(batch);
        var result = await committer.CommitAsync(batch);
        metrics.UsageCommitted(operatorId is null ? Telemetry.SimlaneMetrics.Doors.Gateway : Telemetry.SimlaneMetrics.Doors.Sandbox,
            result.Accepted, result.Duplicates, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        return result;
    }

    /// <summary>
    /// Writes a group of prepared batches in the caller's open transaction (<see cref="IngestCommitter"/>, which holds the writer
    /// and commits): each batch's outcome, a <see cref="MeterResult"/> or the <see cref="SimlaneException"/> that refused it alone
    /// (its writes rolled back to a savepoint), and the records appended.
    /// </summary>
    internal async Task<(object[] Outcomes, int Appended)> WriteGroupAsync(IReadOnlyList<PreparedIngest> group)
    {
        var transaction = db.Database.CurrentTransaction ?? throw new InvalidOperationException("WriteGroupAsync needs the caller's transaction");
        // Event ids and the stamp only grow: what holds since the oldest resolution holds since every later one.
        var stale = !await directory.UnchangedSinceAsync(db, new DirectoryVersion(group.Min(b => b.AsOf.Events), group.Min(b => b.AsOf.Stamp)));

        var outcomes = new object[group.Count];
        var rows = new List<UsageJournalBatch>();
        var appended = 0;
        for (var i = 0; i < group.Count; i++)
        {
            var batch = group[i];
            var savepoint = batch.RejectDuplicates;
            try
            {
                if (stale)
                {
                    // A SIM changed (or a sandbox operator was deleted) since the batch was resolved: resolve it as the writer sees it.
                    await ResolveAsync(batch);
                }

                if (savepoint)
                {
                    await transaction.CreateSavepointAsync("ingest");
                }

                var (result, batchRows) = batch.BatchId is null ? await WriteRecordsAsync(batch) : await WriteBatchAsync(batch);
                if (savepoint)
                {
                    await transaction.ReleaseSavepointAsync("ingest");
                }

                rows.AddRange(batchRows);
                appended += batchRows.Sum(r => r.Records);
                outcomes[i] = result;
            }
            catch (SimlaneException refused)
            {
                if (savepoint)
                {
                    await transaction.RollbackToSavepointAsync("ingest");
                }

                outcomes[i] = refused;
            }
        }

        await store.AppendJournalRowsAsync(rows);
        return (outcomes, appended);
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

        if (inputs.Count == 0)
        {
            return new MeterResult(0, 0);
        }

        var batch = new PreparedIngest(inputs, null, RejectDuplicates: false, DuplicateError: null, SharedIdsAreParts: false, BatchId: null, clock.NowMs());
        await ResolveAsync(batch);
        var (result, rows) = await WriteRecordsAsync(batch);
        await store.AppendJournalRowsAsync(rows);
        return result;
    }

    /// <summary>
    /// The namespace of a caller's batch IDs in the record IDs' table: <c>batch:*</c> for the platform gateway, <c>batch:{operator}</c>
    /// for a sandbox operator playing the gateway. No operator ID starts with <c>batch:</c>, so batch IDs never meet record IDs.
    /// </summary>
    public static string BatchNamespace(string? operatorId) => "batch:" + (operatorId ?? "*");

    /// <summary>A batch with record IDs: the records whose IDs are new go to the journal (the rows encoded beforehand if that is all of them).</summary>
    private async Task<(MeterResult Result, List<UsageJournalBatch> Rows)> WriteRecordsAsync(PreparedIngest batch)
    {
        var targets = batch.Targets;
        var inserted = await store.InsertRecordIdsAsync(
            batch.Counted.Select(i => new NewUsageRecord(targets[i.Imsi].OperatorId, i.RecordId, i.Imsi, i.Unixtime)), batch.Now);
        var duplicates = batch.RecordIds - inserted.Count + batch.Repeats;
        if (duplicates > 0 && batch.RejectDuplicates)
        {
            throw new SimlaneException(batch.DuplicateError ?? ErrorCodes.InvalidRequest);
        }

        var rows = inserted.Count == batch.RecordIds
            ? batch.Rows
            : UsageStore.JournalRows(Entries(batch.Counted, targets, batch.Now, input => inserted.Contains(Key(input, targets))));
        return (new MeterResult(inserted.Count, duplicates), rows);
    }

    /// <summary>A batch with a batch ID: new, every record goes to the journal; seen before, none does (all duplicates).</summary>
    private async Task<(MeterResult Result, List<UsageJournalBatch> Rows)> WriteBatchAsync(PreparedIngest batch)
    {
        var key = new NewUsageRecord(BatchNamespace(batch.OperatorId), batch.BatchId!, "", batch.Inputs.Min(i => i.Unixtime));
        return (await store.InsertRecordIdsAsync([key], batch.Now)).Count == 0
            ? (new MeterResult(0, batch.Inputs.Count), [])
            : (new MeterResult(batch.Inputs.Count, 0), batch.Rows);
    }

    /// <summary>The journal entries of the <paramref name="inputs"/> that <paramref name="counted"/> keeps, as one ingest batch.</summary>
    internal static List<UsageJournalEntry> Entries(IReadOnlyList<MeterInput> inputs, Dictionary<string, ImsiTarget> targets, long now, Func<MeterInput, bool> counted)
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
    internal static (string OperatorId, string RecordId) Key(MeterInput input, Dictionary<string, ImsiTarget> targets) =>
        (targets[input.Imsi].OperatorId, input.RecordId);

    /// <summary>
    /// Resolves <paramref name="batch"/>'s IMSIs to their SIMs in its caller's scope, as this context sees them now, and prepares it
    /// from them (<see cref="PreparedIngest.Resolved"/>): an unknown IMSI rejects the batch.
    /// </summary>
    private async Task ResolveAsync(PreparedIngest batch)
    {
        var imsis = batch.Inputs.Select(i => i.Imsi).Distinct(StringComparer.Ordinal).ToList();
        var (targets, asOf) = await directory.ResolveVersionedAsync(db, imsis, batch.OperatorId);
        var unknown = batch.Inputs.FirstOrDefault(i => !targets.ContainsKey(i.Imsi));
        if (unknown is not null)
        {
            throw new SimlaneException(ErrorCodes.InvalidField, $"records[{unknown.Index}].imsi: unknown IMSI '{unknown.Imsi}'");
        }

        batch.Resolved(targets, asOf);
    }
}

/// <summary>
/// <see cref="DomainEventTypes.UsageRecorded"/> and <see cref="DomainEventTypes.FirstTraffic"/> payload
/// (the event's NewValue, JSON camelCase): the traffic one batch added for the IMSI, over all speed classes,
/// and the earliest and latest record time (epoch seconds) in it.
/// </summary>
public sealed record UsageRecordedPayload(long UploadBytes, long DownloadBytes, long UploadPackets, long DownloadPackets, long FromUnixtime, long ToUnixtime);
