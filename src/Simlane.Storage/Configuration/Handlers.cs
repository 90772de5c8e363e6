using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Simlane.Core.Accounts;
using Simlane.Core.Events;
using Simlane.Core.Groups;
using Simlane.Core.Sims;

namespace Simlane.Storage.Configuration;

internal sealed class EventHandlerRowConfiguration : IEntityTypeConfiguration<EventHandlerRow>
{
    public void Configure(EntityTypeBuilder<EventHandlerRow> e)
    {
        e.ToTable("event_handlers");
        e.HasKey(x => x.HandlerId);
        e.Property(x => x.Version).IsConcurrencyToken();
        e.HasIndex(x => new { x.OperatorId, x.HandlerId });
        e.HasIndex(x => x.TargetImsi);
        e.HasIndex(x => x.TargetSimId);
        e.HasIndex(x => x.TargetGroupId);
        e.HasIndex(x => x.TargetOperatorId);
    }
}

internal sealed class HandlerIgnoreConfiguration : IEntityTypeConfiguration<HandlerIgnore>
{
    public void Configure(EntityTypeBuilder<HandlerIgnore> e)
    {
        e.ToTable("handler_ignores");
        e.HasKey(x => new { x.HandlerId, x.Imsi });
        e.HasIndex(x => x.Imsi);
        e.HasOne<EventHandlerRow>().WithMany().HasForeignKey(x => x.HandlerId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class HandlerExecutionConfiguration : IEntityTypeConfiguration<HandlerExecution>
{
    public void Configure(EntityTypeBuilder<HandlerExecution> e)
    {
        e.ToTable("handler_executions");
        e.HasKey(x => x.Id);
        e.HasIndex(x => new { x.HandlerId, x.Id });
        e.HasIndex(x => new { x.Imsi, x.Id });
        e.HasIndex(x => new { x.SimId, x.Id });
        e.HasIndex(x => new { x.OperatorId, x.Id });
    }
}

internal sealed class HandlerUnitStateConfiguration : IEntityTypeConfiguration<HandlerUnitState>
{
    public void Configure(EntityTypeBuilder<HandlerUnitState> e)
    {
        e.ToTable("handler_unit_states");
        e.HasKey(x => new { x.HandlerId, x.Generation, x.UnitKey });
        e.HasOne<EventHandlerRow>().WithMany().HasForeignKey(x => x.HandlerId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ActionDeliveryConfiguration : IEntityTypeConfiguration<ActionDelivery>
{
    public void Configure(EntityTypeBuilder<ActionDelivery> e)
    {
        e.ToTable("action_deliveries");
        e.HasKey(x => x.Id);
        e.HasOne<HandlerExecution>().WithMany(x => x.Deliveries).HasForeignKey(x => x.ExecutionId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(x => x.DeliveryKey).IsUnique();
        e.HasIndex(x => new { x.State, x.NextAttemptTime });
        e.HasIndex(x => new { x.ExecutionId, x.ActionIndex }).IsUnique();
    }
}
