using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Simlane.Core.Events;
using Simlane.Core.Usage;
using Simlane.Server.Infrastructure;
using Simlane.Storage;

namespace Simlane.Server.Usage;

/// <summary>
/// The fold (issue 14): ingest answers once accepted records are in the journal (<see cref="UsageJournalBatch"/>, one row per ingest batch and operator), and
/// this worker applies them behind it, in two steps (decisions S63, S70):
/// <list type="number">
/// <item><b>Fold</b> (continuous, right behind ingest): takes the journal rows after the fold cursor (<see cref="UsageFoldCursors.Folded"/>)
///   in id order, whole rows up to <see cref="BatchSize"/> records, adds their traffic to the in-memory <see cref="UsageOverlay"/> (Subscriber
///   counters in five-minute, day and all-time buckets, a month being its days (<see cref="SubscriberMonths"/>) and a SIM's
///   counters its subscriptions' (<see cref="SimCounters"/>),
///   Group and Operator counters in day, month and all-time
///   buckets), and in one transaction writes the engine's events and moves the cursor: one
///   <see cref="DomainEventTypes.UsageRecorded"/> per IMSI per ingest batch, stamped with the time the batch was accepted, plus
///   <see cref="DomainEventTypes.FirstTraffic"/> before the first of an IMSI that had no traffic before, each only for IMSIs
///   an active handler may match (<see cref="Engine.HandlerCatalogs"/>, decision S65). No counter row is
///   written, so a fold costs the journal read and the events, not a page write per counter.</item>
/// <item><b>Checkpoint</b> (every <see cref="CheckpointInterval"/>, or once the live layer holds <see cref="CheckpointKeys"/>
///   counters, and when the sandbox clock moves; decision S70), beside the loop: freezes the overlay's live layer (the durable
///   freeze point <see cref="UsageFoldCursors.Frozen"/>), writes the frozen layer to <c>usage_counters</c> in key-ordered chunks of
///   <see cref="CheckpointChunk"/>, each its own transaction and each row carrying the freeze point, while the fold goes on;
///   then deletes the journal rows up to the freeze point and drops the frozen layer.</item>
/// </list>
/// A counter is its row plus each overlay part the row is older than (readers: <see cref="UsageOverlay.ReadAsync{T}"/>). A crash
/// anywhere loses only the overlay, which is the journal rows up to the fold cursor: a starting server (or another server
/// taking the fold over) rebuilds it from them before folding and resumes an interrupted checkpoint, so nothing acknowledged
/// is lost, no event is written twice and no record is counted twice. Folds, freezes and completions are one at a time: in
/// this process through <see cref="SignalledWorker.Gate"/>, across servers on one PostgreSQL through a transaction-scoped
/// advisory lock (<see cref="AdvisoryLocks.UsageFold"/>); chunks check (and on PostgreSQL share-lock) the checkpoint's cursors. A
/// server whose overlay does not match the durable cursors rebuilds it first.
/// <para>
/// Readers that must see what was acknowledged before they were asked (the stats API, exports, the handler dry
/// run, the sandbox clock) call <see cref="CatchUpAsync"/>: it folds everything up to the journal's head at that moment.
/// Ingest waits (<see cref="WaitForRoomAsync"/>) while more than <see cref="MaxBacklog"/> records wait to be folded or while the
/// checkpoint is behind, so a fleet that reports faster than they sustain slows down instead of growing the lag or the
/// memory without bound.
/// </para>
/// </summary>
public sealed partial class UsageFold(
    IServiceScopeFactory scopes, UsageOverlay overlay, ImsiDirectory directory, Engine.HandlerCatalogs handlers,
    Microsoft.Extensions.Options.IOptions<UsageOptions> options, TimeProvider clock, ILogger<UsageFold> logger)
    : SignalledWorker(clock)
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

    /// <summary>The longest the overlay goes unwritten (real time; <see cref="UsageOptions.CheckpointIntervalSeconds"/>): bounds the journal kept for it and a restart's rebuild.</summary>
    private TimeSpan CheckpointInterval => TimeSpan.FromSeconds(options.Value.CheckpointIntervalSeconds);

    /// <summary>
    /// Live overlay counters beyond which the fold starts a checkpoint at once (<see cref="UsageOptions.CheckpointCounters"/>): bounds
    /// its memory (and a frozen layer of up to as many while the checkpoint writes it). Large checkpoints are cheaper per counter: a
    /// checkpoint touches most table pages at a million SIMs whatever its size (docs/performance.md, sixth measurement), and it no longer
    /// stops the other writers (decision S70).
    /// </summary>
    private int CheckpointKeys => options.Value.CheckpointCounters;

    /// <summary>How many times one sandbox checkpoint resumes after its generation moved before it gives up (with a 500).</summary>
    private const int MaxMoves = 10;

    /// <summary>Counters a checkpoint writes per transaction: between two, ingest and the fold take their turns at the writer.</summary>
    public const int CheckpointChunk = 5_000;

    private long lastCheckpoint = System.Diagnostics.Stopwatch.GetTimestamp();
    private readonly SemaphoreSlim checkpointGate = new(1, 1);
    private Task checkpointing = Task.CompletedTask;

    private long backlog;
    private TaskCompletionSource progress = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Records this process accepted and has not folded yet (an estimate: reset when the fold finds the journal empty).</summary>
    public long Backlog => Interlocked.Read(ref backlog);

    protected override TimeSpan FailureDelay => TimeSpan.FromSeconds(5);

    /// <summary>Ingest committed <paramref name="records"/> journal entries.</summary>
    public void Appended(int records) => Interlocked.Add(ref backlog, records);

    /// <summary>
    /// Whether ingest must wait for the checkpoint: while one writes its frozen layer, the live layer may hold half of
    /// <see cref="CheckpointKeys"/>, and the other half in step with the share of the frozen layer written. Ingest faster than
    /// the checkpoint is so paced chunk by chunk instead of stopping outright when the live layer is full, and the overlay's
    /// memory stays within about two layers.
    /// </summary>
    private bool OverlayFull => overlay.HasFrozen && overlay.Count >= CheckpointKeys * (0.5 + (0.5 * Volatile.Read(ref checkpointWritten)));

    /// <summary>The share of the frozen layer the checkpoint under way has written (1 when none is under way).</summary>
    private double checkpointWritten = 1.0;

    /// <summary>Wakes the ingest batches waiting in <see cref="WaitForRoomAsync"/> to look again (a fold or a checkpoint chunk is done).</summary>
    private void SignalProgress() =>
        Interlocked.Exchange(ref progress, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>
    /// Waits while more than <see cref="MaxBacklog"/> accepted records wait to be folded, or while the overlay is full
    /// (<see cref="OverlayFull"/>: the checkpoint is behind ingest).
    /// </summary>
    public async Task WaitForRoomAsync(CancellationToken cancellationToken)
    {
        while (Backlog > MaxBacklog || OverlayFull)
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
    /// else, and an append since then has woken the loop (a wake-up during a round is kept for the next sleep). Starts a
    /// checkpoint beside the loop when one is due or a frozen layer waits (one under way elsewhere that failed, or a restart).
    /// </summary>
    protected override async Task<TimeSpan> RunRoundAsync(CancellationToken cancellationToken)
    {
        var folded = await FoldGatedAsync(null, cancellationToken);
        var due = overlay.HasFrozen || overlay.Count >= CheckpointKeys
            || (overlay.Count > 0 && System.Diagnostics.Stopwatch.GetElapsedTime(Volatile.Read(ref lastCheckpoint)) >= CheckpointInterval);
        if (due && checkpointing.IsCompleted)
        {
            checkpointing = Task.Run(() => CheckpointInBackgroundAsync(cancellationToken), CancellationToken.None);
        }

        // The idle delay is shorter than the checkpoint interval, so a waiting checkpoint is looked at in time.
        return folded >= BatchSize ? TimeSpan.Zero : IdleDelay;
    }

    private async Task CheckpointInBackgroundAsync(CancellationToken cancellationToken)
    {
        if (!await checkpointGate.WaitAsync(0, cancellationToken))
        {
            return; // a sandbox clock move is checkpointing
        }

        try
        {
            await CheckpointOnceAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (CheckpointMovedException)
        {
            LogCheckpointMoved(logger); // the overlay is rebuilt and the next round resumes it
        }
        catch (Exception e)
        {
            LogCheckpointFailed(logger, e); // the frozen layer stays; the next round resumes it
        }
        finally
        {
            checkpointGate.Release();
        }
    }

    /// <summary>
    /// Folds everything acknowledged so far and writes the overlay to <c>usage_counters</c> (see the class summary), so that
    /// the table alone holds every acknowledged record: the sandbox clock does this before it moves. A checkpoint under way is
    /// waited for (or resumed) first.
    /// </summary>
    public async Task CheckpointAsync(CancellationToken cancellationToken)
    {
        await CatchUpAsync(cancellationToken);
        await checkpointGate.WaitAsync(cancellationToken);
        try
        {
            // A frozen layer left to resume, then what is live: at most two rounds, so traffic arriving meanwhile cannot keep this
            // going. A round whose generation moved (a sandbox operator deleted meanwhile) is resumed on the rebuilt overlay.
            var moved = 0;
            for (var round = 0; round < 2;)
            {
                try
                {
                    if (!await CheckpointOnceAsync(cancellationToken))
                    {
                        break;
                    }

                    round++;
                }
                catch (CheckpointMovedException) when (++moved <= MaxMoves)
                {
                }
            }
        }
        finally
        {
            checkpointGate.Release();
        }
    }

    /// <summary>
    /// One checkpoint (decision S70): freezes the live layer unless a frozen one waits (then resumes it), writes the frozen layer
    /// in key-ordered chunks of <see cref="CheckpointChunk"/>, each its own transaction (rows already written by an earlier attempt
    /// are skipped by their through), then deletes the journal rows up to the freeze point and drops the frozen layer. The fold
    /// goes on meanwhile. Answers whether there was anything to write. Called under <c>checkpointGate</c>.
    /// </summary>
    private async Task<bool> CheckpointOnceAsync(CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var frozen = await FoldStepAsync(
            async (db, store, transaction, cursors) =>
            {
                if (cursors.Frozen > 0)
                {
                    return (Generation: cursors.Checkpoint, Through: cursors.Frozen); // resume: the overlay holds its frozen layer
                }

                if (overlay.Count == 0)
                {
                    return (Generation: 0L, Through: 0L); // nothing since the last checkpoint: no journal row waits for one
                }

                await store.SetFoldCursorAsync(UsageFoldCursors.Frozen, cursors.Folded, Clock.NowMs(), cancellationToken);
                await EngineCursorSql.BumpStampAsync(db, UsageFoldCursors.Checkpoint, Clock.NowMs(), cancellationToken);
                await overlay.CommitFreezeAsync(() => transaction.CommitAsync(cancellationToken), cursors.Checkpoint + 1);
                return (Generation: cursors.Checkpoint + 1, Through: cursors.Folded);
            },
            cancellationToken);
        Volatile.Write(ref lastCheckpoint, System.Diagnostics.Stopwatch.GetTimestamp());
        if (frozen.Through == 0)
        {
            return false;
        }

        var (count, chunks) = overlay.FrozenChunks(frozen.Generation, CheckpointChunk) ?? throw new CheckpointMovedException();
        if (logger.IsEnabled(LogLevel.Debug))
        {
            var frozenMs = (long)System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            LogFrozen(logger, count, frozenMs);
        }

        try
        {
            Volatile.Write(ref checkpointWritten, 0.0);
            var written = 0;
            foreach (var chunk in chunks)
            {
                await WriteChunkAsync(chunk, frozen.Generation, frozen.Through, cancellationToken);
                written += chunk.Count;
                Volatile.Write(ref checkpointWritten, (double)written / count);
                SignalProgress(); // room for ingest
            }
        }
        finally
        {
            Volatile.Write(ref checkpointWritten, 1.0);
        }

        await FoldStepAsync(
            async (db, store, transaction, cursors) =>
            {
                if (cursors.Checkpoint != frozen.Generation || cursors.Frozen != frozen.Through)
                {
                    throw new CheckpointMovedException();
                }

                await store.DeleteJournalAsync(frozen.Through, cancellationToken);
                await store.SetFoldCursorAsync(UsageFoldCursors.Frozen, 0, Clock.NowMs(), cancellationToken);
                await EngineCursorSql.BumpStampAsync(db, UsageFoldCursors.Checkpoint, Clock.NowMs(), cancellationToken);
                await overlay.CommitCheckpointAsync(() => transaction.CommitAsync(cancellationToken), cursors.Checkpoint + 1);
                return 0;
            },
            cancellationToken);
        SignalProgress(); // room for ingest
        Wake(); // a live layer that filled meanwhile is due now
        var ms = (long)System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        LogCheckpoint(logger, count, frozen.Through, ms);
        return true;
    }

    /// <summary>
    /// Writes one chunk of the frozen layer in its own transaction, at SQLite's writer gate and with the checkpoint's cursor rows
    /// share-locked on PostgreSQL (<see cref="UsageStore.LockCheckpointCursorsAsync"/>; the fold goes on beside it), if the
    /// checkpoint is still the durable one (a sandbox operator's deletion moves the generation: the overlay
    /// is rebuilt without that operator and the checkpoint resumes). Once the live layer is a quarter full the chunks go before
    /// ingest at SQLite's writer gate, so that the checkpoint ends before ingest has to wait for it (<see cref="WaitForRoomAsync"/>).
    /// </summary>
    private Task WriteChunkAsync(
        List<KeyValuePair<CounterKey, (string OperatorId, TrafficTotals Traffic)>> chunk, long generation, long through, CancellationToken cancellationToken) =>
        InWriterTransactionAsync(priority: overlay.Count >= CheckpointKeys / 4, async (db, store, transaction) =>
        {
            await store.LockCheckpointCursorsAsync(cancellationToken);
            var cursors = await store.FoldCursorsAsync(cancellationToken);
            if (cursors.Checkpoint != generation || cursors.Frozen != through)
            {
                throw new CheckpointMovedException();
            }

            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            await store.AddToCountersAsync(chunk, through);
            var written = System.Diagnostics.Stopwatch.GetTimestamp();
            await transaction.CommitAsync(cancellationToken);
            if (logger.IsEnabled(LogLevel.Debug))
            {
                var (writeMs, commitMs) = ((long)System.Diagnostics.Stopwatch.GetElapsedTime(started, written).TotalMilliseconds, (long)System.Diagnostics.Stopwatch.GetElapsedTime(written).TotalMilliseconds);
                LogChunk(logger, chunk.Count, writeMs, commitMs);
            }

            return 0;
        },
        cancellationToken);

    /// <summary><see cref="InFoldTransactionAsync{T}"/> under <see cref="SignalledWorker.Gate"/> (one fold step at a time in this process).</summary>
    private Task<T> FoldStepAsync<T>(
        Func<SimlaneDb, UsageStore, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction, FoldCursors, Task<T>> work, CancellationToken cancellationToken) =>
        GatedAsync(() => InFoldTransactionAsync(work, cancellationToken), cancellationToken);

    /// <summary>Runs <paramref name="work"/> holding <see cref="SignalledWorker.Gate"/>.</summary>
    private async Task<T> GatedAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken)
    {
        await Gate.WaitAsync(cancellationToken);
        try
        {
            return await work();
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> in a fold transaction: at SQLite's writer gate with priority (ahead of queued ingest batches:
    /// the engine's events and the readers' catch-up wait for the fold; firing p99 at half load 357 → 131 ms, docs/performance.md
    /// sixth measurement), under the fold's advisory lock on PostgreSQL,
    /// with the durable fold cursors read in it and the overlay made exactly that state first
    /// (<see cref="UsageOverlay.EnsureAsync"/>). The caller holds <see cref="SignalledWorker.Gate"/>; <paramref name="work"/> commits.
    /// </summary>
    private Task<T> InFoldTransactionAsync<T>(
        Func<SimlaneDb, UsageStore, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction, FoldCursors, Task<T>> work, CancellationToken cancellationToken) =>
        InWriterTransactionAsync(priority: true, async (db, store, transaction) =>
        {
            await AdvisoryLocks.TakeAsync(db, AdvisoryLocks.UsageFold, cancellationToken);
            var cursors = await store.FoldCursorsAsync(cancellationToken);
            await overlay.EnsureAsync(db, cursors, exact: true, cancellationToken);
            return await work(db, store, transaction, cursors);
        },
        cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction of its own scope's context, at SQLite's writer gate (with <paramref name="priority"/>)
    /// and under the execution strategy; <paramref name="work"/> commits.
    /// </summary>
    private async Task<T> InWriterTransactionAsync<T>(
        bool priority, Func<SimlaneDb, UsageStore, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SimlaneDb>();
        var store = new UsageStore(db);
        using var gate = await db.EnterWriterGateAsync(priority, cancellationToken);
        await store.PrepareConnectionAsync();
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            return await work(db, store, transaction);
        });
    }

    protected override void OnRoundFailed(Exception exception) => LogFoldFailed(logger, exception);

    private Task<int> FoldGatedAsync(long? throughId, CancellationToken cancellationToken) =>
        GatedAsync(() => FoldOnceAsync(throughId, cancellationToken), cancellationToken);

    private async Task<int> FoldOnceAsync(long? throughId, CancellationToken cancellationToken)
    {
        var foldStarted = System.Diagnostics.Stopwatch.GetTimestamp();
        var prepared = await TakeReadAheadAsync(throughId) ?? await PrepareAsync(throughId, cancellationToken);
        if (prepared.Entries.Count >= BatchSize && throughId is null)
        {
            var after = (prepared.Entries[^1].Id, prepared.Generation);
            readAhead = Task.Run(() => PrepareAsync(null, cancellationToken, after), CancellationToken.None);
        }

        var (folded, afterCommit, through) = await InFoldTransactionAsync(
            async (db, store, transaction, cursors) =>
            {
                var writerStarted = System.Diagnostics.Stopwatch.GetTimestamp();

                // What was read and added up before the writer (nothing, if the journal held nothing then: an append since has woken
                // the loop), if nobody folded since and the generation did not move (a sandbox operator's deletion deletes its
                // journal rows and moves it); else read again here.
                var (entries, counters) = prepared.After == cursors.Folded && prepared.Generation == cursors.Checkpoint
                    ? (prepared.Entries, prepared.Counters)
                    : (await store.ReadJournalAsync(cursors.Folded, BatchSize, throughId, cancellationToken), null);
                if (entries.Count == 0)
                {
                    return (0, null, 0L);
                }

                Dictionary<CounterKey, (string OperatorId, TrafficTotals Traffic)>? later = null;
                try
                {
                    // Into the overlay before the commit when events are written: the engine reads the counters as soon as the events
                    // commit. Until then readers may see these acknowledged records a moment early, never twice. Without events,
                    // after the writer's turn, still under the fold's gate (ApplyAsync).
                    later = await ApplyAsync(db, store, entries, counters, cancellationToken);
                    await store.SetFoldCursorAsync(UsageFoldCursors.Folded, entries[^1].Id, Clock.NowMs(), cancellationToken);
                    await transaction.CommitAsync(cancellationToken);
                }
                catch
                {
                    if (later is null)
                    {
                        overlay.Invalidate(); // it may hold these entries, which did not commit
                    }

                    throw;
                }

                db.AfterCommit();
                if (logger.IsEnabled(LogLevel.Debug))
                {
                    var (count, last) = (entries.Count, entries[^1].Id);
                    var (ms, writerMs) = ((long)System.Diagnostics.Stopwatch.GetElapsedTime(foldStarted).TotalMilliseconds, (long)System.Diagnostics.Stopwatch.GetElapsedTime(writerStarted).TotalMilliseconds);
                    LogFolded(logger, count, last, ms, writerMs);
                }

                return (entries.Count, later, entries[^1].Id);
            },
            cancellationToken);

        if (afterCommit is not null)
        {
            try
            {
                overlay.Add(afterCommit, through);
            }
            catch
            {
                overlay.Invalidate(); // committed but not in the overlay: rebuilt from the journal
                throw;
            }
        }

        if (folded < BatchSize && throughId is null)
        {
            Interlocked.Exchange(ref backlog, 0);
        }
        else if (folded > 0)
        {
            Interlocked.Add(ref backlog, -folded);
        }

        SignalProgress();
        return folded;
    }

    /// <summary>
    /// Adds <paramref name="entries"/> to the overlay and writes their events, in the current transaction: only for IMSIs
    /// that an active handler may match (<see cref="Core.Engine.HandlerIndex.MayMatch"/>, the engine's own pre-filter, decision S65).
    /// The rule engine is the events' only reader and would drop the others unread; a handler created later sees the usage
    /// folded after it (and counter rules read the whole total then).
    /// </summary>
    /// <returns>
    /// The counters the caller adds to the overlay after its commit, when no event was written (null when they are in it already): the
    /// engine, which reads the counters as soon as events commit, then has nothing to read, and the writer is not held for the
    /// overlay's ~8 ms per 5,000 records (decision S72). Readers meanwhile answer from the overlay as it was, a moment behind.
    /// </returns>
    private async Task<Dictionary<CounterKey, (string OperatorId, TrafficTotals Traffic)>?> ApplyAsync(
        SimlaneDb db, UsageStore store, List<UsageJournalEntry> entries, Dictionary<CounterKey, (string OperatorId, TrafficTotals Traffic)>? counters,
        CancellationToken cancellationToken)
    {
        counters ??= await DeltasAsync(db, entries);

        var index = (await handlers.CurrentAsync(db, cancellationToken)).Index;
        var usageListened = new HashSet<string>(StringComparer.Ordinal);
        var firstListened = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (!usageListened.Contains(entry.Imsi) && index.MayMatch(DomainEventTypes.UsageRecorded, entry.OperatorId, entry.SimId, entry.Imsi))
            {
                usageListened.Add(entry.Imsi);
            }

            if (!firstListened.Contains(entry.Imsi) && index.MayMatch(DomainEventTypes.FirstTraffic, entry.OperatorId, entry.SimId, entry.Imsi))
            {
                firstListened.Add(entry.Imsi);
            }
        }

        if (usageListened.Count == 0 && firstListened.Count == 0)
        {
            return counters;
        }

        // Whether an IMSI had traffic before: the table's all-time counters and the overlay as of before these entries.
        var hadTraffic = firstListened.Count == 0 ? [] : await store.ImsisWithTrafficAsync([.. firstListened]);
        hadTraffic.UnionWith(firstListened.Where(overlay.HasTraffic));
        overlay.Add(counters, entries[^1].Id);

        var perBatch = new Dictionary<(long Batch, string Imsi), BatchUsage>();
        foreach (var entry in entries)
        {
            if (!usageListened.Contains(entry.Imsi) && !firstListened.Contains(entry.Imsi))
            {
                continue;
            }

            var traffic = new TrafficTotals(entry.UploadBytes, entry.DownloadBytes, entry.UploadPackets, entry.DownloadPackets);
            var key = (entry.Batch, entry.Imsi);
            perBatch[key] = perBatch.TryGetValue(key, out var seen)
                ? seen with { Traffic = seen.Traffic + traffic, From = Math.Min(seen.From, entry.Unixtime), To = Math.Max(seen.To, entry.Unixtime) }
                : new BatchUsage(entry.Batch, entry.Id, entry.OperatorId, entry.SimId, entry.Imsi, entry.AcceptedTime, traffic, entry.Unixtime, entry.Unixtime);
        }

        // Last writes of the transaction: the outbox writer takes the outbox lock (ids in commit order, OutboxWriter.LockKey).
        // Batches in the order they were appended, IMSIs in order within a batch.
        foreach (var batch in perBatch.Values.GroupBy(u => u.Batch).OrderBy(g => g.Min(u => u.FirstId)))
        {
            var events = new List<OutboxRow>();
            foreach (var usage in batch.OrderBy(u => u.Imsi, StringComparer.Ordinal))
            {
                var payload = JsonSerializer.Serialize(new UsageRecordedPayload(
                    usage.Traffic.UploadBytes, usage.Traffic.DownloadBytes, usage.Traffic.UploadPackets, usage.Traffic.DownloadPackets, usage.From, usage.To), Json.Options);
                if (firstListened.Contains(usage.Imsi) && hadTraffic.Add(usage.Imsi))
                {
                    events.Add(new OutboxRow(usage.OperatorId, usage.SimId, usage.Imsi, DomainEventTypes.FirstTraffic, payload));
                }

                if (usageListened.Contains(usage.Imsi))
                {
                    events.Add(new OutboxRow(usage.OperatorId, usage.SimId, usage.Imsi, DomainEventTypes.UsageRecorded, payload));
                }
            }

            if (events.Count > 0)
            {
                await db.Outbox.AppendAsync(events, batch.First().AcceptedTime, cancellationToken);
            }
        }

        return null;
    }

    /// <summary>
    /// Reads the journal rows after the fold cursor and adds up their counter deltas on a connection of its own, outside SQLite's
    /// writer gate (WAL readers run beside the writer): the fold then holds the writer only to add them to the overlay, write
    /// the events and move the cursor. The caller holds <see cref="SignalledWorker.Gate"/>; another server folding meanwhile
    /// (PostgreSQL) moves the cursor, and the fold then reads again in its transaction.
    /// </summary>
    /// <remarks>
    /// With <paramref name="after"/> (the read-ahead, <see cref="readAhead"/>) it reads after that journal id in that generation instead
    /// of the durable cursor: the fold in the writer's transaction then is the one that moves the cursor there.
    /// </remarks>
    private async Task<PreparedFold> PrepareAsync(long? throughId, CancellationToken cancellationToken, (long Folded, long Generation)? after = null)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SimlaneDb>();
        var store = new UsageStore(db);
        var (folded, generation) = after ?? (await store.FoldCursorsAsync(cancellationToken) is var cursors ? (cursors.Folded, cursors.Checkpoint) : default);
        var entries = await store.ReadJournalAsync(folded, BatchSize, throughId, cancellationToken);
        return new PreparedFold(folded, generation, entries, entries.Count == 0 ? [] : await DeltasAsync(db, entries));
    }

    /// <summary>
    /// The next fold's preparation, started when a full fold takes the writer (there is more): reading and adding up the next entries
    /// then runs beside the writer's turn instead of after it, so the fold keeps up with ingest on two cores. Used (under
    /// <see cref="SignalledWorker.Gate"/>) only if it read after where the fold got to; else discarded.
    /// </summary>
    private Task<PreparedFold>? readAhead;

    /// <summary>The read-ahead if it is full and within <paramref name="throughId"/> (else null, and it is dropped); the fold checks it starts where the cursor is.</summary>
    private async Task<PreparedFold?> TakeReadAheadAsync(long? throughId)
    {
        var next = readAhead;
        readAhead = null;
        if (next is null)
        {
            return null;
        }

        try
        {
            var prepared = await next;
            // A partial read may have missed appends made after it: only a full one is as good as reading now.
            return prepared.Entries.Count >= BatchSize && (throughId is null || prepared.Entries[^1].Id <= throughId) ? prepared : null;
        }
#pragma warning disable CA1031 // a failed read-ahead is only a missed shortcut: the fold reads again
        catch (Exception)
        {
            return null;
        }
#pragma warning restore CA1031
    }

    private async Task<Dictionary<CounterKey, (string OperatorId, TrafficTotals Traffic)>> DeltasAsync(SimlaneDb db, List<UsageJournalEntry> entries)
    {
        var counters = new Dictionary<CounterKey, (string OperatorId, TrafficTotals Traffic)>();
        await CounterDeltas.AddAsync(db, directory, entries, counters);
        return counters;
    }

    /// <summary>Journal entries after fold cursor <paramref name="After"/> in checkpoint generation <paramref name="Generation"/>, read and added up before the fold's transaction.</summary>
    private sealed record PreparedFold(
        long After, long Generation, List<UsageJournalEntry> Entries, Dictionary<CounterKey, (string OperatorId, TrafficTotals Traffic)> Counters);

    /// <summary>What one ingest batch added for one IMSI.</summary>
    private sealed record BatchUsage(long Batch, long FirstId, string OperatorId, string SimId, string Imsi, long AcceptedTime, TrafficTotals Traffic, long From, long To);

    [LoggerMessage(Level = LogLevel.Information, Message = "Usage checkpoint: {Counters} counters written, journal deleted up to {Through}, in {Ms} ms (in chunks, beside ingest)")]
    private static partial void LogCheckpoint(ILogger logger, int counters, long through, long ms);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Usage fold: {Entries} journal entries up to {Through} in {Ms} ms, {WriterMs} ms of it in the writer's transaction")]
    private static partial void LogFolded(ILogger logger, int entries, long through, long ms, long writerMs);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Usage checkpoint frozen: {Counters} counters after {Ms} ms")]
    private static partial void LogFrozen(ILogger logger, int counters, long ms);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Usage checkpoint chunk: {Counters} counters in {Ms} ms, commit {CommitMs} ms")]
    private static partial void LogChunk(ILogger logger, int counters, long ms, long commitMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "A usage checkpoint's generation moved (a sandbox operator was deleted); it resumes on the rebuilt overlay")]
    private static partial void LogCheckpointMoved(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A usage checkpoint stopped before it completed; the next fold round resumes it")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception exception);

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

/// <summary>The checkpoint under way is no longer the durable one (its generation moved): it resumes on the rebuilt overlay.</summary>
public sealed class CheckpointMovedException() : Exception("The usage checkpoint's generation moved on; it resumes on the rebuilt overlay");
