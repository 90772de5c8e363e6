using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Simlane.Core.Accounts;
using Simlane.Core.Events;
using Simlane.Core.Groups;
using Simlane.Core.Sims;

namespace Simlane.Storage.Configuration;

internal sealed class OperatorAccountConfiguration : IEntityTypeConfiguration<OperatorAccount>
{
    public void Configure(EntityTypeBuilder<OperatorAccount> e)
    {
        e.ToTable("operators");
        e.HasKey(x => x.OperatorId);
        e.HasIndex(x => x.Email).IsUnique();
    }
}

internal sealed class AuthKeyConfiguration : IEntityTypeConfiguration<AuthKey>
{
    public void Configure(EntityTypeBuilder<AuthKey> e)
    {
        e.ToTable("auth_keys");
        e.HasKey(x => x.AuthKeyId);
        e.HasIndex(x => x.OperatorId);
    }
}

internal sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> e)
    {
        e.ToTable("api_tokens");
        e.HasKey(x => x.TokenHash);
        e.HasIndex(x => x.ApiKey);
        e.HasIndex(x => x.OperatorId);
    }
}

internal sealed class WebhookSecretConfiguration : IEntityTypeConfiguration<WebhookSecret>
{
    public void Configure(EntityTypeBuilder<WebhookSecret> e)
    {
        e.ToTable("webhook_secrets");
        e.HasKey(x => x.OperatorId);
        e.HasOne<OperatorAccount>().WithMany().HasForeignKey(x => x.OperatorId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CredentialRowConfiguration : IEntityTypeConfiguration<CredentialRow>
{
    public void Configure(EntityTypeBuilder<CredentialRow> e)
    {
        e.ToTable("credentials");
        e.HasKey(x => new { x.OperatorId, x.CredentialsId });
        e.Property(x => x.Version).IsConcurrencyToken();
    }
}
