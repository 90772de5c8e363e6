using Simlane.Server.Infrastructure;
using Simlane.Storage;

namespace Simlane.Server.Usage;

/// <summary>
/// Deletes accepted usage record IDs whose record time is past the de-duplication window (plus its grace,
/// <see cref="DeduplicationWindow.PruneBefore"/>): at start, then every hour on the injected clock, and whenever the
/// sandbox clock moves (<see cref="Scheduling.SandboxClock"/> drains it). Each batch of <see cref="BatchSize"/> IDs is
/// one statement, its own short transaction, taken at the SQLite writer gate without priority, so ingest waits at
/// most for one batch. Sandbox record IDs are kept (<see cref="UsageRecordRetention"/>).
/// </summary>
public sealed partial class UsageRecordPruner(
    IServiceScopeFactory scopes, TimeProvider clock, DeduplicationWindow window, ILogger<UsageRecordPruner> logger) : SignalledWorker(clock)
{
    /// <summary>Most IDs deleted by one statement.</summary>
    public const int BatchSize = 10_000;

    /// <summary>How often the loop prunes.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override TimeSpan FailureDelay => TimeSpan.FromMinutes(5);

    /// <summary>Prunes everything past the window now, and answers how many IDs were deleted.</summary>
    public async Task<long> DrainAsync(CancellationToken cancellationToken)
    {
        await Gate.WaitAsync(cancellationToken);
        try
        {
            var before = window.PruneBefore(Clock.GetUtcNow().ToUnixTimeSeconds());
            long deleted = 0;
            while (true)
            {
                using var scope = scopes.CreateScope();
                var db = scope.ServiceProvider.GetRequiredService<SimlaneDb>();
                int batch;
                using (await db.EnterWriterGateAsync(priority: false, cancellationToken))
                {
                    batch = await UsageRecordRetention.DeleteBatchAsync(db, before, BatchSize, cancellationToken);
                }

                deleted += batch;
                if (batch < BatchSize)
                {
                    break;
                }
            }

            if (deleted > 0)
            {
                LogPruned(logger, deleted, before);
            }

            return deleted;
        }
        finally
        {
            Gate.Release();
        }
    }

    protected override async Task<TimeSpan> RunRoundAsync(CancellationToken cancellationToken)
    {
        await DrainAsync(cancellationToken);
        return Interval;
    }

    protected override void OnRoundFailed(Exception exception) => LogFailed(logger, exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned {Count} usage record IDs with a record time before {Before} (de-duplication window)")]
    private static partial void LogPruned(ILogger logger, long count, long before);

    [LoggerMessage(Level = LogLevel.Error, Message = "Pruning usage record IDs failed; retrying")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
