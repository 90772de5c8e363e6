using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Simlane.Core.Accounts;
using Simlane.Core.Events;
using Simlane.Core.Groups;
using Simlane.Core.Sims;

namespace Simlane.Storage.Configuration;

internal sealed class DomainEventConfiguration : IEntityTypeConfiguration<DomainEvent>
{
    public void Configure(EntityTypeBuilder<DomainEvent> e)
    {
        e.ToTable("domain_events");
        e.HasKey(x => x.Id);
        e.HasIndex(x => new { x.SimId, x.Id });
    }
}

internal sealed class EngineCursorConfiguration : IEntityTypeConfiguration<EngineCursor>
{
    public void Configure(EntityTypeBuilder<EngineCursor> e)
    {
        e.ToTable("engine_cursors");
        e.HasKey(x => x.Name);
        e.Property(x => x.Position).IsConcurrencyToken();
    }
}
