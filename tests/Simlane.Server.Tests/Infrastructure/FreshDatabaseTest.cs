namespace Simlane.Server.Tests.Infrastructure;

/// <summary>A test class with a fresh, empty database of its own, for tests that run the real server process.</summary>
public abstract class FreshDatabaseTest(DatabaseKind kind) : IAsyncLifetime
{
    protected TestDatabase Database { get; private set; } = null!;

    public async Task InitializeAsync() => Database = await TestDatabase.CreateAsync(kind);

    public async Task DisposeAsync() => await Database.DisposeAsync();
}
