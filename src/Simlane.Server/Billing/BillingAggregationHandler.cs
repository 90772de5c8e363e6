using Microsoft.Extensions.Options;
using Simlane.Server.Infrastructure;
using Simlane.Server.Scheduling;
using Simlane.Storage;

namespace Simlane.Server.Billing;

/// <summary>
/// The periodic billing aggregation (docs/billing.md): runs <see cref="BillingAggregator"/> for every
/// operator and schedules the next run at the next multiple of the interval, under the other of the two
/// <see cref="BillingTimers.Keys"/> so the new row never collides with the one being fired.
/// </summary>
public sealed class BillingAggregationHandler(BillingAggregator aggregator, IOptions<BillingOptions> options) : ITimerHandler
{
    public string Kind => BillingTimers.Kind;

    public async Task FireAsync(SimlaneDb db, ScheduledTimer timer, long now, CancellationToken cancellationToken)
    {
        await aggregator.RunAsync(db, now, cancellationToken);
        var due = NextRun(now, options.Value.AggregationInterval);
        var key = BillingTimers.NextKey(timer.Key);
        var next = await db.Timers.FindAsync([key], cancellationToken);
        if (next is null)
        {
            db.Timers.Add(new ScheduledTimer { Key = key, Kind = Kind, DueTime = due, Payload = "", CreatedTime = now });
        }
        else
        {
            next.DueTime = Math.Min(next.DueTime, due);
        }
    }

    /// <summary>The first multiple of <paramref name="interval"/> (counted from the epoch, UTC) after <paramref name="now"/>.</summary>
    public static long NextRun(long now, TimeSpan interval)
    {
        var step = (long)interval.TotalMilliseconds;
        return (Math.DivRem(now, step).Quotient * step) + step;
    }
}

/// <summary>
/// Makes sure the aggregation timer exists at start-up (it re-schedules itself after that). Runs after
/// the migrations and before the timer scheduler starts.
/// </summary>
public sealed class BillingScheduleService(DatabaseOptions database, TimeProvider clock, IOptions<BillingOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        foreach (var key in BillingTimers.Keys)
        {
            if (await db.Timers.FindAsync([key], cancellationToken) is not null)
            {
                return;
            }
        }

        var now = clock.NowMs();
        db.Timers.Add(new ScheduledTimer
        {
            Key = BillingTimers.Keys[0],
            Kind = BillingTimers.Kind,
            DueTime = BillingAggregationHandler.NextRun(now, options.Value.AggregationInterval),
            Payload = "",
            CreatedTime = now,
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (Microsoft.EntityFrameworkCore.DbUpdateException)
        {
            // Fine when another instance started at the same moment and scheduled it first.
            if (!await ExistsAsync(cancellationToken))
            {
                throw;
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task<bool> ExistsAsync(CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        return await db.Timers.FindAsync([BillingTimers.Keys[0]], cancellationToken) is not null;
    }
}
