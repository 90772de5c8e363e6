using Microsoft.EntityFrameworkCore;
using Simlane.Server.Infrastructure;
using Simlane.Storage;

namespace Simlane.Server.Scheduling;

/// <summary>Fires one kind of timer. Runs inside the transaction that deletes the timer.</summary>
public interface ITimerHandler
{
    string Kind { get; }

    /// <summary>Applies the timer's effect to tracked entities of <paramref name="db"/>; the scheduler saves.</summary>
    Task FireAsync(SimlaneDb db, ScheduledTimer timer, long now, CancellationToken cancellationToken);
}

/// <summary>
/// Fires durable timers in due order through the injected clock. Each timer's effect and the deletion
/// of its row commit in one transaction, so a crash never loses or doubles an effect, and timers left
/// overdue by a stop fire at the next start. Only due timers are read, a batch at a time, so millions
/// of pending timers cost nothing but their index.
/// </summary>
public sealed partial class TimerScheduler(
    IServiceScopeFactory scopes,
    TimeProvider clock,
    IEnumerable<ITimerHandler> handlers,
    Telemetry.SimlaneMetrics metrics,
    ILogger<TimerScheduler> logger) : SignalledWorker(clock)
{
    private const int BatchSize = 100;
    private static readonly TimeSpan IdleDelay = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, ITimerHandler> handlersByKind = handlers.ToDictionary(h => h.Kind, StringComparer.Ordinal);

    /// <summary>
    /// Fires every timer due at or before the clock's current time, in (due time, key) order, and
    /// returns how many fired. Callers that moved the clock await this before they answer.
    /// </summary>
    public async Task<int> DrainAsync(CancellationToken cancellationToken)
    {
        await Gate.WaitAsync(cancellationToken);
        try
        {
            var fired = 0;
            var failed = new HashSet<string>(StringComparer.Ordinal);
            while (true)
            {
                var now = Clock.NowMs();
                List<string> due;
                using (var scope = scopes.CreateScope())
                {
                    var db = scope.ServiceProvider.GetRequiredService<SimlaneDb>();
                    due = await db.Timers.AsNoTracking().Where(t => t.DueTime <= now)
                        .OrderBy(t => t.DueTime).ThenBy(t => t.Key).Select(t => t.Key)
                        .Take(BatchSize + failed.Count).ToListAsync(cancellationToken);
                }

                due.RemoveAll(failed.Contains);
                if (due.Count == 0)
                {
                    return fired;
                }

                foreach (var key in due)
                {
                    if (await FireAsync(key, now, cancellationToken))
                    {
                        fired++;
                    }
                    else
                    {
                        failed.Add(key);
                    }
                }
            }
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>The earliest pending due time, or null when no timer is pending.</summary>
    public async Task<long?> NextDueAsync(CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SimlaneDb>();
        return await db.Timers.AsNoTracking().OrderBy(t => t.DueTime).Select(t => (long?)t.DueTime).FirstOrDefaultAsync(cancellationToken);
    }

    protected override TimeSpan FailureDelay => IdleDelay;

    protected override async Task<TimeSpan> RunRoundAsync(CancellationToken cancellationToken)
    {
        await DrainAsync(cancellationToken);
        return await NextDueAsync(cancellationToken) is { } next
            ? TimeSpan.FromMilliseconds(Math.Clamp(next - Clock.NowMs(), 0, (long)IdleDelay.TotalMilliseconds))
            : IdleDelay;
    }

    protected override void OnRoundFailed(Exception exception) => LogLoopFailed(logger, exception);

    /// <summary>Fires one timer; false when its handler failed (it is then retried a minute later).</summary>
    private async Task<bool> FireAsync(string key, long now, CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SimlaneDb>();
        var timer = await db.Timers.FindAsync([key], cancellationToken);
        if (timer is null || timer.DueTime > now)
        {
            return true;
        }

        try
        {
            if (handlersByKind.TryGetValue(timer.Kind, out var handler))
            {
                await handler.FireAsync(db, timer, now, cancellationToken);
            }
            else
            {
                LogUnknownKind(logger, timer.Kind, key);
            }

            db.Timers.Remove(timer);
            await db.SaveChangesAsync(cancellationToken);
            metrics.Committed(db);
            metrics.TimerFired(timer.Kind, now - timer.DueTime);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another firing or a reschedule won the race; this attempt's effect was rolled back.
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFireFailed(logger, e, key);
            await PostponeAsync(key, now + (long)RetryDelay.TotalMilliseconds, cancellationToken);
            return false;
        }
    }

    private async Task PostponeAsync(string key, long dueTime, CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SimlaneDb>();
        await db.Timers.Where(t => t.Key == key).ExecuteUpdateAsync(s => s.SetProperty(t => t.DueTime, dueTime), cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Timer loop failed; retrying")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Timer {Key} failed; it will be retried")]
    private static partial void LogFireFailed(ILogger logger, Exception exception, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No handler for timer kind {Kind} ({Key}); dropping it")]
    private static partial void LogUnknownKind(ILogger logger, string kind, string key);
}
