using Microsoft.EntityFrameworkCore;
using Simlane.Core.Errors;
using Simlane.Core.Sims;
using Simlane.Server.Auth;
using Simlane.Server.Infrastructure;
using Simlane.Storage;

namespace Simlane.Server.Sims;

/// <summary>
/// Loads the caller's SIMs and applies changes to them: load, decide (a Core method that validates
/// before it mutates), save SIM + events + history in one transaction. A SIM of another operator is
/// reported exactly like a missing one. A concurrent change to the same SIM is retried on fresh state.
/// </summary>
public sealed class SimAccess(SimlaneDb db, Caller caller, TimeProvider clock)
{
    private const int MaxAttempts = 5;

    public SimlaneDb Db => db;

    public IQueryable<Sim> Owned() =>
        db.Sims.Include(s => s.Subscriptions).Include(s => s.Tags).AsSplitQuery().Where(s => s.OperatorId == caller.OperatorId);

    public async Task<Sim> GetBySimIdAsync(string simId, bool track = false)
    {
        var query = track ? Owned() : Owned().AsNoTracking();
        return await query.SingleOrDefaultAsync(s => s.SimId == simId)
            ?? throw new SimlaneException(ErrorCodes.SimNotFound, $"No SIM '{simId}'");
    }

    public async Task<(Sim Sim, Subscription Subscription)> GetByImsiAsync(string imsi, bool track = false)
    {
        var query = track ? Owned() : Owned().AsNoTracking();
        var sim = await query.SingleOrDefaultAsync(s => s.Subscriptions.Any(x => x.Imsi == imsi))
            ?? throw new SimlaneException(ErrorCodes.SubscriberNotFound, $"No subscriber '{imsi}'");
        return (sim, sim.Subscriptions.Single(x => x.Imsi == imsi));
    }

    /// <summary>The current and previous sessions of each SIM, in one query (for a page of any size).</summary>
    public async Task<Dictionary<string, SimSessions>> SessionsAsync(IEnumerable<string> simIds)
    {
        var ids = simIds.Distinct().ToList();
        var rows = await db.Sessions.AsNoTracking().Where(s => ids.Contains(s.SimId)).ToListAsync();
        var bySim = rows.ToLookup(s => s.SimId);
        return ids.ToDictionary(id => id, id => SimSessions.From(bySim[id]));
    }

    public async Task<SimSessions> SessionsAsync(string simId) => (await SessionsAsync([simId]))[simId];

    public async Task<SimView> SimViewAsync(Sim sim) => sim.ToSimView(await SessionsAsync(sim.SimId));

    public async Task<SubscriberView> SubscriberViewAsync(Sim sim, Subscription subscription) =>
        sim.ToSubscriberView(subscription, await SessionsAsync(sim.SimId));

    /// <summary>Sim views of a page of SIMs, loading their sessions in one query.</summary>
    public async Task<List<SimView>> SimViewsAsync(IReadOnlyList<Sim> page)
    {
        var sessions = await SessionsAsync(page.Select(s => s.SimId));
        return [.. page.Select(s => s.ToSimView(sessions[s.SimId]))];
    }

    /// <summary>Applies <paramref name="change"/> to the caller's SIM and saves it with its events.</summary>
    public Task<Sim> ChangeBySimIdAsync(string simId, Func<Sim, long, Task> change) =>
        ChangeAsync(() => GetBySimIdAsync(simId, track: true), change);

    /// <summary>
    /// Applies <paramref name="change"/> through an IMSI. Only the primary IMSI may change SIM-wide
    /// settings; a secondary one answers 400.
    /// </summary>
    public async Task<(Sim Sim, Subscription Subscription)> ChangeByImsiAsync(string imsi, Func<Sim, long, Task> change)
    {
        var sim = await ChangeAsync(
            async () =>
            {
                var (found, subscription) = await GetByImsiAsync(imsi, track: true);
                return subscription.IsPrimary
                    ? found
                    : throw new SimlaneException(ErrorCodes.SecondarySubscription);
            },
            change);
        return (sim, sim.Subscriptions.Single(x => x.Imsi == imsi));
    }

    private async Task<Sim> ChangeAsync(Func<Task<Sim>> load, Func<Sim, long, Task> change)
    {
        for (var attempt = 1; ; attempt++)
        {
            var sim = await load();
            await change(sim, clock.NowMs());
            try
            {
                await db.SaveChangesAsync();
                return sim;
            }
            catch (DbUpdateException e) when (DbErrors.IsRetryable(e) && attempt < MaxAttempts)
            {
                db.ChangeTracker.Clear();
            }
            catch (DbUpdateException e) when (DbErrors.IsRetryable(e))
            {
                throw new SimlaneException(ErrorCodes.Conflict);
            }
            catch (DbUpdateException e) when (DbErrors.IsForeignKeyViolation(e))
            {
                // The only reference a SIM change can break: its group was deleted while it was joining.
                throw new SimlaneException(ErrorCodes.GroupNotFound, $"No group '{sim.GroupId}'");
            }
        }
    }

    /// <summary>Checks that a group exists and belongs to the caller (404 otherwise).</summary>
    public async Task EnsureGroupAsync(string groupId)
    {
        if (!await db.Groups.AnyAsync(g => g.GroupId == groupId && g.OperatorId == caller.OperatorId))
        {
            throw new SimlaneException(ErrorCodes.GroupNotFound, $"No group '{groupId}'");
        }
    }
}
