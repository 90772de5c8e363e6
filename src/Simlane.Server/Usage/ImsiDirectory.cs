using Microsoft.EntityFrameworkCore;
using Simlane.Core.Events;
using Simlane.Storage;

namespace Simlane.Server.Usage;

/// <summary>
/// The SIM behind each IMSI, in memory (issue 14, item 1; decision S64): ingest and the fold resolve a batch's IMSIs here
/// instead of two random index probes per record in the database. It is kept current by the SIM change events themselves:
/// before every lookup it reads the domain events committed since its last look (<see cref="DomainEventTypes.Registered"/>,
/// <see cref="DomainEventTypes.SpeedClassChanged"/>, <see cref="DomainEventTypes.GroupChanged"/>,
/// <see cref="DomainEventTypes.SubscriptionAdded"/>, <see cref="DomainEventTypes.StatusChanged"/>, written in the transaction
/// that changed the SIM, on any server) and forgets those SIMs, so a lookup never answers from a state older than the last
/// committed change: exactly what a query would have answered. An IMSI it does not hold is read from the database (and
/// kept); an unknown one is never kept, so a SIM registered later is found. Deleting a sandbox operator moves a stamp
/// (<see cref="Stamp"/>) that empties it. At start it loads every registered SIM in the background (about 250 bytes a
/// subscription; until then lookups read the database).
/// </summary>
public sealed partial class ImsiDirectory(IServiceScopeFactory scopes, ILogger<ImsiDirectory> logger) : BackgroundService
{
    /// <summary>The <c>engine_cursors</c> stamp moved by whatever deletes SIMs without events (the sandbox's operator deletion).</summary>
    public const string Stamp = "imsi-directory";

    private static readonly string[] ChangeTypes =
    [
        DomainEventTypes.Registered, DomainEventTypes.SpeedClassChanged, DomainEventTypes.GroupChanged,
        DomainEventTypes.SubscriptionAdded, DomainEventTypes.StatusChanged,
    ];

    private readonly ReaderWriterLockSlim sync = new();

    /// <summary>Holds the write lock until disposed.</summary>
    private WriteLock Writing()
    {
        sync.EnterWriteLock();
        return new WriteLock(sync);
    }

    private readonly struct WriteLock(ReaderWriterLockSlim held) : IDisposable
    {
        public void Dispose() => held.ExitWriteLock();
    }
    private readonly SemaphoreSlim catchUp = new(1, 1);
    private readonly DigitKeyMap<ImsiTarget> byImsi = new();
    private readonly Dictionary<string, List<string>> bySim = new(StringComparer.Ordinal);

    /// <summary>The id of the newest domain event applied; -1 until the first look (nothing is kept before it).</summary>
    private long position = -1; // written only under catchUp (and the write lock, for Keep's readers)
    private long stampSeen = -1;

    /// <summary>Subscriptions held.</summary>
    public int Count
    {
        get
        {
            sync.EnterReadLock();
            try
            {
                return byImsi.Count;
            }
            finally
            {
                sync.ExitReadLock();
            }
        }
    }

    /// <summary>
    /// The SIM behind every IMSI of <paramref name="imsis"/> known among registered SIMs (<paramref name="operatorId"/> null) or one
    /// operator's SIMs, as the database holds them now (read on <paramref name="db"/>, in its transaction if any).
    /// </summary>
    public async Task<Dictionary<string, ImsiTarget>> ResolveAsync(SimlaneDb db, IReadOnlyCollection<string> imsis, string? operatorId, CancellationToken cancellationToken = default) =>
        (await ResolveVersionedAsync(db, imsis, operatorId, cancellationToken)).Targets;

    /// <summary>
    /// <see cref="ResolveAsync"/>, and the database's state it answers as of: ingest resolves a batch before it takes the writer, and
    /// <see cref="UnchangedSinceAsync"/> tells it in the writer's transaction whether the answer still holds.
    /// </summary>
    public async Task<(Dictionary<string, ImsiTarget> Targets, DirectoryVersion AsOf)> ResolveVersionedAsync(
        SimlaneDb db, IReadOnlyCollection<string> imsis, string? operatorId, CancellationToken cancellationToken = default)
    {
        var version = await CatchUpAsync(db, cancellationToken);
        var asOf = version.Events;
        var found = new Dictionary<string, ImsiTarget>(imsis.Count, StringComparer.Ordinal);
        var misses = new List<string>();

        // A read lock: ingest's batches and the fold look up side by side (a batch's lookups take a millisecond or two).
        sync.EnterReadLock();
        try
        {
            foreach (var imsi in imsis)
            {
                if (byImsi.TryGetValue(imsi, out var target))
                {
                    found[imsi] = target;
                }
                else
                {
                    misses.Add(imsi);
                }
            }
        }
        finally
        {
            sync.ExitReadLock();
        }

        if (misses.Count > 0)
        {
            var read = await new UsageStore(db).ResolveImsisAsync(misses, operatorId: null);
            Keep(read.Values, asOf);
            foreach (var (imsi, target) in read)
            {
                found[imsi] = target;
            }
        }

        if (operatorId is not null)
        {
            foreach (var imsi in found.Where(f => !string.Equals(f.Value.OperatorId, operatorId, StringComparison.Ordinal)).Select(f => f.Key).ToList())
            {
                found.Remove(imsi);
            }
        }

        return (found, version);
    }

    /// <summary>
    /// Whether an answer of <see cref="ResolveVersionedAsync"/> as of <paramref name="asOf"/> is still what <paramref name="db"/> (in its
    /// transaction) holds: no SIM change event committed after it and no deletion without events (<see cref="Stamp"/>). Two index reads;
    /// the usage events the fold writes do not count.
    /// </summary>
    public async Task<bool> UnchangedSinceAsync(SimlaneDb db, DirectoryVersion asOf, CancellationToken cancellationToken = default)
    {
        var stamp = await StampAsync(db, cancellationToken);
        return stamp == asOf.Stamp
            && !await db.DomainEvents.AnyAsync(e => e.Id > asOf.Events && e.SimId != null && ChangeTypes.Contains(e.Type), cancellationToken);
    }

    private static async Task<long> StampAsync(SimlaneDb db, CancellationToken cancellationToken) =>
        await db.EngineCursors.Where(c => c.Name == Stamp).Select(c => (long?)c.Position).SingleOrDefaultAsync(cancellationToken) ?? 0;

    public override void Dispose()
    {
        catchUp.Dispose();
        sync.Dispose();
        base.Dispose();
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(() => PreloadAsync(stoppingToken), CancellationToken.None);

    /// <summary>Loads every registered SIM's subscriptions, then looks again at the changes made while it read them.</summary>
    private async Task PreloadAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<SimlaneDb>();
            await CatchUpAsync(db, cancellationToken);
            var from = Volatile.Read(ref position);
            var batch = new List<ImsiTarget>(10_000);
            await foreach (var target in new UsageStore(db).AllImsisAsync(cancellationToken))
            {
                batch.Add(target);
                if (batch.Count == batch.Capacity)
                {
                    Keep(batch, from, onlyNew: true);
                    batch.Clear();
                }
            }

            Keep(batch, from, onlyNew: true);

            // A SIM changed while it was read may have been kept as it was before: forget the SIMs changed since then again.
            await catchUp.WaitAsync(cancellationToken);
            try
            {
                using (Writing())
                {
                    position = Math.Min(position, from);
                }
            }
            finally
            {
                catchUp.Release();
            }

            await CatchUpAsync(db, cancellationToken);
            var count = Count;
            LogPreloaded(logger, count);
            CompactAfterPreload(count);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // Lookups still work: they read the database for what is not held.
            LogPreloadFailed(logger, e);
        }
    }

    /// <summary>
    /// Applies the SIM changes committed since the last look (forgets those SIMs); answers the newest event id <paramref name="db"/>
    /// sees (what it reads next is at least that recent).
    /// </summary>
    private async Task<DirectoryVersion> CatchUpAsync(SimlaneDb db, CancellationToken cancellationToken)
    {
        await catchUp.WaitAsync(cancellationToken);
        try
        {
            var newest = await db.DomainEvents.MaxAsync(e => (long?)e.Id, cancellationToken) ?? 0;
            var stamp = await StampAsync(db, cancellationToken);

            // The position and the stamp seen change only under catchUp, which this holds: read without the lock, and take the write
            // lock (which stops every batch's lookups) only to change something. Most looks change nothing.
            if (stamp != stampSeen)
            {
                using (Writing())
                {
                    byImsi.Clear();
                    bySim.Clear();
                    stampSeen = stamp;
                }
            }

            var from = position;
            if (from < 0 || newest <= from)
            {
                if (newest > from)
                {
                    using (Writing())
                    {
                        position = newest;
                    }
                }

                return new DirectoryVersion(newest, stamp);
            }

            var changed = await db.DomainEvents
                .Where(e => e.Id > from && e.Id <= newest && e.SimId != null && ChangeTypes.Contains(e.Type))
                .Select(e => e.SimId!).Distinct().ToListAsync(cancellationToken);
            using (Writing())
            {
                foreach (var simId in changed)
                {
                    if (bySim.Remove(simId, out var imsis))
                    {
                        foreach (var imsi in imsis)
                        {
                            byImsi.Remove(imsi);
                        }
                    }
                }

                position = newest;
            }

            return new DirectoryVersion(newest, stamp);
        }
        finally
        {
            catchUp.Release();
        }
    }

    /// <summary>
    /// Keeps <paramref name="targets"/>, read as of event <paramref name="asOf"/>: not when the directory has applied newer changes
    /// (they could be older than one of them), unless <paramref name="onlyNew"/> (the preload, which applies them again after).
    /// </summary>
    private void Keep(IEnumerable<ImsiTarget> targets, long asOf, bool onlyNew = false)
    {
        using (Writing())
        {
            if (position < 0 || (!onlyNew && asOf < position))
            {
                return;
            }

            foreach (var target in targets)
            {
                // One probe: the slot is written below, and nothing between changes byImsi.
                ref var held = ref byImsi.GetValueRefOrAddDefault(target.Imsi, out var exists);
                if (exists && onlyNew)
                {
                    continue;
                }

                if (!exists)
                {
                    if (!bySim.TryGetValue(target.SimId, out var imsis))
                    {
                        bySim[target.SimId] = imsis = new List<string>(1);
                    }

                    imsis.Add(target.Imsi);
                }

                held = target;
            }
        }
    }

    /// <summary>
    /// One full, compacting collection once a large directory is loaded (S74): the load leaves as much garbage as it keeps (the
    /// rows read, the map's smaller arrays, the start's first batches), and left to itself the collector let it stand beside
    /// the overlay's first layer until ~20 s after the start, the server's highest resident memory of a whole run (1.24–1.55 GiB
    /// at 1,000,000 SIMs against ~1.0–1.2 GiB after). A small directory is not worth the pause.
    /// </summary>
    private static void CompactAfterPreload(int count)
    {
        if (count >= 100_000)
        {
            System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "IMSI directory loaded: {Count} subscriptions")]
    private static partial void LogPreloaded(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Loading the IMSI directory failed; lookups read the database")]
    private static partial void LogPreloadFailed(ILogger logger, Exception exception);
}

/// <summary>The state of the database an <see cref="ImsiDirectory"/> answer holds for: the newest domain event id and the deletion stamp.</summary>
public readonly record struct DirectoryVersion(long Events, long Stamp);
