using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Simlane.Core.Groups;
using Simlane.Core.Sims;

namespace Simlane.Storage.Saving;

/// <summary>What one <c>SaveChangesAsync</c> call works on, shared by its steps (<see cref="SaveSteps"/>).</summary>
public sealed class SaveBatch
{
    internal SaveBatch(SimlaneDb db, bool acceptAllChangesOnSuccess)
    {
        Db = db;
        AcceptAllChangesOnSuccess = acceptAllChangesOnSuccess;
        Sims = db.ChangeTracker.Entries<Sim>().ToList();
    }

    public SimlaneDb Db { get; }

    public bool AcceptAllChangesOnSuccess { get; }

    /// <summary>Every tracked SIM at the start of the save.</summary>
    public IReadOnlyList<EntityEntry<Sim>> Sims { get; }

    /// <summary>Writes that must run in the save's transaction, before the change tracker is saved; their presence makes the save begin one.</summary>
    public List<Func<CancellationToken, Task>> TransactionalWrites { get; } = [];

    /// <summary>Reported to the commit observer right after the save, also inside a caller's transaction.</summary>
    public CommittedChanges AtSave { get; set; }

    /// <summary>Reported to the commit observer when the save's changes are committed.</summary>
    public CommittedChanges AtCommit { get; set; }

    /// <summary>How many domain events the save wrote (set by <see cref="OutboxWriter"/>).</summary>
    public int EventsWritten { get; internal set; }
}

/// <summary>
/// One named side effect of a save. <see cref="BeforeSaveAsync"/> runs before anything is written and may only
/// change tracked entities (and read, or register <see cref="SaveBatch.TransactionalWrites"/>); <see cref="AfterSave"/>
/// runs after a successful save.
/// </summary>
public interface ISaveStep
{
    string Name { get; }

    Task BeforeSaveAsync(SaveBatch batch, CancellationToken cancellationToken);

    void AfterSave(SaveBatch batch)
    {
    }
}

/// <summary>
/// The steps every <c>SaveChangesAsync</c> runs, in this order, around the one write
/// (<see cref="OutboxWriter"/>, which saves the change tracker and writes the outbox last). Order matters:
/// sessions end before versions are bumped and events staged, because ending a session raises SIM events.
/// </summary>
public static class SaveSteps
{
    public static IReadOnlyList<ISaveStep> InOrder { get; } =
    [
        new HandlerCacheStampStep(),
        new ExpiryTimerStep(),
        new SessionEndStep(),
        new DynamicAuthorizationStep(),
        new GroupMembershipStep(),
        new VersionStep(),
        new SimEventsAndHistoryStep(),
        new CommitNotificationStep(),
    ];
}

/// <summary>
/// Handler cache stamp: a save that adds, changes or removes an event handler or a handler ignore moves the
/// <see cref="EngineCursors.HandlersStamp"/> stamp, in the same transaction, so the rule engine (in this process or
/// another) knows its cached handler index is stale.
/// </summary>
public sealed class HandlerCacheStampStep : ISaveStep
{
    public string Name => "HandlerCacheStamp";

    public Task BeforeSaveAsync(SaveBatch batch, CancellationToken cancellationToken)
    {
        var times = batch.Db.ChangeTracker.Entries()
            .Where(e => e.Entity is EventHandlerRow or HandlerIgnore && e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            .Select(e => e.Entity switch { EventHandlerRow h => h.UpdatedTime, HandlerIgnore i => i.CreatedTime, _ => 0 })
            .ToList();
        if (times.Count > 0)
        {
            var time = times.Max();
            batch.TransactionalWrites.Add(ct => EngineCursorSql.BumpStampAsync(batch.Db, EngineCursors.HandlersStamp, time, ct));
        }

        return Task.CompletedTask;
    }
}

/// <summary>
/// Expiry timer: every path that changes a SIM's expiry time (set, unset, termination, the expiry firing) keeps the
/// SIM's <see cref="TimerKinds.SimExpiry"/> timer in step with it, so the timer can never disagree with its SIM.
/// Reports <see cref="CommittedChanges.Timers"/> after a save that moved any timer.
/// </summary>
public sealed class ExpiryTimerStep : ISaveStep
{
    public string Name => "ExpiryTimer";

    public async Task BeforeSaveAsync(SaveBatch batch, CancellationToken cancellationToken)
    {
        var db = batch.Db;
        var changed = db.ChangeTracker.Entries<ScheduledTimer>().Any(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted);
        foreach (var entry in batch.Sims)
        {
            changed |= await SyncAsync(db, entry, cancellationToken);
        }

        if (changed)
        {
            batch.AtSave |= CommittedChanges.Timers;
        }
    }

    private static async Task<bool> SyncAsync(SimlaneDb db, EntityEntry<Sim> entry, CancellationToken cancellationToken)
    {
        if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Unchanged))
        {
            return false;
        }

        var sim = entry.Entity;
        var original = entry.State == EntityState.Added ? null : entry.Property(x => x.ExpiryTime).OriginalValue;
        if (original == sim.ExpiryTime)
        {
            return false;
        }

        var key = TimerKinds.SimExpiryKey(sim.SimId);
        var tracked = db.ChangeTracker.Entries<ScheduledTimer>().FirstOrDefault(t => t.Entity.Key == key);
        var timer = tracked?.Entity ?? await db.Timers.FindAsync([key], cancellationToken);
        if (tracked?.State == EntityState.Deleted)
        {
            // The timer is being fired in this very save; a new expiry set by the handler starts a new one.
            if (sim.ExpiryTime is { } next)
            {
                tracked.State = EntityState.Modified;
                tracked.Entity.DueTime = next;
            }

            return true;
        }

        if (sim.ExpiryTime is { } due)
        {
            if (timer is null)
            {
                db.Timers.Add(new ScheduledTimer { Key = key, Kind = TimerKinds.SimExpiry, DueTime = due, Payload = sim.SimId, CreatedTime = sim.LastModifiedTime });
            }
            else
            {
                timer.DueTime = due;
            }
        }
        else if (timer is not null)
        {
            db.Timers.Remove(timer);
        }

        return true;
    }
}

/// <summary>
/// Session end: a SIM change that forbids data (a status that stops it, an expiry whose action cuts the session,
/// an IMEI lock the session's IMEI no longer satisfies) ends the SIM's current session in the same save
/// (<see cref="SessionLedger"/>), which raises the SIM's SessionDeleted events.
/// </summary>
public sealed class SessionEndStep : ISaveStep
{
    public string Name => "SessionEnd";

    public async Task BeforeSaveAsync(SaveBatch batch, CancellationToken cancellationToken)
    {
        foreach (var entry in batch.Sims)
        {
            await SessionLedger.EndIfRequiredAsync(batch.Db, entry, cancellationToken);
        }
    }
}

/// <summary>
/// Dynamic authorization (RFC 5176, docs/radius.md): a SIM whose speed class changed while it has a current RADIUS
/// session stages a CoA-Request <see cref="NasRequest"/> with the new class and records a <c>Modified</c> session event
/// (the Disconnect for an ended session is staged by <see cref="SessionLedger.EndAsync"/>, which the SessionEnd step
/// runs first). Every staged request supersedes the pending CoAs of its session, in the same transaction, and wakes
/// the delivery worker at commit (<see cref="CommittedChanges.NasRequests"/>).
/// </summary>
public sealed class DynamicAuthorizationStep : ISaveStep
{
    public string Name => "DynamicAuthorization";

    public async Task BeforeSaveAsync(SaveBatch batch, CancellationToken cancellationToken)
    {
        var db = batch.Db;
        foreach (var entry in batch.Sims)
        {
            if (entry.State is not (EntityState.Modified or EntityState.Unchanged) || entry.Property(x => x.SpeedClass).OriginalValue == entry.Entity.SpeedClass)
            {
                continue;
            }

            var sim = entry.Entity;
            var current = await SessionLedger.CurrentAsync(db, sim.SimId, cancellationToken);
            if (current is { DeletedTime: null } && NasRequestStaging.Stage(db, current, NasRequestKinds.CoA, sim.SpeedClass, sim.LastModifiedTime) is not null)
            {
                SessionLedger.RecordModified(db, current, sim.LastModifiedTime);
            }
        }

        var staged = db.ChangeTracker.Entries<NasRequest>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
        if (staged.Count == 0)
        {
            return;
        }

        batch.AtCommit |= CommittedChanges.NasRequests;
        foreach (var request in staged)
        {
            // Runs before the new rows are inserted, so only older pending CoAs of the session are touched.
            var (sessionId, now) = (request.SessionId, request.CreatedTime);
            var reason = request.Kind switch
            {
                NasRequestKinds.Disconnect => "Superseded by a Disconnect-Request",
                NasRequestKinds.ReAuth => "Superseded by a Re-Auth-Request",
                _ => "Superseded by a newer CoA-Request",
            };
            batch.TransactionalWrites.Add(ct => db.NasRequests
                .Where(r => r.SessionId == sessionId && r.State == NasRequestStates.Pending && r.Kind == NasRequestKinds.CoA)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.State, NasRequestStates.Superseded).SetProperty(r => r.CompletedTime, now).SetProperty(r => r.LastError, reason), ct));
        }
    }
}

/// <summary>
/// Group membership: a SIM that joins, leaves or changes group (its <c>GroupId</c> differs from what was loaded,
/// or a new SIM starts in a group) closes its open <see cref="GroupMembership"/> and opens one for the new group,
/// at its <c>GroupChangedTime</c>, in the same save: the history metering reads to attribute late usage.
/// </summary>
public sealed class GroupMembershipStep : ISaveStep
{
    public string Name => "GroupMembership";

    public async Task BeforeSaveAsync(SaveBatch batch, CancellationToken cancellationToken)
    {
        foreach (var entry in batch.Sims)
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Unchanged))
            {
                continue;
            }

            var sim = entry.Entity;
            var original = entry.State == EntityState.Added ? null : entry.Property(x => x.GroupId).OriginalValue;
            if (original == sim.GroupId)
            {
                continue;
            }

            var time = sim.GroupChangedTime ?? sim.LastModifiedTime;
            if (original is not null)
            {
                var open = await batch.Db.GroupMemberships.Where(m => m.SimId == sim.SimId && m.ToTime == null).ToListAsync(cancellationToken);
                open.AddRange(batch.Db.GroupMemberships.Local.Where(m => m.SimId == sim.SimId && m.ToTime == null && !open.Contains(m)));
                foreach (var membership in open)
                {
                    membership.ToTime = time;
                }
            }

            if (sim.GroupId is not null && sim.OperatorId is not null)
            {
                batch.Db.GroupMemberships.Add(new GroupMembership { OperatorId = sim.OperatorId, SimId = sim.SimId, GroupId = sim.GroupId, FromTime = time });
            }
        }
    }
}

/// <summary>
/// Versions: bumps the optimistic-concurrency version of every changed group, event handler and credential, and of
/// every SIM that changed or raised events or history (a concurrent save of the same row then fails instead of
/// overwriting).
/// </summary>
public sealed class VersionStep : ISaveStep
{
    public string Name => "Version";

    public Task BeforeSaveAsync(SaveBatch batch, CancellationToken cancellationToken)
    {
        var tracker = batch.Db.ChangeTracker;
        foreach (var entry in tracker.Entries<Group>().Where(e => e.State == EntityState.Modified))
        {
            entry.Entity.Version++;
        }

        foreach (var entry in tracker.Entries<EventHandlerRow>().Where(e => e.State == EntityState.Modified))
        {
            entry.Entity.Version++;
        }

        foreach (var entry in tracker.Entries<CredentialRow>().Where(e => e.State == EntityState.Modified))
        {
            entry.Entity.Version++;
        }

        foreach (var entry in batch.Sims)
        {
            var sim = entry.Entity;
            if (entry.State == EntityState.Modified || (entry.State == EntityState.Unchanged && (sim.PendingEvents.Count > 0 || sim.PendingHistory.Count > 0)))
            {
                sim.Version++;
            }
        }

        return Task.CompletedTask;
    }
}

/// <summary>
/// SIM events and history: stages each SIM's pending domain events with the outbox writer and adds its pending
/// status-history rows, so they commit with the change that raised them; clears both lists after the save.
/// </summary>
public sealed class SimEventsAndHistoryStep : ISaveStep
{
    public string Name => "SimEventsAndHistory";

    public Task BeforeSaveAsync(SaveBatch batch, CancellationToken cancellationToken)
    {
        foreach (var entry in batch.Sims)
        {
            foreach (var domainEvent in entry.Entity.PendingEvents)
            {
                batch.Db.Outbox.Stage(domainEvent);
            }

            batch.Db.StatusHistory.AddRange(entry.Entity.PendingHistory);
        }

        return Task.CompletedTask;
    }

    public void AfterSave(SaveBatch batch)
    {
        foreach (var entry in batch.Sims)
        {
            entry.Entity.PendingEvents.Clear();
            entry.Entity.PendingHistory.Clear();
        }
    }
}

/// <summary>
/// Commit notifications: tells the context's <see cref="ICommitObserver"/> what the save changed: timers at once,
/// domain events and action deliveries when they are committed (at once for a save outside a transaction,
/// otherwise at <see cref="SimlaneDb.AfterCommit"/>), so the workers that wait for them wake without polling.
/// </summary>
public sealed class CommitNotificationStep : ISaveStep
{
    public string Name => "CommitNotification";

    public Task BeforeSaveAsync(SaveBatch batch, CancellationToken cancellationToken)
    {
        if (batch.Db.ChangeTracker.Entries<ActionDelivery>().Any(e => e.State is EntityState.Added or EntityState.Modified))
        {
            batch.AtCommit |= CommittedChanges.Deliveries;
        }

        return Task.CompletedTask;
    }

    public void AfterSave(SaveBatch batch)
    {
        if (batch.EventsWritten > 0)
        {
            batch.AtCommit |= CommittedChanges.DomainEvents;
        }

        batch.Db.DeferUntilCommit(batch.AtCommit);
        if (batch.AtSave != CommittedChanges.None)
        {
            batch.Db.CommitObserver?.Committed(batch.AtSave);
        }

        if (batch.Db.Database.CurrentTransaction is null)
        {
            batch.Db.AfterCommit();
        }
    }
}
