using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Simlane.Core.Accounts;
using Simlane.Core.Events;
using Simlane.Core.Groups;
using Simlane.Core.Sims;

namespace Simlane.Storage.Configuration;

internal sealed class GroupConfiguration : IEntityTypeConfiguration<Group>
{
    public void Configure(EntityTypeBuilder<Group> e)
    {
        e.ToTable("groups");
        e.HasKey(x => x.GroupId);
        e.HasIndex(x => new { x.OperatorId, x.GroupId });
        e.Property(x => x.Version).IsConcurrencyToken();
        e.HasMany(x => x.Tags).WithOne().HasForeignKey(x => x.GroupId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class GroupTagConfiguration : IEntityTypeConfiguration<GroupTag>
{
    public void Configure(EntityTypeBuilder<GroupTag> e)
    {
        e.ToTable("group_tags");
        e.HasKey(x => new { x.GroupId, x.Name });
        e.HasIndex(x => new { x.Name, x.Value });
    }
}

internal sealed class GroupMembershipConfiguration : IEntityTypeConfiguration<GroupMembership>
{
    public void Configure(EntityTypeBuilder<GroupMembership> e)
    {
        e.ToTable("group_memberships");
        e.HasKey(x => x.Id);
        e.HasIndex(x => new { x.SimId, x.FromTime });
        e.HasIndex(x => x.OperatorId);
    }
}
