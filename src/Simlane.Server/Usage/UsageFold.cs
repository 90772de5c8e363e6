using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Simlane.Core.Events;
using Simlane.Core.Usage;
using Simlane.Server.Infrastructure;
using Simlane.Storage;

namespace Simlane.Server.Usage;

/// <summary>
/// The fold (issue 14): ingest answers once accepted records are in the journal (<see cref="UsageJournalEntry"/>), and
/// this worker applies them behind it. One fold takes up to <see cref="BatchSize"/> entries in id order and, in one
/// transaction, deletes them from the journal, adds them to the counters and writes the engine's events:
/// <list type="bullet">
/// <item>Subscriber and Sim counters in five-minute, day, month and all-time buckets, Group and Operator counters in
///   day, month and all-time buckets, all upserted once per distinct key of the fold (so the cost follows the
///   distinct counters touched, not the records);</item>
/// <item>one <see cref="DomainEventTypes.UsageRecorded"/> event per IMSI per ingest batch (as ingest wrote them before),
///   stamped with the time the batch was accepted, plus <see cref="DomainEventTypes.FirstTraffic"/> before the first
///   of an IMSI that had no traffic before.</item>
/// </list>
/// A crash anywhere leaves either the entries in the journal or their counters and events committed, never both and
/// never neither: the fold resumes with what is left when the server starts. Folds are one at a time: in this process
/// through <see cref="SignalledWorker.Gate"/>, across servers on one PostgreSQL through a transaction-scoped advisory
/// lock (<see cref="AdvisoryLocks.UsageFold"/>).
/// <para>
/// Readers that must see what was acknowledged before they were asked (the stats API, billing, exports, the handler dry
/// run, the sandbox clock) call <see cref="CatchUpAsync"/>: it folds everything up to the journal's head at that moment.
/// Ingest waits (<see cref="WaitForRoomAsync"/>) while more than <see cref="MaxBacklog"/> records wait to be folded, so
/// a fleet that reports faster than the fold can sustain slows down instead of growing the lag without bound.
/// </para>
/// </summary>
public sealed partial class UsageFold(IServiceScopeFactory scopes, TimeProvider clock, ILogger<UsageFold> logger) : SignalledWorker(clock)
{
    /// <summary>Journal entries one fold takes (one transaction), completed to whole ingest batches.</summary>
    public const int BatchSize = 5_000;

    /// <summary>
    /// Records accepted but not yet folded beyond which ingest waits for the fold: this bounds the counters' lag (about
    /// this many records' fold time, docs/performance.md) when the fleet reports faster than the fold keeps up.
    /// </summary>
    public const long MaxBacklog = 20_000;

    /// <summary>How long the loop sleeps with nothing to fold unless woken (another server's ingest does not wake it).</summary>
    public static readonly TimeSpan IdleDelay = TimeSpan.FromSeconds(5);

    private static readonly UsagePeriod[] SubscriberPeriods = [UsagePeriod.FiveMinutes, UsagePeriod.Day, UsagePeriod.Month, UsagePeriod.AllTime];
    private static readonly UsagePeriod[] AggregatePeriods = [UsagePeriod.Day, UsagePeriod.Month, UsagePeriod.AllTime];

    private long backlog;
    private TaskCompletionSource progress = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Records this process accepted and has not folded yet (an estimate: reset when the fold finds the journal empty).</summary>
    public long Backlog => Interlocked.Read(ref backlog);

    protected override TimeSpan FailureDelay => TimeSpan.FromSeconds(5);

    /// <summary>Ingest committed <paramref name="records"/> journal entries.</summary>
    public void Appended(int records) => Interlocked.Add(ref backlog, records);

    /// <summary>Waits while more than <see cref="MaxBacklog"/> accepted records wait to be folded.</summary>
    public async Task WaitForRoomAsync(CancellationToken cancellationToken)
    {
        while (Backlog > MaxBacklog)
        {
            var folded = Volatile.Read(ref progress).Task;
            Wake();
            await folded.WaitAsync(TimeSpan.FromSeconds(1), Clock, cancellationToken).ContinueWith(
                _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>After this long a reader starts no further fold (<see cref="CatchUpAsync"/>); the fold under way finishes first.</summary>
    public static readonly TimeSpan ReaderWait = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Folds every entry the journal held when called (up to its head then), so that what was acknowledged before is
    /// in the counters and events when this returns, or, with <paramref name="maxWait"/>, until that much (real) time has
    /// passed: a reader then answers from what is folded instead of waiting out a backlog. Answers how many entries this
    /// call folded.
    /// </summary>
    public async Task<int> CatchUpAsync(CancellationToken cancellationToken, TimeSpan? maxWait = null)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        long? head;
        using (var scope = scopes.CreateScope())
        {
            head = await new UsageStore(scope.ServiceProvider.GetRequiredService<SimlaneDb>()).JournalHeadAsync(cancellationToken);
        }

        var folded = 0;
        if (head is null)
        {
            return folded;
        }

        while (maxWait is null || System.Diagnostics.Stopwatch.GetElapsedTime(started) < maxWait)
        {
            var n = await FoldGatedAsync(head, cancellationToken);
            folded += n;
            if (n < BatchSize)
            {
                break; // fewer than a full fold: nothing up to the head is left
            }
        }

        return folded;
    }

    /// <summary>
    /// Folds once; again at once only after a full fold (there may be more). After a partial one the journal held nothing
    /// else, and an append since then has woken the loop (a wake-up during a round is kept for the next sleep).
    /// </summary>
    protected override async Task<TimeSpan> RunRoundAsync(CancellationToken cancellationToken) =>
        await FoldGatedAsync(null, cancellationToken) >= BatchSize ? TimeSpan.Zero : IdleDelay;

    protected override void OnRoundFailed(Exception exception) => LogFoldFailed(logger, exception);

    private async Task<int> FoldGatedAsync(long? throughId, CancellationToken cancellationToken)
    {
        await Gate.WaitAsync(cancellationToken);
        try
        {
            return await FoldOnceAsync(throughId, cancellationToken);
        }
        finally
        {
            Gate.Release();
        }
    }

    private async Task<int> FoldOnceAsync(long? throughId, CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SimlaneDb>();
        var store = new UsageStore(db);
        using var gate = await db.EnterWriterGateAsync(priority: false, cancellationToken);
        await store.PrepareConnectionAsync();
        var strategy = db.Database.CreateExecutionStrategy();
        var folded = await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await AdvisoryLocks.TakeAsync(db, AdvisoryLocks.UsageFold, cancellationToken);
            var entries = await store.TakeJournalAsync(BatchSize, throughId);
            if (entries.Count > 0)
            {
                await ApplyAsync(db, store, entries, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            db.AfterCommit();
            return entries.Count;
        });

        if (folded < BatchSize && throughId is null)
        {
            Interlocked.Exchange(ref backlog, 0);
        }
        else if (folded > 0)
        {
            Interlocked.Add(ref backlog, -folded);
        }

        Interlocked.Exchange(ref progress, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        return folded;
    }

    /// <summary>Adds <paramref name="entries"/> to the counters and writes their events, in the current transaction.</summary>
    private static async Task ApplyAsync(SimlaneDb db, UsageStore store, List<UsageJournalEntry> entries, CancellationToken cancellationToken)
    {
        var imsis = entries.Select(e => e.Imsi).Distinct(StringComparer.Ordinal).ToList();

        // The SIMs' groups now (a record's group is the one at its own time, read from the membership history when
        // the SIM changed group since); a SIM no longer registered counts with no group.
        var current = await store.ResolveImsisAsync(imsis, operatorId: null);
        var hadTraffic = await store.ImsisWithTrafficAsync(imsis);
        var groupHistory = await GroupHistoryAsync(store, entries, current);

        var counters = new Dictionary<CounterKey, (string OperatorId, TrafficTotals Traffic)>();
        var perBatch = new Dictionary<(long Batch, string Imsi), BatchUsage>();
        foreach (var entry in entries)
        {
            var traffic = new TrafficTotals(entry.UploadBytes, entry.DownloadBytes, entry.UploadPackets, entry.DownloadPackets);
            foreach (var period in SubscriberPeriods)
            {
                var bucket = UsageWindows.BucketStart(period, entry.Unixtime);
                Add(counters, new CounterKey(UsageScope.Subscriber, entry.Imsi, period, bucket, entry.SpeedClass), entry.OperatorId, traffic);
                Add(counters, new CounterKey(UsageScope.Sim, entry.SimId, period, bucket, entry.SpeedClass), entry.OperatorId, traffic);
            }

            var groupId = GroupAt(entry, current.GetValueOrDefault(entry.Imsi), groupHistory);
            foreach (var period in AggregatePeriods)
            {
                var bucket = UsageWindows.BucketStart(period, entry.Unixtime);
                if (groupId is not null)
                {
                    Add(counters, new CounterKey(UsageScope.Group, groupId, period, bucket, entry.SpeedClass), entry.OperatorId, traffic);
                }

                Add(counters, new CounterKey(UsageScope.Operator, entry.OperatorId, period, bucket, entry.SpeedClass), entry.OperatorId, traffic);
            }

            var key = (entry.Batch, entry.Imsi);
            perBatch[key] = perBatch.TryGetValue(key, out var seen)
                ? seen with { Traffic = seen.Traffic + traffic, From = Math.Min(seen.From, entry.Unixtime), To = Math.Max(seen.To, entry.Unixtime) }
                : new BatchUsage(entry.Batch, entry.Id, entry.OperatorId, entry.SimId, entry.Imsi, entry.AcceptedTime, traffic, entry.Unixtime, entry.Unixtime);
        }

        await store.AddToCountersAsync(counters);

        // Last writes of the transaction: the outbox writer takes the outbox lock (ids in commit order, OutboxWriter.LockKey).
        // Batches in the order they were appended, IMSIs in order within a batch.
        foreach (var batch in perBatch.Values.GroupBy(u => u.Batch).OrderBy(g => g.Min(u => u.FirstId)))
        {
            var events = new List<OutboxRow>();
            foreach (var usage in batch.OrderBy(u => u.Imsi, StringComparer.Ordinal))
            {
                var payload = JsonSerializer.Serialize(new UsageRecordedPayload(
                    usage.Traffic.UploadBytes, usage.Traffic.DownloadBytes, usage.Traffic.UploadPackets, usage.Traffic.DownloadPackets, usage.From, usage.To), Json.Options);
                if (hadTraffic.Add(usage.Imsi))
                {
                    events.Add(new OutboxRow(usage.OperatorId, usage.SimId, usage.Imsi, DomainEventTypes.FirstTraffic, payload));
                }

                events.Add(new OutboxRow(usage.OperatorId, usage.SimId, usage.Imsi, DomainEventTypes.UsageRecorded, payload));
            }

            await db.Outbox.AppendAsync(events, batch.First().AcceptedTime, cancellationToken);
        }
    }

    private static void Add(Dictionary<CounterKey, (string OperatorId, TrafficTotals Traffic)> counters, CounterKey key, string operatorId, TrafficTotals traffic) =>
        counters[key] = counters.TryGetValue(key, out var existing) ? (operatorId, existing.Traffic + traffic) : (operatorId, traffic);

    /// <summary>
    /// The end of a record's second, epoch milliseconds: record times have one-second resolution, so a group
    /// change in the same second as a record (its milliseconds before this) counts as before the record.
    /// </summary>
    private static long SecondEndMs(long unixtime) => (unixtime + 1) * 1000;

    /// <summary>
    /// The group a SIM was in at the end of second <paramref name="entry"/>'s time: its current group, unless it changed
    /// group in a later second, in which case the group of its membership that began before the end of that second and
    /// ended after it (none: no group). Traffic stamped in the same second as a set_group or unset_group counts for the
    /// new group (or none).
    /// </summary>
    private static string? GroupAt(UsageJournalEntry entry, ImsiTarget? target, Dictionary<string, List<(long From, long? To, string GroupId)>> history)
    {
        if (target is null)
        {
            return null;
        }

        var end = SecondEndMs(entry.Unixtime);
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
    /// records in this fold: usually none, so usually no query.
    /// </summary>
    private static async Task<Dictionary<string, List<(long From, long? To, string GroupId)>>> GroupHistoryAsync(
        UsageStore store, List<UsageJournalEntry> entries, Dictionary<string, ImsiTarget> current)
    {
        var simIds = entries
            .Select(e => (Entry: e, Target: current.GetValueOrDefault(e.Imsi)))
            .Where(x => x.Target?.GroupChangedTime is { } changed && changed >= SecondEndMs(x.Entry.Unixtime))
            .Select(x => x.Target!.SimId)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return simIds.Count == 0 ? [] : await store.GroupMembershipsAsync(simIds);
    }

    /// <summary>What one ingest batch added for one IMSI.</summary>
    private sealed record BatchUsage(long Batch, long FirstId, string OperatorId, string SimId, string Imsi, long AcceptedTime, TrafficTotals Traffic, long From, long To);

    [LoggerMessage(Level = LogLevel.Error, Message = "Folding accepted usage into the counters failed; retrying")]
    private static partial void LogFoldFailed(ILogger logger, Exception exception);
}

/// <summary>Endpoints that read the usage counters see every record acknowledged before they were called.</summary>
public static class FoldedUsageEndpoints
{
    /// <summary>
    /// Runs <see cref="UsageFold.CatchUpAsync"/> before the endpoint's handler (read-your-writes), starting no fold after
    /// <see cref="UsageFold.ReaderWait"/>: behind a backlog the answer is what is folded by then.
    /// </summary>
    public static TBuilder ReadsFoldedUsage<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            await http.RequestServices.GetRequiredService<UsageFold>().CatchUpAsync(http.RequestAborted, UsageFold.ReaderWait);
            return await next(context);
        });
}
