using Simlane.Core.Usage;
using Simlane.Storage;

namespace Simlane.Server.Usage;

/// <summary>A counter's traffic that the fold has applied in memory and not yet written to <c>usage_counters</c>.</summary>
public sealed record OverlayRow(CounterKey Key, string OperatorId, TrafficTotals Traffic);

/// <summary>
/// The counters' un-checkpointed part (issue 14, decision S63): what the fold has added since the last checkpoint, in memory,
/// keyed like <see cref="UsageCounter"/>. A counter's value is its <c>usage_counters</c> row plus its overlay entry. The fold adds
/// to it (cheap: no page write per record); the checkpoint (<see cref="UsageFold.CheckpointAsync"/>) writes the overlay to the
/// table, coalesced and in key order, deletes the journal entries it covered and clears it. Its content is a pure function of
/// the durable state: the journal entries up to the fold cursor (<see cref="UsageFoldCursors.Folded"/>), so a restarted (or
/// another) server rebuilds it from the journal.
/// <para>
/// <see cref="Generation"/> is the checkpoint generation (<see cref="UsageFoldCursors.Checkpoint"/>) the overlay is relative to.
/// Readers (<see cref="ReadAsync{T}"/>) read the generation before and after reading the table and use the overlay only when
/// both equal <see cref="Generation"/>: after a checkpoint (by this server or another) the table already holds what the overlay
/// held, and the overlay is ignored rather than counted twice.
/// </para>
/// </summary>
public sealed class UsageOverlay(ImsiDirectory directory) : IDisposable
{
    private readonly Lock sync = new();
    private readonly SemaphoreSlim rebuild = new(1, 1);
    private readonly Dictionary<CounterKey, (string OperatorId, TrafficTotals Traffic)> deltas = [];
    private readonly Dictionary<(UsageScope Scope, string ScopeId), List<CounterKey>> byUnit = [];

    /// <summary>The checkpoint generation the overlay is relative to; -1 while it is not known (start, failed fold).</summary>
    public long Generation { get; private set; } = -1;

    /// <summary>The journal id up to which the overlay holds every entry (valid with <see cref="Generation"/>).</summary>
    public long Through { get; private set; }

    /// <summary>Counter keys held (what the next checkpoint writes).</summary>
    public int Count
    {
        get
        {
            lock (sync)
            {
                return deltas.Count;
            }
        }
    }

    /// <summary>Empties the overlay and marks it relative to (<paramref name="generation"/>, <paramref name="through"/>).</summary>
    public void Reset(long generation, long through)
    {
        lock (sync)
        {
            deltas.Clear();
            byUnit.Clear();
            Generation = generation;
            Through = through;
        }
    }

    /// <summary>Forgets everything: the next reader or fold rebuilds it from the journal (<see cref="EnsureAsync"/>).</summary>
    public void Invalidate() => Reset(-1, 0);

    /// <summary>
    /// Makes the overlay the durable state (<paramref name="folded"/>, <paramref name="generation"/>), read by the caller: when it is
    /// relative to another generation (this server started, a fold failed, a checkpoint committed elsewhere) or, with
    /// <paramref name="exact"/> (the fold, which adds what comes after), holds another position, empties it and adds the journal
    /// entries up to <paramref name="folded"/> again (their events were written when they were folded). Reads only, on
    /// <paramref name="db"/> (in its transaction if any), so a reader inside the engine's transaction can run it.
    /// </summary>
    public async Task EnsureAsync(SimlaneDb db, long folded, long generation, bool exact, CancellationToken cancellationToken)
    {
        await rebuild.WaitAsync(cancellationToken);
        try
        {
            lock (sync)
            {
                if (Generation == generation && (!exact || Through == folded))
                {
                    return;
                }
            }

            Reset(-1, 0);
            var store = new UsageStore(db);
            var replay = new List<UsageJournalEntry>();
            await store.ReplayJournalAsync(folded, replay.Add, cancellationToken);
            var counters = new Dictionary<CounterKey, (string OperatorId, TrafficTotals Traffic)>();
            foreach (var chunk in replay.Chunk(5_000))
            {
                await CounterDeltas.AddAsync(db, directory, chunk, counters);
            }

            lock (sync)
            {
                Reset(generation, folded);
                Add(counters, folded);
            }
        }
        finally
        {
            rebuild.Release();
        }
    }

    /// <summary>
    /// Commits a checkpoint (<paramref name="commit"/>) and empties the overlay, relative to the new <paramref name="generation"/>,
    /// with no rebuild in between (a reader seeing the new generation before the overlay is emptied would rebuild it).
    /// </summary>
    public async Task CommitCheckpointAsync(Func<Task> commit, long generation, long folded)
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

            Reset(generation, folded);
        }
        finally
        {
            rebuild.Release();
        }
    }

    /// <summary>Adds <paramref name="counters"/> and moves <see cref="Through"/> to <paramref name="through"/>.</summary>
    public void Add(IEnumerable<KeyValuePair<CounterKey, (string OperatorId, TrafficTotals Traffic)>> counters, long through)
    {
        lock (sync)
        {
            foreach (var (key, (operatorId, traffic)) in counters)
            {
                if (deltas.TryGetValue(key, out var existing))
                {
                    deltas[key] = (operatorId, existing.Traffic + traffic);
                    continue;
                }

                deltas[key] = (operatorId, traffic);
                var unit = (key.Scope, key.ScopeId);
                if (!byUnit.TryGetValue(unit, out var keys))
                {
                    byUnit[unit] = keys = [];
                }

                keys.Add(key);
            }

            Through = Math.Max(Through, through);
        }
    }

    /// <summary>Everything held, for the checkpoint.</summary>
    public List<KeyValuePair<CounterKey, (string OperatorId, TrafficTotals Traffic)>> Snapshot()
    {
        lock (sync)
        {
            return [.. deltas];
        }
    }

    /// <summary>Whether the IMSI has an all-time subscriber entry here (traffic folded since the last checkpoint).</summary>
    public bool HasTraffic(string imsi)
    {
        lock (sync)
        {
            return byUnit.TryGetValue((UsageScope.Subscriber, imsi), out var keys) && keys.Exists(k => k.Period == UsagePeriod.AllTime);
        }
    }

    /// <summary>
    /// Reads <paramref name="table"/> (a query on <c>usage_counters</c>) and the overlay entries of the units
    /// <paramref name="scopeIds"/> of <paramref name="scope"/> that <paramref name="where"/> keeps, as of one checkpoint generation
    /// (none: all units, scanned). The overlay part is empty when the table already includes it (a checkpoint since the overlay's
    /// generation) or when the overlay is not known yet.
    /// </summary>
    public async Task<(T Table, List<OverlayRow> Overlay)> ReadAsync<T>(
        SimlaneDb db, Func<Task<T>> table, UsageScope? scope, IEnumerable<string>? scopeIds, Func<CounterKey, string, bool> where, CancellationToken cancellationToken)
    {
        var store = new UsageStore(db);
        while (true)
        {
            var (folded, before) = await store.FoldCursorsAsync(cancellationToken);
            await EnsureAsync(db, folded, before, exact: false, cancellationToken);
            var rows = await table();
            var overlay = Collect(before, scope, scopeIds, where);
            var after = (await store.FoldCursorsAsync(cancellationToken)).Checkpoint;
            if (before == after)
            {
                return (rows, overlay);
            }

            // A checkpoint committed while the table was read: read again, all in one generation.
        }
    }

    /// <summary>
    /// The counters <paramref name="query"/> selects from <c>usage_counters</c> merged with the overlay entries that <paramref name="where"/>
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
        foreach (var (key, operatorId, traffic) in extra)
        {
            if (!byKey.TryGetValue(key, out var row))
            {
                byKey[key] = row = new UsageCounter
                {
                    Scope = key.Scope, ScopeId = key.ScopeId, Period = key.Period, BucketStart = key.BucketStart, SpeedClass = key.SpeedClass, OperatorId = operatorId,
                };
                rows.Add(row);
            }

            row.UploadBytes += traffic.UploadBytes;
            row.DownloadBytes += traffic.DownloadBytes;
            row.UploadPackets += traffic.UploadPackets;
            row.DownloadPackets += traffic.DownloadPackets;
        }

        return rows;
    }

    private List<OverlayRow> Collect(long generation, UsageScope? scope, IEnumerable<string>? scopeIds, Func<CounterKey, string, bool> where)
    {
        var rows = new List<OverlayRow>();
        lock (sync)
        {
            if (generation != Generation || deltas.Count == 0)
            {
                return rows;
            }

            if (scope is { } s && scopeIds is not null)
            {
                foreach (var id in scopeIds)
                {
                    if (byUnit.TryGetValue((s, id), out var keys))
                    {
                        foreach (var key in keys)
                        {
                            var (operatorId, traffic) = deltas[key];
                            if (where(key, operatorId))
                            {
                                rows.Add(new OverlayRow(key, operatorId, traffic));
                            }
                        }
                    }
                }

                return rows;
            }

            foreach (var (key, (operatorId, traffic)) in deltas)
            {
                if ((scope is null || key.Scope == scope) && where(key, operatorId))
                {
                    rows.Add(new OverlayRow(key, operatorId, traffic));
                }
            }
        }

        return rows;
    }

    public void Dispose() => rebuild.Dispose();
}
