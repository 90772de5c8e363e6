using Microsoft.EntityFrameworkCore;
using Simlane.Server.Gateway;
using Simlane.Server.Usage;
using Simlane.Storage;

namespace Simlane.Server.Infrastructure;

/// <summary>
/// The transaction of one batch of a network door (RADIUS accounting, Diameter credit control): in a scope of its own,
/// as the platform gateway, at SQLite's writer gate, a stage step changes sessions and collects usage; then the usage is
/// ingested (<see cref="Metering.IngestInOpenTransactionAsync"/>), the changes saved and all committed together, or
/// nothing is. A lost concurrency race runs the whole attempt again on a clean change tracker
/// (<see cref="SessionAdmission.RetryAsync{T}"/>), so the stage step must start from what it reads.
/// </summary>
public static class MeteredTransaction
{
    /// <summary>
    /// Runs <paramref name="stage"/> (given the context, the caller and the usage list to fill) and commits; answers the
    /// committed attempt's results. The usage is counted on <c>simlane.usage.records</c> under <paramref name="door"/>.
    /// </summary>
    public static async Task<IReadOnlyList<TResult>> RunAsync<TResult>(
        IServiceScopeFactory scopes, string door, Func<SimlaneDb, GatewayCaller, List<MeterInput>, Task<List<TResult>>> stage)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SimlaneDb>();
        var metering = scope.ServiceProvider.GetRequiredService<Metering>();
        var caller = scope.ServiceProvider.GetRequiredService<GatewayCaller>();
        caller.SetPlatform();
        using var gate = await db.EnterWriterGateAsync(priority: false, CancellationToken.None);
        List<TResult> results = [];
        var metered = new MeterResult(0, 0);
        await SessionAdmission.RetryAsync(db, async () =>
        {
            var strategy = db.Database.CreateExecutionStrategy();
            await strategy.ExecuteAsync(async () =>
            {
                db.ChangeTracker.Clear();
                await using var transaction = await db.Database.BeginTransactionAsync();
                var usage = new List<MeterInput>();
                results = await stage(db, caller, usage);

                // Usage first, then the sessions' save: both write the outbox, which is the transaction's last write (S25).
                metered = await metering.IngestInOpenTransactionAsync(usage);
                await db.SaveChangesAsync();
                await transaction.CommitAsync();
            });
            return true;
        });
        db.AfterCommit();
        if (metered.Accepted + metered.Duplicates > 0)
        {
            scope.ServiceProvider.GetRequiredService<Telemetry.SimlaneMetrics>()
                .UsageCommitted(door, metered.Accepted, metered.Duplicates, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }

        return results;
    }
}
