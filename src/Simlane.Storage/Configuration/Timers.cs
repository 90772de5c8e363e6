using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Simlane.Core.Accounts;
using Simlane.Core.Events;
using Simlane.Core.Groups;
using Simlane.Core.Sims;

namespace Simlane.Storage.Configuration;

internal sealed class ScheduledTimerConfiguration : IEntityTypeConfiguration<ScheduledTimer>
{
    public void Configure(EntityTypeBuilder<ScheduledTimer> e)
    {
        e.ToTable("timers");
        e.HasKey(x => x.Key);
        e.HasIndex(x => new { x.DueTime, x.Key });
    }
}

internal sealed class ClockStateConfiguration : IEntityTypeConfiguration<ClockState>
{
    public void Configure(EntityTypeBuilder<ClockState> e)
    {
        e.ToTable("clock_state");
        e.HasKey(x => x.Name);
    }
}
