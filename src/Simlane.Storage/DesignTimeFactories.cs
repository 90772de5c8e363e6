using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Simlane.Storage;

/// <summary>Lets <c>dotnet ef migrations add</c> build each provider's context without a server.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteSimlaneDb>
{
    public SqliteSimlaneDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteSimlaneDb>().UseSqlite("Data Source=design.db").Options);
}

public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresSimlaneDb>
{
    public PostgresSimlaneDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresSimlaneDb>().UseNpgsql("Host=localhost;Database=design").Options);
}
