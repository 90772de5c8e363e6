using Microsoft.EntityFrameworkCore;
using Simlane.Core.Errors;
using Microsoft.Extensions.Logging;
using Simlane.Server.Actions;
using Simlane.Server.Engine;
using Simlane.Server.Infrastructure;
using Simlane.Storage;

namespace Simlane.Server.Scheduling;

/// <summary>
/// The sandbox clock: moves <see cref="SimlaneClock"/> forward, persists the offset so it survives a
/// restart, and before answering fires every timer that became due and consumes every domain event
/// (so re-evaluations and firings caused by the move are done when the call answers).
/// </summary>
public sealed class SandboxClock(SimlaneClock clock, TimerScheduler scheduler, OutboxConsumer consumer, ActionDeliveryWorker deliveries, Radius.NasRequestWorker nasRequests, Usage.UsageFold fold, Usage.UsageRecordPruner pruner, IServiceScopeFactory scopes) : IDisposable
{
    public const string StateName = "sandbox";

    /// <summary>Timers, the consumer and the deliveries feed each other (a firing schedules a timer that writes an event …); at most this many rounds.</summary>
    public const int MaxDrainRounds = 100;
    private readonly SemaphoreSlim gate = new(1, 1);

    public long NowMs => clock.NowMs();

    public void Dispose() => gate.Dispose();

    /// <summary>
    /// Restores the persisted offset; called once at start-up in sandbox mode. An offset that puts the clock
    /// outside <see cref="InputLimits"/>' range (stored before the range was enforced) is repaired to the
    /// latest allowed instant, so one bad move cannot break every clock-dependent call for good.
    /// </summary>
    public static async Task LoadAsync(SimlaneDb db, SimlaneClock clock, ILogger logger, CancellationToken cancellationToken)
    {
        var state = await db.ClockStates.SingleOrDefaultAsync(s => s.Name == StateName, cancellationToken);
        var offset = state?.OffsetMs ?? 0;
        var safe = SafeOffset(clock.RealNowMs(), offset);
        if (state is not null && safe != offset)
        {
            logger.LogWarning("The stored sandbox clock offset {Offset} ms is outside {Range}; it is now {Safe} ms", offset, InputLimits.RangeText, safe);
            state.OffsetMs = safe;
            await db.SaveChangesAsync(cancellationToken);
        }

        clock.SetOffset(safe);
    }

    /// <summary><paramref name="offsetMs"/>, or the nearest offset that keeps the clock within the allowed range.</summary>
    public static long SafeOffset(long realNowMs, long offsetMs)
    {
        if (offsetMs < 0)
        {
            return 0;
        }

        var latest = Math.Max(0, InputLimits.MaxTimeMs - 1 - realNowMs);
        return Math.Min(offsetMs, latest);
    }

    public Task<long> AdvanceToAsync(long target, CancellationToken cancellationToken) => MoveAsync(_ => target, cancellationToken);

    /// <summary>
    /// Moves the clock <paramref name="deltaMs"/> ahead of its time when the move happens (not when it was asked
    /// for: on a real-time clock "advance by 0" must not turn into "move back by the request's latency").
    /// </summary>
    public Task<long> AdvanceByAsync(long deltaMs, CancellationToken cancellationToken) => MoveAsync(now => checked(now + deltaMs), cancellationToken);

    private async Task<long> MoveAsync(Func<long, long> targetFromNow, CancellationToken cancellationToken)
    {
        // Usage accepted before the move is folded (and its events written) at the time it was accepted, and checkpointed.
        await fold.CheckpointAsync(cancellationToken);
        await gate.WaitAsync(cancellationToken);
        try
        {
            var now = clock.NowMs();
            var target = targetFromNow(now);
            if (target >= InputLimits.MaxTimeMs)
            {
                throw new SimlaneException(ErrorCodes.InvalidField, $"The clock cannot move beyond {InputLimits.RangeText}");
            }

            if (target < now)
            {
                throw new SimlaneException(ErrorCodes.ClockBackwards, $"The clock is at {now}; it cannot move back to {target}");
            }

            var offset = checked(clock.OffsetMs + (target - now));
            using (var scope = scopes.CreateScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<SimlaneDb>();
                var state = await db.ClockStates.SingleOrDefaultAsync(s => s.Name == StateName, cancellationToken);
                if (state is null)
                {
                    db.ClockStates.Add(new ClockState { Name = StateName, OffsetMs = offset });
                }
                else
                {
                    state.OffsetMs = offset;
                }

                await db.SaveChangesAsync(cancellationToken);
            }

            clock.SetOffset(offset);
        }
        finally
        {
            gate.Release();
        }

        await DrainAsync(cancellationToken);
        return clock.NowMs();
    }

    /// <summary>Prunes usage record IDs past the de-duplication window, then folds accepted usage, fires due timers, consumes events, attempts due actions and due Disconnect/CoA requests, in turn, until all are idle (bounded; each due action is attempted once per round at most), then checkpoints the fold.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        // Record IDs the move put past the de-duplication window go first (nothing else depends on them).
        await pruner.DrainAsync(cancellationToken);
        for (var round = 0; round < MaxDrainRounds; round++)
        {
            var work = await fold.CatchUpAsync(cancellationToken);
            work += await scheduler.DrainAsync(cancellationToken);
            work += await consumer.DrainAsync(cancellationToken);

            // Waits for an attempt the background loop has under way, so the events its SIM action wrote are committed…
            work += await deliveries.DrainAsync(cancellationToken);
            work += await nasRequests.DrainAsync(cancellationToken);

            // …and consumed here, before the answer: other handlers see what the actions changed.
            work += await consumer.DrainAsync(cancellationToken);
            if (work == 0)
            {
                // Idle: the counters' table alone holds every acknowledged record (the overlay written, decision S63).
                await fold.CheckpointAsync(cancellationToken);
                return;
            }
        }
    }
}
