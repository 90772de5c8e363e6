using Simlane.Core.Usage;
using System.Runtime.InteropServices;
using Simlane.Storage;

namespace Simlane.Server.Usage;

/// <summary>
/// A counter's traffic that the fold has applied in memory and that the table row may not hold yet: the row holds it when
/// its <see cref="UsageCounter.Through"/> is at least <paramref name="Through"/> (the position the overlay layer goes up to).
/// </summary>
public sealed record OverlayRow(CounterKey Key, string OperatorId, TrafficTotals Traffic, long Through)
{
    /// <summary>Whether a table row written up to <paramref name="rowThrough"/> still lacks this part (no row: 0).</summary>
    public bool MissingFrom(long rowThrough) => rowThrough < Through;
}

/// <summary>
/// The counters' un-checkpointed part (issue 14, decisions S63, S70 and S71): what the fold has added since the last checkpoint, in
/// memory, keyed like <see cref="UsageCounter"/> (only each scope's finest counters are held, the coarser ones added up from
/// them when read, <see cref="CounterDeltas.Finest"/>), in up to two layers:
/// <list type="bullet">
/// <item><b>live</b>: what the fold adds now, the journal rows after the freeze point up to <see cref="Through"/> (the fold cursor);</item>
/// <item><b>frozen</b>: while a checkpoint is under way, what it is writing, the journal rows up to <see cref="FrozenThrough"/>.</item>
/// </list>
/// A checkpoint freezes the live layer (a durable freeze point, <see cref="UsageFoldCursors.Frozen"/>), writes it to the table in
/// key-ordered chunks, each its own transaction, while the fold goes on into a new live layer, then deletes the journal rows it
/// covered and drops the frozen layer. A row written by a checkpoint carries its freeze point (<see cref="UsageCounter.Through"/>):
/// a counter's value is its row plus each layer part of it the row is older than (<see cref="OverlayRow.MissingFrom"/>), so readers
/// are exact before, during and after a checkpoint, and a checkpoint resumed after a crash skips the rows it already wrote.
/// The layers are a pure function of the durable state (the journal rows up to the fold cursor, split at the freeze point), so
/// a restarted (or another) server rebuilds them from the journal.
/// <para>
/// <see cref="Generation"/> is the checkpoint generation (<see cref="UsageFoldCursors.Checkpoint"/>, moved at every freeze and
/// completion) the layers are relative to: an overlay of another generation is rebuilt before it is read.
/// </para>
/// </summary>
public sealed partial class UsageOverlay : IDisposable
{
    private readonly Lock sync = new();
    private readonly SemaphoreSlim rebuild = new(1, 1);
    private readonly ImsiDirectory directory;
    private readonly ILogger<UsageOverlay> logger;
    private readonly BlockPool pool;
    private Layer? frozen;
    private Layer live;

    public UsageOverlay(ImsiDirectory directory, Microsoft.Extensions.Options.IOptions<UsageOptions> options, ILogger<UsageOverlay> logger)
    {
        this.directory = directory;
        this.logger = logger;
        pool = new BlockPool((int)(2L * options.Value.CheckpointCounters / BlockPool.BlockSize) + 1); // entries in pairs: up to twice the counters
        live = new Layer(pool);
    }

    /// <summary>The checkpoint generation the overlay is relative to; -1 while it is not known (start, failed fold).</summary>
    public long Generation { get; private set; } = -1;

    /// <summary>The journal row up to which the overlay holds every record (valid with <see cref="Generation"/>).</summary>
    public long Through { get; private set; }

    /// <summary>The freeze point of the checkpoint under way (the frozen layer goes up to it); 0 when there is no frozen layer.</summary>
    public long FrozenThrough { get; private set; }

    /// <summary>Counters held in the live layer (the finest of each scope, <see cref="CounterDeltas.Finest"/>; what the next checkpoint freezes).</summary>
    public int Count
    {
        get
        {
            lock (sync)
            {
                return live.Count;
            }
        }
    }

    /// <summary>Whether a checkpoint's frozen layer waits to be written (a checkpoint under way, or one to resume).</summary>
    public bool HasFrozen
    {
        get
        {
            lock (sync)
            {
                return frozen is not null;
            }
        }
    }

    /// <summary>Forgets everything: the next reader or fold rebuilds it from the journal (<see cref="EnsureAsync"/>).</summary>
    public void Invalidate()
    {
        lock (sync)
        {
            live = new Layer(pool);
            frozen = null;
            Generation = -1;
            Through = 0;
            FrozenThrough = 0;
        }
    }

    /// <summary>
    /// Makes the overlay the durable state <paramref name="cursors"/>, read by the caller: when it is relative to another generation
    /// (this server started, a fold failed, a checkpoint froze or completed elsewhere) or, with <paramref name="exact"/> (the fold,
    /// which adds what comes after), holds another position, empties it and adds the journal rows up to the fold cursor again
    /// (their events were written when they were folded), those up to the freeze point into the frozen layer. Reads only, on
    /// <paramref name="db"/> (in its transaction if any), so a reader inside the engine's transaction can run it.
    /// </summary>
    public async Task EnsureAsync(SimlaneDb db, FoldCursors cursors, bool exact, CancellationToken cancellationToken) =>
        await EnsureCoreAsync(db, cursors, exact, olderToo: false, cancellationToken);

    /// <summary>
    /// <see cref="EnsureAsync"/>; with <paramref name="olderToo"/> it also rebuilds an
    /// overlay newer than <paramref name="cursors"/> (a reader whose snapshot cannot see the newer cursors).
    /// </summary>
    private async Task EnsureCoreAsync(SimlaneDb db, FoldCursors cursors, bool exact, bool olderToo, CancellationToken cancellationToken)
    {
        await rebuild.WaitAsync(cancellationToken);
        try
        {
            lock (sync)
            {
                if (Generation == cursors.Checkpoint && (!exact || Through == cursors.Folded))
                {
                    return;
                }

                if (!exact && !olderToo && Generation > cursors.Checkpoint)
                {
                    return; // the reader's cursors are older than the overlay (a freeze or completion since): it reads them again
                }
            }

            Invalidate();
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var store = new UsageStore(db);
            var (frozenLayer, liveLayer) = (cursors.Frozen > 0 ? new Layer(pool) : null, new Layer(pool));
            var counters = new Dictionary<CounterKey, (string OperatorId, TrafficTotals Traffic)>();
            async Task AddAsync(List<UsageJournalEntry> entries, Layer layer)
            {
                if (entries.Count > 0)
                {
                    counters.Clear();
                    await CounterDeltas.AddAsync(db, directory, entries, counters);
                    layer.Add(counters);
                }
            }

            // Page by page (whole journal rows, ~5,000 records): a window's journal may hold tens of millions of records.
            var (after, records) = (0L, 0);
            for (List<UsageJournalEntry> page; (page = await store.ReadJournalAsync(after, 5_000, cursors.Folded, cancellationToken)).Count > 0; after = page[^1].Id)
            {
                // Rows up to the freeze point into the frozen layer, the rest into the live one (a row is whole on one side).
                var frozenPart = page.FindIndex(e => e.Id > cursors.Frozen) is var i && i < 0 ? page.Count : i;
                await AddAsync(page[..frozenPart], frozenLayer!);
                await AddAsync(page[frozenPart..], liveLayer);
                records += page.Count;
            }

            lock (sync)
            {
                (frozen, live) = (frozenLayer, liveLayer);
                Generation = cursors.Checkpoint;
                Through = cursors.Folded;
                FrozenThrough = cursors.Frozen;
            }

            if (records > 0 && logger.IsEnabled(LogLevel.Information))
            {
                var ms = (long)System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                LogRebuilt(logger, records, cursors.Folded, ms);
            }
        }
        finally
        {
            rebuild.Release();
        }
    }

    /// <summary>
    /// Commits a checkpoint's freeze (<paramref name="commit"/>: the freeze point at the fold cursor, a new generation) and makes the
    /// live layer the frozen one, with no rebuild in between (a reader seeing the new generation first would rebuild).
    /// </summary>
    public Task CommitFreezeAsync(Func<Task> commit, long generation) =>
        CommitAsync(commit, () =>
        {
            (frozen, live) = (live, new Layer(pool, live.Units));
            FrozenThrough = Through;
            Generation = generation;
        });

    /// <summary>Commits a checkpoint's completion (<paramref name="commit"/>) and drops the frozen layer, which the table now holds.</summary>
    public Task CommitCheckpointAsync(Func<Task> commit, long generation) =>
        CommitAsync(commit, () =>
        {
            frozen?.Release(); // the checkpoint, its only reader outside the lock, is done with it
            frozen = null;
            FrozenThrough = 0;
            Generation = generation;
        });

    private async Task CommitAsync(Func<Task> commit, Action after)
    {
        await rebuild.WaitAsync();
        try
        {
            try
            {
                await commit();
            }
            catch
            {
                Invalidate(); // committed or not: the next reader or fold finds out from the cursors
                throw;
            }

            lock (sync)
            {
                after();
            }
        }
        finally
        {
            rebuild.Release();
        }
    }

    /// <summary>Adds <paramref name="counters"/> to the live layer and moves <see cref="Through"/> to <paramref name="through"/>.</summary>
    public void Add(IEnumerable<KeyValuePair<CounterKey, (string OperatorId, TrafficTotals Traffic)>> counters, long through)
    {
        lock (sync)
        {
            live.Add(counters);
            Through = Math.Max(Through, through);
        }
    }

    /// <summary>
    /// The frozen layer of generation <paramref name="generation"/> (what the checkpoint writes): its counter count and its counters in
    /// key order, in chunks of up to <paramref name="size"/> (one list filled again for each chunk); null if the overlay moved on.
    /// </summary>
    public (int Count, IEnumerable<List<KeyValuePair<CounterKey, (string OperatorId, TrafficTotals Traffic)>>> Chunks)? FrozenChunks(long generation, int size)
    {
        Layer? layer;
        lock (sync)
        {
            layer = frozen is null || Generation != generation ? null : frozen;
        }

        // Read outside the lock: a frozen layer is never changed (a rebuild makes new ones) and only its completion releases it.
        return layer is null ? null : (layer.Rows, layer.SortedChunks(size));
    }

    /// <summary>Whether the IMSI has an all-time subscriber entry here (traffic folded since the last completed checkpoint).</summary>
    public bool HasTraffic(string imsi)
    {
        lock (sync)
        {
            return live.HasAllTime(imsi) || frozen?.HasAllTime(imsi) == true;
        }
    }

    /// <summary>
    /// The overlay parts of the units <paramref name="scopeIds"/> of <paramref name="scope"/> (none: all units, scanned) that
    /// <paramref name="where"/> keeps, then <paramref name="table"/> (a query on <c>usage_counters</c> that must return each row's
    /// <see cref="UsageCounter.Through"/>): the caller adds a part to a row only if <see cref="OverlayRow.MissingFrom"/> the row.
    /// The parts are taken before the table is read, so a checkpoint that writes them in between is seen in the rows' through.
    /// </summary>
    public async Task<(T Table, List<OverlayRow> Overlay)> ReadAsync<T>(
        SimlaneDb db, Func<Task<T>> table, UsageScope? scope, IEnumerable<string>? scopeIds, Func<CounterKey, string, bool> where, CancellationToken cancellationToken)
    {
        var store = new UsageStore(db);
        for (var attempt = 1; ; attempt++)
        {
            var cursors = await store.FoldCursorsAsync(cancellationToken);

            // After a few reads that stayed older than the overlay (a reader inside a transaction whose snapshot predates a
            // freeze), the overlay is rebuilt as of what this reader sees, as before the newer-overlay rule.
            await EnsureCoreAsync(db, cursors, exact: false, olderToo: attempt > 3, cancellationToken);
            if (Collect(cursors.Checkpoint, scope, scopeIds, where) is { } overlay)
            {
                return (await table(), overlay);
            }

            // The overlay moved to another generation between the cursors' read and now: read the cursors again.
        }
    }

    /// <summary>
    /// The counters <paramref name="query"/> selects from <c>usage_counters</c> merged with the overlay parts that <paramref name="where"/>
    /// keeps (of the units <paramref name="scopeIds"/> of <paramref name="scope"/>, or of every unit when null): one row per counter,
    /// as the table would hold after a checkpoint. <paramref name="where"/> must select what the query does.
    /// </summary>
    public async Task<List<UsageCounter>> CountersAsync(
        SimlaneDb db, IQueryable<UsageCounter> query, UsageScope? scope, IEnumerable<string>? scopeIds, Func<CounterKey, string, bool> where,
        CancellationToken cancellationToken)
    {
        var (rows, extra) = await ReadAsync(db, () => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(query, cancellationToken), scope, scopeIds, where, cancellationToken);
        if (extra.Count == 0)
        {
            return rows;
        }

        var byKey = rows.ToDictionary(r => new CounterKey(r.Scope, r.ScopeId, r.Period, r.BucketStart, r.SpeedClass));
        foreach (var part in extra)
        {
            var key = part.Key;
            if (!byKey.TryGetValue(key, out var row))
            {
                byKey[key] = row = new UsageCounter
                {
                    Scope = key.Scope, ScopeId = key.ScopeId, Period = key.Period, BucketStart = key.BucketStart, SpeedClass = key.SpeedClass, OperatorId = part.OperatorId,
                };
                rows.Add(row);
            }

            if (part.MissingFrom(row.Through))
            {
                row.UploadBytes += part.Traffic.UploadBytes;
                row.DownloadBytes += part.Traffic.DownloadBytes;
                row.UploadPackets += part.Traffic.UploadPackets;
                row.DownloadPackets += part.Traffic.DownloadPackets;
            }
        }

        return rows;
    }

    /// <summary>The parts of both layers that <paramref name="where"/> keeps, if the overlay is of <paramref name="generation"/> (else null).</summary>
    private List<OverlayRow>? Collect(long generation, UsageScope? scope, IEnumerable<string>? scopeIds, Func<CounterKey, string, bool> where)
    {
        var rows = new List<OverlayRow>();
        lock (sync)
        {
            if (generation != Generation)
            {
                return null;
            }

            frozen?.Collect(FrozenThrough, scope, scopeIds, where, rows);
            live.Collect(Through, scope, scopeIds, where, rows);
        }

        return rows;
    }

    public void Dispose() => rebuild.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Usage overlay rebuilt from the journal: {Records} records folded up to {Through}, in {Ms} ms")]
    private static partial void LogRebuilt(ILogger logger, int records, long through, long ms);

    /// <summary>
    /// One layer: the counter deltas grouped by unit (scope and ID), each unit's counters a chain of entries, only the finest
    /// of each scope (<see cref="CounterDeltas.Finest"/>: a subscriber's five-minute buckets, one to three in a layer), the coarser
    /// ones added up from them when read. The entries are structs without references in blocks of
    /// <see cref="BlockPool.BlockSize"/>, operator IDs and speed classes by number, a unit's entries in pairs, so a layer costs 48 to
    /// 96 bytes a counter, the garbage collector has nothing to trace in it, and a finished checkpoint's blocks are used again by the
    /// layers after it (<see cref="BlockPool"/>): a layer holds millions of counters (decisions S71, S74).
    /// </summary>
    private sealed class Layer(BlockPool pool, int units = 0)
    {
        private const int BlockBits = BlockPool.BlockBits;

        private const int PairMask = 1;

        // A unit's chain head by scope, subscribers' IMSIs one probe each (DigitKeyMap).
        private readonly DigitKeyMap<int>[] units = [new(units), new(), new(), new()];
        private readonly List<LayerEntry[]> blocks = [];
        private readonly List<string> strings = [];
        private readonly Dictionary<string, int> stringIds = new(StringComparer.Ordinal);

        // The last two strings numbered, by reference: a fold's speed classes and operator IDs are the same few instances.
        private (string? Value, int Id) recent1, recent2;

        // Entries handed out, in pairs: a unit's first entry starts a pair and its second takes the pair's other slot (S74).
        private int allocated;

        /// <summary>Counters held: the finest of each scope (<see cref="CounterDeltas.Finest"/>), what the layer's memory follows.</summary>
        public int Count { get; private set; }

        /// <summary>Counters read from the layer: those held and those added up from them (<see cref="CounterDeltas.Derived"/>), what a checkpoint writes.</summary>
        public int Rows { get; private set; }

        /// <summary>Units (subscribers, groups, operators) held.</summary>
        public int Units => units.Sum(u => u.Count);

        private ref LayerEntry At(int index) => ref blocks[index >> BlockBits][index & (BlockPool.BlockSize - 1)];

        private int StringId(string value)
        {
            if (ReferenceEquals(value, recent1.Value))
            {
                return recent1.Id;
            }

            if (ReferenceEquals(value, recent2.Value))
            {
                return recent2.Id;
            }

            recent2 = recent1;
            recent1 = (value, Numbered(value));
            return recent1.Id;
        }

        private int Numbered(string value)
        {
            ref var id = ref CollectionsMarshal.GetValueRefOrAddDefault(stringIds, value, out var exists);
            if (!exists)
            {
                id = strings.Count;
                strings.Add(value);
            }

            return id;
        }

        public void Add(IEnumerable<KeyValuePair<CounterKey, (string OperatorId, TrafficTotals Traffic)>> counters)
        {
            foreach (var (key, (operatorId, traffic)) in counters)
            {
                if (key.Period != CounterDeltas.Finest(key.Scope))
                {
                    throw new InvalidOperationException($"A layer holds each scope's finest counters only, not {key}.");
                }

                var (speedClass, operatorNumber, minutes) = (StringId(key.SpeedClass), StringId(operatorId), LayerEntry.Minutes(key.BucketStart));
                ref var head = ref units[(int)key.Scope].GetValueRefOrAddDefault(key.ScopeId, out var exists);
                if (!exists)
                {
                    head = -1;
                }

                var found = false;
                for (var i = head; i >= 0 && !found; i = At(i).Next)
                {
                    ref var entry = ref At(i);
                    if (entry.BucketMinutes == minutes && entry.SpeedClass == speedClass)
                    {
                        entry.OperatorId = operatorNumber;
                        entry.Traffic += traffic;
                        found = true;
                    }
                }

                if (!found)
                {
                    Rows += 1 + NewDerived(key.Scope, head, key.BucketStart, speedClass);
                    Count++;
                    var index = head >= 0 && (head & PairMask) == 0 ? head + 1 : NewPair();

                    At(index) = new LayerEntry
                    {
                        BucketMinutes = minutes, SpeedClass = speedClass, OperatorId = operatorNumber, Traffic = traffic, Next = head,
                    };
                    head = index; // the dictionary is not changed between the ref's taking and this write
                }
            }
        }

        /// <summary>
        /// The first index of two free entries, for a unit's first entry and then its second: a unit's entries side by side, so that
        /// finding its counter reads one or two cache lines, not one an entry anywhere in the layer (S74).
        /// </summary>
        private int NewPair()
        {
            var index = allocated;
            allocated += PairMask + 1;
            if (index >> BlockBits == blocks.Count)
            {
                blocks.Add(pool.Rent());
            }

            return index;
        }

        /// <summary>How many derived counters a new entry (<paramref name="bucketStart"/>, <paramref name="speedClass"/>) adds to a unit's chain from <paramref name="head"/>.</summary>
        private int NewDerived(UsageScope scope, int head, long bucketStart, int speedClass)
        {
            var added = 0;
            foreach (var period in CounterDeltas.Derived(scope))
            {
                var bucket = UsageWindows.BucketStart(period, bucketStart);
                var exists = false;
                for (var i = head; i >= 0 && !exists; i = At(i).Next)
                {
                    ref var entry = ref At(i);
                    exists = entry.SpeedClass == speedClass && UsageWindows.BucketStart(period, entry.BucketStart) == bucket;
                }

                added += exists ? 0 : 1;
            }

            return added;
        }

        /// <summary>Gives the blocks back to the pool: the layer is not read again (its checkpoint completed).</summary>
        public void Release()
        {
            foreach (var block in blocks)
            {
                pool.Return(block);
            }

            blocks.Clear();
            foreach (var map in units)
            {
                map.Clear();
            }

            Count = Rows = allocated = 0;
        }

        /// <summary>Whether the subscriber has traffic here (any counter: its all-time counter is their sum).</summary>
        public bool HasAllTime(string imsi) => units[(int)UsageScope.Subscriber].ContainsKey(imsi);

        /// <summary>
        /// Every counter held or derived, as (key, operator, traffic), in key order (<see cref="CounterKey.Compare"/>), in lists of up to
        /// <paramref name="size"/>: the units sorted (a third as many as the counters), then each unit's few entries. The same list
        /// is filled again for each chunk: a chunk is valid until the next is asked for. The layer must not change meanwhile (a
        /// frozen layer never does).
        /// </summary>
        public IEnumerable<List<KeyValuePair<CounterKey, (string OperatorId, TrafficTotals Traffic)>>> SortedChunks(int size)
        {
            var keys = new (UsageScope Scope, string ScopeId, int Head)[Units];
            var n = 0;
            for (var scope = 0; scope < units.Length; scope++)
            {
                foreach (var (scopeId, head) in units[scope].Entries())
                {
                    keys[n++] = ((UsageScope)scope, scopeId, head);
                }
            }

            Array.Sort(keys, static (a, b) => a.Scope != b.Scope ? a.Scope.CompareTo(b.Scope) : string.CompareOrdinal(a.ScopeId, b.ScopeId));
            var chunk = new List<KeyValuePair<CounterKey, (string OperatorId, TrafficTotals Traffic)>>(size);
            var unitRows = new List<KeyValuePair<CounterKey, (string OperatorId, TrafficTotals Traffic)>>();
            var derived = new List<DerivedCounter>();
            foreach (var (scope, scopeId, head) in keys)
            {
                unitRows.Clear();
                Each(scope, scopeId, head, derived, (key, operatorId, traffic) => unitRows.Add(new(key, (operatorId, traffic))));
                unitRows.Sort(static (a, b) => CounterKey.Compare(a.Key, b.Key));
                foreach (var row in unitRows)
                {
                    chunk.Add(row);
                    if (chunk.Count == size)
                    {
                        yield return chunk;
                        chunk.Clear();
                    }
                }
            }

            if (chunk.Count > 0)
            {
                yield return chunk;
            }
        }

        public void Collect(long through, UsageScope? scope, IEnumerable<string>? scopeIds, Func<CounterKey, string, bool> where, List<OverlayRow> rows)
        {
            void Keep(CounterKey key, string operatorId, TrafficTotals traffic)
            {
                if (where(key, operatorId))
                {
                    rows.Add(new OverlayRow(key, operatorId, traffic, through));
                }
            }

            if (Count == 0)
            {
                return;
            }

            var derived = new List<DerivedCounter>();
            if (scope is { } s && scopeIds is not null)
            {
                foreach (var id in scopeIds)
                {
                    if (units[(int)s].TryGetValue(id, out var head))
                    {
                        Each(s, id, head, derived, Keep);
                    }
                }

                return;
            }

            for (var unitScope = 0; unitScope < units.Length; unitScope++)
            {
                if (scope is null || (int)scope == unitScope)
                {
                    foreach (var (scopeId, head) in units[unitScope].Entries())
                    {
                        Each((UsageScope)unitScope, scopeId, head, derived, Keep);
                    }
                }
            }
        }

        /// <summary>
        /// A unit's counters: those held, then those added up from them (<see cref="CounterDeltas.Derived"/>; each with the
        /// operator of the newest counter it sums). <paramref name="derived"/> is the caller's scratch list.
        /// </summary>
        private void Each(UsageScope scope, string scopeId, int head, List<DerivedCounter> derived, Action<CounterKey, string, TrafficTotals> action)
        {
            derived.Clear();
            var (finest, periods) = (CounterDeltas.Finest(scope), CounterDeltas.Derived(scope));
            for (var i = head; i >= 0; i = At(i).Next)
            {
                var entry = At(i);
                action(new CounterKey(scope, scopeId, finest, entry.BucketStart, strings[entry.SpeedClass]), strings[entry.OperatorId], entry.Traffic);
                foreach (var period in periods)
                {
                    var bucket = UsageWindows.BucketStart(period, entry.BucketStart);
                    var n = derived.Count - 1;
                    while (n >= 0 && !(derived[n].Period == period && derived[n].BucketStart == bucket && derived[n].SpeedClass == entry.SpeedClass))
                    {
                        n--;
                    }

                    if (n < 0)
                    {
                        derived.Add(new DerivedCounter(period, bucket, entry.SpeedClass, entry.OperatorId, entry.Traffic));
                    }
                    else
                    {
                        derived[n] = derived[n] with { Traffic = derived[n].Traffic + entry.Traffic };
                    }
                }
            }

            foreach (var d in derived)
            {
                action(new CounterKey(scope, scopeId, d.Period, d.BucketStart, strings[d.SpeedClass]), strings[d.OperatorId], d.Traffic);
            }
        }

        private readonly record struct DerivedCounter(UsagePeriod Period, long BucketStart, int SpeedClass, int OperatorId, TrafficTotals Traffic);

    }

    /// <summary>
    /// One counter of a unit in a layer: (bucket, speed class) → operator and traffic, and the unit's next entry (-1: none); its
    /// period is its scope's finest (the only one a layer holds). 48 bytes: two side by side (a pair) in a cache line and a half.
    /// </summary>
    private struct LayerEntry
    {
        public TrafficTotals Traffic;

        /// <summary>The bucket's start in minutes since the epoch: a five-minute or day bucket starts on a minute.</summary>
        public int BucketMinutes;
        public int Next;
        public int SpeedClass;
        public int OperatorId;

        public readonly long BucketStart => BucketMinutes * 60L;

        /// <summary>A finest bucket's start in minutes (a record's time is validated to within days of now, well inside an int).</summary>
        public static int Minutes(long bucketStart) =>
            bucketStart % 60 == 0 ? checked((int)(bucketStart / 60)) : throw new ArgumentOutOfRangeException(nameof(bucketStart), bucketStart, "A bucket starts on a minute.");
    }

    /// <summary>
    /// Blocks of layer entries given back by completed checkpoints, for the layers after them: without it every checkpoint
    /// would leave hundreds of megabytes of large-object blocks to the garbage collector. Keeps at most <paramref name="maxFree"/>
    /// (one layer's worth at <see cref="UsageOptions.CheckpointCounters"/>).
    /// </summary>
    private sealed class BlockPool(int maxFree)
    {
        public const int BlockBits = 16;
        public const int BlockSize = 1 << BlockBits;

        private readonly Stack<LayerEntry[]> free = new();

        public LayerEntry[] Rent()
        {
            lock (free)
            {
                return free.TryPop(out var block) ? block : new LayerEntry[BlockSize];
            }
        }

        public void Return(LayerEntry[] block)
        {
            lock (free)
            {
                if (free.Count < maxFree)
                {
                    free.Push(block);
                }
            }
        }
    }
}
