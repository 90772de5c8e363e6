using System.Text;
using Microsoft.EntityFrameworkCore;
using Simlane.Core.Accounts;
using Simlane.Core.Events;
using Simlane.Core.Groups;
using Simlane.Core.Sims;
using Simlane.Core.Usage;

namespace Simlane.Storage;

/// <summary>
/// The database. One model for both providers; <see cref="SqliteSimlaneDb"/> and
/// <see cref="PostgresSimlaneDb"/> exist only so that each provider has its own migrations. Tables and
/// columns are snake_case so that hand-written SQL (hot paths) reads naturally on both.
/// </summary>
public abstract class SimlaneDb(DbContextOptions options) : DbContext(options)
{
    public DbSet<OperatorAccount> Operators => Set<OperatorAccount>();

    public DbSet<AuthKey> AuthKeys => Set<AuthKey>();

    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();

    public DbSet<Sim> Sims => Set<Sim>();

    public DbSet<Subscription> Subscriptions => Set<Subscription>();

    public DbSet<SimTag> SimTags => Set<SimTag>();

    public DbSet<StatusHistoryEntry> StatusHistory => Set<StatusHistoryEntry>();

    public DbSet<DomainEvent> DomainEvents => Set<DomainEvent>();

    public DbSet<Group> Groups => Set<Group>();

    public DbSet<GroupTag> GroupTags => Set<GroupTag>();

    public DbSet<ScheduledTimer> Timers => Set<ScheduledTimer>();

    public DbSet<UsageCounter> UsageCounters => Set<UsageCounter>();

    public DbSet<AcceptedUsageRecord> AcceptedUsageRecords => Set<AcceptedUsageRecord>();

    public DbSet<ClockState> ClockStates => Set<ClockState>();

    public DbSet<SimSession> Sessions => Set<SimSession>();

    public DbSet<SessionEventRow> SessionEventRows => Set<SessionEventRow>();

    public DbSet<DailyCharge> DailyCharges => Set<DailyCharge>();

    public DbSet<MonthlyCharge> MonthlyCharges => Set<MonthlyCharge>();

    public DbSet<EngineCursor> EngineCursors => Set<EngineCursor>();

    public DbSet<EventHandlerRow> EventHandlers => Set<EventHandlerRow>();

    public DbSet<HandlerIgnore> HandlerIgnores => Set<HandlerIgnore>();

    public DbSet<HandlerExecution> HandlerExecutions => Set<HandlerExecution>();

    public DbSet<HandlerUnitState> HandlerUnitStates => Set<HandlerUnitState>();

    public DbSet<ActionDelivery> ActionDeliveries => Set<ActionDelivery>();

    public DbSet<WebhookSecret> WebhookSecrets => Set<WebhookSecret>();

    public DbSet<CredentialRow> Credentials => Set<CredentialRow>();

    public DbSet<SimDayChargeRow> SimDayCharges => Set<SimDayChargeRow>();

    public DbSet<ExportedFile> ExportedFiles => Set<ExportedFile>();

    /// <summary>Told what each save and each committed transaction changed (<see cref="ICommitObserver"/>); null: nobody listens.</summary>
    public ICommitObserver? CommitObserver { get; set; }

    private CommittedChanges pendingAfterCommit;

    /// <summary>
    /// Called by the owner of a transaction after committing it: tells <see cref="CommitObserver"/> what the saves
    /// in it committed (domain events, action deliveries), plus <paramref name="also"/> (e.g. events written with
    /// hand-written SQL in that transaction).
    /// </summary>
    public void AfterCommit(CommittedChanges also = CommittedChanges.None)
    {
        var changes = pendingAfterCommit | also;
        pendingAfterCommit = CommittedChanges.None;
        if (changes != CommittedChanges.None)
        {
            CommitObserver?.Committed(changes);
        }
    }

    /// <summary>
    /// On SQLite, waits for this process's writer gate of the database file (<see cref="SqliteWriterGate"/>)
    /// and answers its releaser; on PostgreSQL (row locks, many writers) answers null at once.
    /// </summary>
    public async Task<IDisposable?> EnterWriterGateAsync(bool priority, CancellationToken cancellationToken) =>
        this is PostgresSimlaneDb ? null : await SqliteWriterGate.For(Database.GetConnectionString() ?? "").EnterAsync(priority, cancellationToken);

    /// <summary>The PostgreSQL advisory lock key that orders outbox writers (see <see cref="LockOutboxAsync"/>).</summary>
    public const long OutboxLockKey = 0x53494D4C4F42; // "SIMLOB"

    /// <summary>
    /// Takes the outbox lock for the rest of the current transaction, right before domain events are inserted.
    /// On PostgreSQL an identity value is taken at insert time but becomes visible at commit, so two
    /// transactions could commit their events out of id order and a reader past id 11 would never see id 10.
    /// Holding a transaction-scoped advisory lock from the insert to the commit makes event-writing transactions
    /// take ids in commit order: when id N is visible, every lower id is either visible or rolled back for good.
    /// Writers take it last (after every other write of the transaction) so that it is held only for the event
    /// insert and the commit, and no deadlock can form around it. SQLite needs nothing: it has one writer at a time.
    /// Every path that inserts into <c>domain_events</c> must call this inside its transaction.
    /// </summary>
    public async Task LockOutboxAsync(CancellationToken cancellationToken)
    {
        if (this is PostgresSimlaneDb)
        {
            if (Database.CurrentTransaction is null)
            {
                throw new InvalidOperationException("The outbox lock is transaction-scoped; begin a transaction first.");
            }

            await Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({OutboxLockKey})", cancellationToken);
        }
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        // One IEntityTypeConfiguration per entity (Configuration/), applied in a fixed order.
        modelBuilder.ApplyConfiguration(new Configuration.OperatorAccountConfiguration());
        modelBuilder.ApplyConfiguration(new Configuration.AuthKeyConfiguration());
        modelBuilder.ApplyConfiguration(new Configuration.ApiTokenConfiguration());
        modelBuilder.ApplyConfiguration(new Configuration.SimConfiguration());
        modelBuilder.ApplyConfiguration(new Configuration.SubscriptionConfiguration());
        modelBuilder.ApplyConfiguration(new Configuration.SimTagConfiguration());
        modelBuilder.ApplyConfiguration(new Configuration.StatusHistoryEntryConfiguration());
        modelBuilder.ApplyConfiguration(new Configuration.DomainEventConfiguration());
        modelBuilder.ApplyConfiguration(new Configuration.GroupConfiguration());
        modelBuilder.ApplyConfiguration(new Configuration.ScheduledTimerConfiguration());
        modelBuilder.ApplyConfiguration(new Configuration.UsageCounterConfiguration());
        modelBuilder.ApplyConfiguration(new Configuration.AcceptedUsageRecordConfiguration());
        modelBuilder.ApplyConfiguration(new Configuration.ClockStateConfiguration());
        modelBuilder.ApplyConfiguration(new Configuration.SimSessionConfiguration());
        modelBuilder.ApplyConfiguration(new Configuration.SessionEventRowConfiguration());
        modelBuilder.ApplyConfiguration(new Configuration.DailyChargeConfiguration());
        modelBuilder.ApplyConfiguration(new Configuration.MonthlyChargeConfiguration());
        modelBuilder.ApplyConfiguration(new Configuration.EngineCursorConfiguration());
        modelBuilder.ApplyConfiguration(new Configuration.GroupTagConfiguration());
        modelBuilder.ApplyConfiguration(new Configuration.EventHandlerRowConfiguration());
        modelBuilder.ApplyConfiguration(new Configuration.HandlerIgnoreConfiguration());
        modelBuilder.ApplyConfiguration(new Configuration.HandlerExecutionConfiguration());
        modelBuilder.ApplyConfiguration(new Configuration.ActionDeliveryConfiguration());
        modelBuilder.ApplyConfiguration(new Configuration.HandlerUnitStateConfiguration());
        modelBuilder.ApplyConfiguration(new Configuration.WebhookSecretConfiguration());
        modelBuilder.ApplyConfiguration(new Configuration.CredentialRowConfiguration());
        modelBuilder.ApplyConfiguration(new Configuration.SimDayChargeRowConfiguration());
        modelBuilder.ApplyConfiguration(new Configuration.ExportedFileConfiguration());

        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(ToSnakeCase(property.Name));
            }

            foreach (var key in entity.GetKeys())
            {
                key.SetName(ToSnakeCase(key.GetName() ?? ""));
            }

            foreach (var index in entity.GetIndexes())
            {
                index.SetDatabaseName(ToSnakeCase(index.GetDatabaseName() ?? ""));
            }

            foreach (var fk in entity.GetForeignKeys())
            {
                fk.SetConstraintName(ToSnakeCase(fk.GetConstraintName() ?? ""));
            }
        }
    }

    /// <summary>
    /// Saves, writing each SIM's pending domain events and history rows in the same transaction,
    /// keeping each SIM's expiry timer in step with its expiry time, ending the current session of a SIM
    /// whose change requires it (status, expiry action, IMEI lock), and bumping the concurrency version of
    /// every changed SIM.
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var handlerChanges = ChangeTracker.Entries()
            .Where(e => e.Entity is EventHandlerRow or HandlerIgnore && e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            .Select(e => e.Entity switch { EventHandlerRow h => h.UpdatedTime, HandlerIgnore i => i.CreatedTime, _ => 0 })
            .ToList();
        if (handlerChanges.Count == 0)
        {
            return await SaveCoreAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        // The rule engine caches handlers and ignores between event batches; the stamp, moved in the same
        // transaction as the change, tells it (in this process or another) that its cache is stale.
        return await InOwnTransactionAsync(async () =>
        {
            var time = handlerChanges.Max();
            await EngineCursorSql.BumpStampAsync(this, Storage.EngineCursors.HandlersStamp, time, cancellationToken);
            return await SaveCoreAsync(acceptAllChangesOnSuccess, cancellationToken);
        }, cancellationToken);
    }

    private async Task<int> SaveCoreAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken)
    {
        var sims = ChangeTracker.Entries<Sim>().ToList();
        var timersChanged = ChangeTracker.Entries<ScheduledTimer>().Any(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted);
        foreach (var entry in sims)
        {
            timersChanged |= await SyncExpiryTimerAsync(entry, cancellationToken);
            await SessionLedger.EndIfRequiredAsync(this, entry, cancellationToken);
        }

        foreach (var entry in ChangeTracker.Entries<Group>().Where(e => e.State == EntityState.Modified))
        {
            entry.Entity.Version++;
        }

        foreach (var entry in ChangeTracker.Entries<EventHandlerRow>().Where(e => e.State == EntityState.Modified))
        {
            entry.Entity.Version++;
        }

        foreach (var entry in ChangeTracker.Entries<CredentialRow>().Where(e => e.State == EntityState.Modified))
        {
            entry.Entity.Version++;
        }

        var events = ChangeTracker.Entries<DomainEvent>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
        if (ChangeTracker.Entries<ActionDelivery>().Any(e => e.State is EntityState.Added or EntityState.Modified))
        {
            pendingAfterCommit |= CommittedChanges.Deliveries;
        }
        foreach (var entry in sims)
        {
            var sim = entry.Entity;
            if (entry.State == EntityState.Modified || (entry.State == EntityState.Unchanged && (sim.PendingEvents.Count > 0 || sim.PendingHistory.Count > 0)))
            {
                sim.Version++;
            }

            events.AddRange(sim.PendingEvents);
            StatusHistory.AddRange(sim.PendingHistory);
        }

        var written = events.Count == 0 || this is not PostgresSimlaneDb || !acceptAllChangesOnSuccess
            ? await SaveWithEventsAsync(events, acceptAllChangesOnSuccess, cancellationToken)
            : await SaveEventsLastAsync(events, cancellationToken);
        foreach (var entry in sims)
        {
            entry.Entity.PendingEvents.Clear();
            entry.Entity.PendingHistory.Clear();
        }

        if (timersChanged)
        {
            CommitObserver?.Committed(CommittedChanges.Timers);
        }

        if (Database.CurrentTransaction is null)
        {
            AfterCommit(events.Count > 0 ? CommittedChanges.DomainEvents : CommittedChanges.None);
        }

        return written;
    }

    private async Task<int> SaveWithEventsAsync(List<DomainEvent> events, bool acceptAllChangesOnSuccess, CancellationToken cancellationToken)
    {
        if (events.Count == 0 || this is not PostgresSimlaneDb)
        {
            DomainEvents.AddRange(events);
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        // Not accepting changes: one save, the outbox lock taken before it.
        return await InOwnTransactionAsync(async () =>
        {
            await LockOutboxAsync(cancellationToken);
            DomainEvents.AddRange(events);
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>Runs <paramref name="save"/> in the caller's transaction, or in one of its own that it commits.</summary>
    private async Task<int> InOwnTransactionAsync(Func<Task<int>> save, CancellationToken cancellationToken)
    {
        if (Database.CurrentTransaction is not null)
        {
            return await save();
        }

        await using var owned = await Database.BeginTransactionAsync(cancellationToken);
        var written = await save();
        await owned.CommitAsync(cancellationToken);
        return written;
    }

    /// <summary>PostgreSQL: every other change first, then the outbox lock, then the events, then the commit.</summary>
    private async Task<int> SaveEventsLastAsync(List<DomainEvent> events, CancellationToken cancellationToken)
    {
        foreach (var e in events)
        {
            var entry = Entry(e);
            if (entry.State == EntityState.Added)
            {
                entry.State = EntityState.Detached;
            }
        }

        return await InOwnTransactionAsync(async () =>
        {
            var written = await base.SaveChangesAsync(true, cancellationToken);
            await LockOutboxAsync(cancellationToken);
            DomainEvents.AddRange(events);
            return written + await base.SaveChangesAsync(true, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>
    /// Every path that changes a SIM's expiry (set, unset, termination, the expiry firing) goes through
    /// here, so the timer can never disagree with the SIM it belongs to.
    /// </summary>
    private async Task<bool> SyncExpiryTimerAsync(Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry<Sim> entry, CancellationToken cancellationToken)
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
        var tracked = ChangeTracker.Entries<ScheduledTimer>().FirstOrDefault(t => t.Entity.Key == key);
        var timer = tracked?.Entity ?? await Timers.FindAsync([key], cancellationToken);
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
                Timers.Add(new ScheduledTimer { Key = key, Kind = TimerKinds.SimExpiry, DueTime = due, Payload = sim.SimId, CreatedTime = sim.LastModifiedTime });
            }
            else
            {
                timer.DueTime = due;
            }
        }
        else if (timer is not null)
        {
            Timers.Remove(timer);
        }

        return true;
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        throw new NotSupportedException("Use SaveChangesAsync so that the outbox is written with the change.");

    private static string ToSnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && name[i - 1] != '_' && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]))))
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}

public sealed class SqliteSimlaneDb(DbContextOptions<SqliteSimlaneDb> options) : SimlaneDb(options);

public sealed class PostgresSimlaneDb(DbContextOptions<PostgresSimlaneDb> options) : SimlaneDb(options);
