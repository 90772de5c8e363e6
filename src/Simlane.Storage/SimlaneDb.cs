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

    public DbSet<GroupMembership> GroupMemberships => Set<GroupMembership>();

    public DbSet<ScheduledTimer> Timers => Set<ScheduledTimer>();

    public DbSet<UsageCounter> UsageCounters => Set<UsageCounter>();

    public DbSet<AcceptedUsageRecord> AcceptedUsageRecords => Set<AcceptedUsageRecord>();

    public DbSet<UsageJournalBatch> UsageJournal => Set<UsageJournalBatch>();

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

    public DbSet<NasRequest> NasRequests => Set<NasRequest>();

    /// <summary>Told what each save and each committed transaction changed (<see cref="ICommitObserver"/>); null: nobody listens.</summary>
    public ICommitObserver? CommitObserver { get; set; }

    /// <summary>
    /// How long a staged Disconnect/CoA request (<see cref="NasRequest"/>) is retried before it is failed; the server sets
    /// it from <c>Simlane:Radius:DynamicAuthorizationDeadlineSeconds</c> (docs/radius.md).
    /// </summary>
    public TimeSpan NasRequestDeadline { get; set; } = TimeSpan.FromHours(1);

    private CommittedChanges pendingAfterCommit;

    private OutboxWriter? outbox;

    /// <summary>The only writer of <c>domain_events</c> for this context (<see cref="OutboxWriter"/>).</summary>
    public OutboxWriter Outbox => outbox ??= new OutboxWriter(this);

    /// <summary>Remembers <paramref name="changes"/> for the next <see cref="AfterCommit"/>.</summary>
    internal void DeferUntilCommit(CommittedChanges changes) => pendingAfterCommit |= changes;

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
        modelBuilder.ApplyConfiguration(new Configuration.UsageJournalBatchConfiguration());
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
        modelBuilder.ApplyConfiguration(new Configuration.NasRequestConfiguration());
        modelBuilder.ApplyConfiguration(new Configuration.GroupMembershipConfiguration());

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
    /// Saves: runs the named before-save steps of <see cref="Saving.SaveSteps.InOrder"/> (handler cache stamp, expiry
    /// timers, session end, group membership, versions, SIM events and history, commit notifications), then the one write
    /// (<see cref="OutboxWriter"/>: the change tracker, then the outbox under its lock), then the steps' after-save parts.
    /// No domain logic lives here; each side effect is a step with its own name, doc comment and test.
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var batch = new Saving.SaveBatch(this, acceptAllChangesOnSuccess);
        foreach (var step in Saving.SaveSteps.InOrder)
        {
            await step.BeforeSaveAsync(batch, cancellationToken);
        }

        var written = await Outbox.SaveAsync(batch, cancellationToken);
        foreach (var step in Saving.SaveSteps.InOrder)
        {
            step.AfterSave(batch);
        }

        return written;
    }

    /// <summary>EF's own save of the change tracker, for <see cref="OutboxWriter"/> only.</summary>
    internal Task<int> SaveTrackedAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken) =>
        base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);

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
