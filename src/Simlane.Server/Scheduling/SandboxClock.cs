using Microsoft.EntityFrameworkCore;
using Simlane.Core.Errors;
using Simlane.Server.Infrastructure;
using Simlane.Storage;

namespace Simlane.Server.Scheduling;

/// <summary>
/// The sandbox clock: moves <see cref="SimlaneClock"/> forward, persists the offset so it survives a
/// restart, and fires every timer that became due before answering.
/// </summary>
public sealed class SandboxClock(SimlaneClock clock, TimerScheduler scheduler, IServiceScopeFactory scopes) : IDisposable
{
    public const string StateName = "sandbox";
    private readonly SemaphoreSlim gate = new(1, 1);

    public long NowMs => clock.NowMs();

    public void Dispose() => gate.Dispose();

    /// <summary>Restores the persisted offset; called once at start-up in sandbox mode.</summary>
    public static async Task LoadAsync(SimlaneDb db, SimlaneClock clock, CancellationToken cancellationToken)
    {
        var state = await db.ClockStates.AsNoTracking().SingleOrDefaultAsync(s => s.Name == StateName, cancellationToken);
        clock.SetOffset(state?.OffsetMs ?? 0);
    }

    public async Task<long> AdvanceToAsync(long target, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            var now = clock.NowMs();
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

        await scheduler.DrainAsync(cancellationToken);
        return clock.NowMs();
    }
}
