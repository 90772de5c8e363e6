using Simlane.Core.Usage;
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
/// The counters' un-checkpointed part (issue 14, decisions S63 and S70): what the fold has added since the last checkpoint, in
/// memory, keyed like <see cref="UsageCounter"/>, in up to two layers:
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
public sealed class UsageOverlay(ImsiDirectory directory) : IDisposable
{
    private readonly Lock sync = new();
    private readonly SemaphoreSlim rebuild = new(1, 1);
    private Layer live = new();
    private Layer? frozen;

    /// <summary>The checkpoint generation the overlay is relative to; -1 while it is not known (start, failed fold).</summary>
    public long Generation { get; private set; } = -1;

    /// <summary>The journal row up to which the overlay holds every record (valid with <see cref="Generation"/>).</summary>
    public long Through { get; private set; }

    /// <summary>The freeze point of the checkpoint under way (the frozen layer goes up to it); 0 when there is no frozen layer.</summary>
    public long FrozenThrough { get; private set; }

    /// <summary>Counter keys in the live layer (what the next checkpoint freezes).</summary>
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

    /// <summary>Empties the overlay and marks it relative to (<paramref name="generation"/>, <paramref name="through"/>).</summary>
    private void Reset(long generation, long through, long frozenThrough)
    {
        lock (sync)
        {
            live = new Layer();
            frozen = frozenThrough > 0 ? new Layer() : null;
            Generation = generation;
            Through = through;
            FrozenThrough = frozenThrough;
        }
    }

    /// <summary>Forgets everything: the next reader or fold rebuilds it from the journal (<see cref="EnsureAsync"/>).</summary>
    public void Invalidate() => Reset(-1, 0, 0);

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

            Reset(-1, 0, 0);
            var store = new UsageStore(db);
            var (frozenCounters, liveCounters) = (new Dictionary<CounterKey, (string OperatorId, TrafficTotals Traffic)>(), new Dictionary<CounterKey, (string OperatorId, TrafficTotals Traffic)>());
            var chunk = new List<UsageJournalEntry>(5_000);
            async Task FlushAsync()
            {
                if (chunk.Count > 0)
                {
                    await CounterDeltas.AddAsync(db, directory, chunk, chunk[0].Id <= cursors.Frozen ? frozenCounters : liveCounters);
                    chunk.Clear();
                }
            }

            var replay = new List<UsageJournalEntry>();
            await store.ReplayJournalAsync(cursors.Folded, replay.Add, cancellationToken);
            foreach (var entry in replay)
            {
                // A chunk never straddles the freeze point (a journal row is whole on one side of it).
                if (chunk.Count >= 5_000 || (chunk.Count > 0 && (chunk[0].Id <= cursors.Frozen) != (entry.Id <= cursors.Frozen)))
                {
                    await FlushAsync();
                }

                chunk.Add(entry);
            }

            await FlushAsync();
            lock (sync)
            {
                Reset(cursors.Checkpoint, cursors.Folded, cursors.Frozen);
                frozen?.Add(frozenCounters);
                live.Add(liveCounters);
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
            (frozen, live) = (live, new Layer());
            FrozenThrough = Through;
            Generation = generation;
        });

    /// <summary>Commits a checkpoint's completion (<paramref name="commit"/>) and drops the frozen layer, which the table now holds.</summary>
    public Task CommitCheckpointAsync(Func<Task> commit, long generation) =>
        CommitAsync(commit, () =>
        {
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

    /// <summary>The frozen layer of generation <paramref name="generation"/> in key order (what the checkpoint writes), or null if the overlay moved on.</summary>
    public List<KeyValuePair<CounterKey, (string OperatorId, TrafficTotals Traffic)>>? Frozen(long generation)
    {
        Layer? layer;
        lock (sync)
        {
            layer = frozen is null || Generation != generation ? null : frozen;
        }

        return layer?.AllSorted(); // outside the lock: a frozen layer is never changed (a rebuild makes new ones)
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

    /// <summary>
    /// One layer: the counter deltas grouped by unit (scope and ID), a small array each (a subscriber has three keys in a layer:
    /// five minutes, day, all time). One dictionary entry per unit rather than per key, and no separate index of a unit's keys,
    /// halves the memory of a key (a layer holds up to a million; a stats read looks at one unit's few keys).
    /// </summary>
    private sealed class Layer
    {
        private readonly Dictionary<(UsageScope Scope, string ScopeId), Unit> units = [];

        /// <summary>Counter keys held.</summary>
        public int Count { get; private set; }

        public void Add(IEnumerable<KeyValuePair<CounterKey, (string OperatorId, TrafficTotals Traffic)>> counters)
        {
            foreach (var (key, (operatorId, traffic)) in counters)
            {
                if (!units.TryGetValue((key.Scope, key.ScopeId), out var unit))
                {
                    units[(key.Scope, key.ScopeId)] = unit = new Unit();
                }

                if (unit.Add(key, operatorId, traffic))
                {
                    Count++;
                }
            }
        }

        public bool HasAllTime(string imsi) =>
            units.TryGetValue((UsageScope.Subscriber, imsi), out var unit) && unit.Has(UsagePeriod.AllTime);

        /// <summary>
        /// Every counter held, as (key, operator, traffic), in key order (<see cref="CounterKey.Compare"/>): the units sorted (a
        /// third as many as the counters), then each unit's few entries.
        /// </summary>
        public List<KeyValuePair<CounterKey, (string OperatorId, TrafficTotals Traffic)>> AllSorted()
        {
            var keys = units.Keys.ToArray();
            Array.Sort(keys, static (a, b) => a.Scope != b.Scope ? a.Scope.CompareTo(b.Scope) : string.CompareOrdinal(a.ScopeId, b.ScopeId));
            var all = new List<KeyValuePair<CounterKey, (string OperatorId, TrafficTotals Traffic)>>(Count);
            var unitRows = new List<KeyValuePair<CounterKey, (string OperatorId, TrafficTotals Traffic)>>();
            foreach (var (scope, scopeId) in keys)
            {
                unitRows.Clear();
                units[(scope, scopeId)].Each(scope, scopeId, (key, operatorId, traffic) => unitRows.Add(new(key, (operatorId, traffic))));
                unitRows.Sort(static (a, b) => CounterKey.Compare(a.Key, b.Key));
                all.AddRange(unitRows);
            }

            return all;
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

            if (scope is { } s && scopeIds is not null)
            {
                foreach (var id in scopeIds)
                {
                    if (units.TryGetValue((s, id), out var unit))
                    {
                        unit.Each(s, id, Keep);
                    }
                }

                return;
            }

            foreach (var ((unitScope, scopeId), unit) in units)
            {
                if (scope is null || unitScope == scope)
                {
                    unit.Each(unitScope, scopeId, Keep);
                }
            }
        }
    }

    /// <summary>A unit's counters in a layer: (period, bucket, speed class) → operator and traffic, in a small array.</summary>
    private sealed class Unit
    {
        private Entry[] entries = new Entry[3];
        private int count;

        /// <summary>Adds to the counter of <paramref name="key"/>; answers whether it is new.</summary>
        public bool Add(CounterKey key, string operatorId, TrafficTotals traffic)
        {
            for (var i = 0; i < count; i++)
            {
                ref var entry = ref entries[i];
                if (entry.Period == key.Period && entry.BucketStart == key.BucketStart && string.Equals(entry.SpeedClass, key.SpeedClass, StringComparison.Ordinal))
                {
                    entry.OperatorId = operatorId;
                    entry.Traffic += traffic;
                    return false;
                }
            }

            if (count == entries.Length)
            {
                Array.Resize(ref entries, count * 2);
            }

            entries[count++] = new Entry { Period = key.Period, BucketStart = key.BucketStart, SpeedClass = key.SpeedClass, OperatorId = operatorId, Traffic = traffic };
            return true;
        }

        public bool Has(UsagePeriod period)
        {
            for (var i = 0; i < count; i++)
            {
                if (entries[i].Period == period)
                {
                    return true;
                }
            }

            return false;
        }

        public void Each(UsageScope scope, string scopeId, Action<CounterKey, string, TrafficTotals> action)
        {
            for (var i = 0; i < count; i++)
            {
                var entry = entries[i];
                action(new CounterKey(scope, scopeId, entry.Period, entry.BucketStart, entry.SpeedClass), entry.OperatorId, entry.Traffic);
            }
        }

        private struct Entry
        {
            public UsagePeriod Period;
            public long BucketStart;
            public string SpeedClass;
            public string OperatorId;
            public TrafficTotals Traffic;
        }
    }
}
