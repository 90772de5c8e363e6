using Microsoft.Extensions.Options;
using Simlane.Storage;

namespace Simlane.Server.Infrastructure;

/// <summary>Applies migrations at start-up. Hosted services start before the server listens, so no request sees an old schema.</summary>
public sealed partial class MigrationService(DatabaseOptions database, IOptions<SimlaneOptions> options, ILogger<MigrationService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var connection = database.Describe();
        LogStarting(logger, database.Provider, connection, options.Value.Sandbox, options.Value.Coverage);
        await Migrator.MigrateAsync(database, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Database {Provider}: {Connection}; sandbox {Sandbox}; coverage {Coverage}")]
    private static partial void LogStarting(ILogger logger, DatabaseProvider provider, string connection, bool sandbox, string coverage);
}
