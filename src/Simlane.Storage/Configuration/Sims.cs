using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Simlane.Core.Accounts;
using Simlane.Core.Events;
using Simlane.Core.Groups;
using Simlane.Core.Sims;

namespace Simlane.Storage.Configuration;

internal sealed class SimConfiguration : IEntityTypeConfiguration<Sim>
{
    public void Configure(EntityTypeBuilder<Sim> e)
    {
        e.ToTable("sims");
        e.HasKey(x => x.SimId);
        e.Property(x => x.Status).HasConversion(v => v.ToWire(), v => SimStatusNames.Parse(v, "status"));
        e.Property(x => x.Version).IsConcurrencyToken();
        e.Ignore(x => x.PendingEvents);
        e.Ignore(x => x.PendingHistory);
        e.Ignore(x => x.Primary);
        e.Ignore(x => x.Plan);
        e.HasMany(x => x.Subscriptions).WithOne().HasForeignKey(x => x.SimId);
        e.HasMany(x => x.Tags).WithOne().HasForeignKey(x => x.SimId);
        e.HasIndex(x => new { x.OperatorId, x.SimId });
        e.HasIndex(x => new { x.OperatorId, x.GroupId });
        e.HasIndex(x => x.SerialNumber);

        // A group with SIMs cannot be deleted, even by a delete racing a set_group.
        e.HasOne<Group>().WithMany().HasForeignKey(x => x.GroupId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class SubscriptionConfiguration : IEntityTypeConfiguration<Subscription>
{
    public void Configure(EntityTypeBuilder<Subscription> e)
    {
        e.ToTable("subscriptions");
        e.HasKey(x => x.Imsi);
        e.HasIndex(x => x.SimId);
        e.HasIndex(x => x.Iccid);
        e.Property(x => x.Bundles).HasConversion(StringListConversion.Converter, StringListConversion.Comparer);
    }
}

internal sealed class SimTagConfiguration : IEntityTypeConfiguration<SimTag>
{
    public void Configure(EntityTypeBuilder<SimTag> e)
    {
        e.ToTable("sim_tags");
        e.HasKey(x => new { x.SimId, x.Name });
        e.HasIndex(x => new { x.Name, x.Value });
    }
}

internal sealed class StatusHistoryEntryConfiguration : IEntityTypeConfiguration<StatusHistoryEntry>
{
    public void Configure(EntityTypeBuilder<StatusHistoryEntry> e)
    {
        e.ToTable("sim_status_history");
        e.HasKey(x => x.Id);
        e.HasIndex(x => new { x.SimId, x.AppliedTime, x.Id });
        e.Property(x => x.Bundles).HasConversion(StringListConversion.Converter, StringListConversion.Comparer);
    }
}

internal sealed class SimSessionConfiguration : IEntityTypeConfiguration<SimSession>
{
    public void Configure(EntityTypeBuilder<SimSession> e)
    {
        e.ToTable("sim_sessions");
        e.HasKey(x => x.SessionId);
        e.HasIndex(x => new { x.SimId, x.DeletedTime });
        e.HasIndex(x => new { x.NasAddress, x.AcctSessionId });
        e.HasIndex(x => x.DiameterSessionId);
    }
}

internal sealed class NasRequestConfiguration : IEntityTypeConfiguration<NasRequest>
{
    public void Configure(EntityTypeBuilder<NasRequest> e)
    {
        e.ToTable("nas_requests");
        e.HasKey(x => x.Id);
        e.HasIndex(x => new { x.State, x.NextAttemptTime });
        e.HasIndex(x => new { x.SimId, x.Id });
        e.HasIndex(x => x.SessionId);
    }
}

internal sealed class SessionEventRowConfiguration : IEntityTypeConfiguration<SessionEventRow>
{
    public void Configure(EntityTypeBuilder<SessionEventRow> e)
    {
        e.ToTable("session_events");
        e.HasKey(x => x.Id);
        e.HasIndex(x => new { x.SimId, x.Id });
        e.HasIndex(x => new { x.Imsi, x.Id });
        e.HasIndex(x => x.Time);
    }
}
