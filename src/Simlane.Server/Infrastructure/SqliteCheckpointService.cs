using Simlane.Storage;

namespace Simlane.Server.Infrastructure;

/// <summary>
/// Checkpoints SQLite's WAL once a second, in the background, instead of inside commits (see
/// <see cref="SqliteConnectionSetup"/>). Nothing to do on PostgreSQL. The cadence is real time (the sandbox
/// clock does not move it): it is housekeeping of the file, not a domain timer.
/// </summary>
public sealed partial class SqliteCheckpointService(DatabaseOptions database, ILogger<SqliteCheckpointService> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Past this many WAL frames (~40 MB) after a passive checkpoint, the WAL is restarted from the beginning in a
    /// turn at the writer gate: a passive checkpoint copies pages but cannot rewind the WAL while writers keep
    /// appending, and a WAL that only grows makes every read slower and the process larger.
    /// </summary>
    public const long RestartFrames = 10_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (database.Provider != DatabaseProvider.Sqlite)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, stoppingToken);
                var (frames, _) = await SqliteConnectionSetup.CheckpointAsync(database.ConnectionString, stoppingToken);
                if (frames > RestartFrames)
                {
                    // Most pages are already copied, so this is short; in the gate, writers queue in memory meanwhile.
                    using var gate = await database.EnterWriterGateAsync(priority: true, stoppingToken);
                    var started = System.Diagnostics.Stopwatch.GetTimestamp();
                    await SqliteConnectionSetup.CheckpointAsync(database.ConnectionString, "RESTART", stoppingToken);
                    var ms = (long)System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    LogRestarted(logger, frames, ms);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogCheckpointFailed(logger, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "SQLite WAL rewound (RESTART) after {Frames} frames, in {Ms} ms at the writer gate")]
    private static partial void LogRestarted(ILogger logger, long frames, long ms);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SQLite WAL checkpoint failed; trying again in a second")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception exception);
}
