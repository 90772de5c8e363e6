using Microsoft.Extensions.Options;
using Simlane.Storage;

namespace Simlane.Server.Infrastructure;

/// <summary>Applies migrations (and, in sandbox mode, restores the sandbox clock) at start-up. Hosted services start before the server listens, so no request sees an old schema.</summary>
public sealed partial class MigrationService(DatabaseOptions database, IOptions<SimlaneOptions> options, Scheduling.SimlaneClock clock, ILogger<MigrationService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var connection = database.Describe();
        LogStarting(logger, database.Provider, connection, options.Value.Sandbox, options.Value.Coverage);
        await Migrator.MigrateAsync(database, cancellationToken);
        if (options.Value.Sandbox)
        {
            await using var db = database.CreateContext();
            await Scheduling.SandboxClock.LoadAsync(db, clock, logger, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Database {Provider}: {Connection}; sandbox {Sandbox}; coverage {Coverage}")]
    private static partial void LogStarting(ILogger logger, DatabaseProvider provider, string connection, bool sandbox, string coverage);
}
