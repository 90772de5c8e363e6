using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Simlane.Core.Accounts;
using Simlane.Core.Events;
using Simlane.Core.Groups;
using Simlane.Core.Sims;

namespace Simlane.Storage.Configuration;

internal sealed class UsageCounterConfiguration : IEntityTypeConfiguration<UsageCounter>
{
    public void Configure(EntityTypeBuilder<UsageCounter> e)
    {
        e.ToTable("usage_counters");
        e.HasKey(x => new { x.Scope, x.ScopeId, x.Period, x.BucketStart, x.SpeedClass });
        e.Property(x => x.Scope).HasConversion<short>();
        e.Property(x => x.Period).HasConversion<short>();
        e.HasIndex(x => new { x.OperatorId, x.Scope, x.Period, x.BucketStart });
    }
}

internal sealed class AcceptedUsageRecordConfiguration : IEntityTypeConfiguration<AcceptedUsageRecord>
{
    public void Configure(EntityTypeBuilder<AcceptedUsageRecord> e)
    {
        e.ToTable("usage_records");
        e.HasKey(x => new { x.OperatorId, x.RecordId });
        // The pruner deletes IDs by record time (UsageRecordRetention); nothing reads by accepted time.
        e.HasIndex(x => x.Unixtime);
    }
}

internal sealed class UsageJournalBatchConfiguration : IEntityTypeConfiguration<UsageJournalBatch>
{
    public void Configure(EntityTypeBuilder<UsageJournalBatch> e)
    {
        e.ToTable("usage_journal");
        e.HasKey(x => x.Id);

        // SQLite would otherwise reuse ids once the fold has emptied the table; a barrier waits for "up to id N".
        e.Property(x => x.Id).ValueGeneratedOnAdd().HasAnnotation("Sqlite:Autoincrement", true);
    }
}
