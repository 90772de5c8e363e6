using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Simlane.Core.Accounts;
using Simlane.Core.Events;
using Simlane.Core.Groups;
using Simlane.Core.Sims;

namespace Simlane.Storage.Configuration;

internal sealed class DailyChargeConfiguration : IEntityTypeConfiguration<DailyCharge>
{
    public void Configure(EntityTypeBuilder<DailyCharge> e)
    {
        e.ToTable("daily_charges");
        e.HasKey(x => new { x.OperatorId, x.DayStart });
        e.HasIndex(x => new { x.OperatorId, x.YearMonth });
        e.Property(x => x.Amount).HasPrecision(20, 4);
    }
}

internal sealed class MonthlyChargeConfiguration : IEntityTypeConfiguration<MonthlyCharge>
{
    public void Configure(EntityTypeBuilder<MonthlyCharge> e)
    {
        e.ToTable("monthly_charges");
        e.HasKey(x => new { x.OperatorId, x.YearMonth });
        e.Property(x => x.Amount).HasPrecision(20, 4);
    }
}

internal sealed class SimDayChargeRowConfiguration : IEntityTypeConfiguration<SimDayChargeRow>
{
    public void Configure(EntityTypeBuilder<SimDayChargeRow> e)
    {
        e.ToTable("sim_day_charges");
        e.HasKey(x => new { x.OperatorId, x.YearMonth, x.SimId, x.DayStart });
        e.Property(x => x.BasicFee).HasPrecision(20, 4);
        e.Property(x => x.BasicAmount).HasPrecision(20, 4);
        e.Property(x => x.DataFee).HasPrecision(28, 12);
        e.Property(x => x.DataAmount).HasPrecision(20, 4);
        e.Property(x => x.Amount).HasPrecision(20, 4);
    }
}

internal sealed class ExportedFileConfiguration : IEntityTypeConfiguration<ExportedFile>
{
    public void Configure(EntityTypeBuilder<ExportedFile> e)
    {
        e.ToTable("exported_files");
        e.HasKey(x => x.FileId);
        e.HasIndex(x => x.ExpiresTime);
        e.HasIndex(x => x.OperatorId);
    }
}
