using Microsoft.EntityFrameworkCore;
using Simlane.Storage;

namespace Simlane.Server.Scheduling;

/// <summary>Applies a SIM's expiry action when its expiry time passes (domain.md 3.4).</summary>
public sealed class SimExpiryHandler : ITimerHandler
{
    public string Kind => TimerKinds.SimExpiry;

    public async Task FireAsync(SimlaneDb db, ScheduledTimer timer, long now, CancellationToken cancellationToken)
    {
        var sim = await db.Sims.Include(s => s.Subscriptions).Include(s => s.Tags).AsSplitQuery()
            .SingleOrDefaultAsync(s => s.SimId == timer.Payload, cancellationToken);
        sim?.Expire(now);
    }
}
