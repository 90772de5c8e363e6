using Microsoft.EntityFrameworkCore;
using Simlane.Core.Errors;
using Simlane.Core.Sims;
using Simlane.Storage;

namespace Simlane.Server.Gateway;

/// <summary>
/// The one admission decision for a data session, used by both network doors: <c>POST /v1/gateway/sessions</c> (which
/// then opens the session) and the RADIUS Access-Request (which only decides; the session opens on Accounting-Start).
/// The rules themselves are <see cref="Sim.AdmitSession"/> (status, secondary subscription OTA state, expiry, IMEI lock);
/// this class finds the SIM in the caller's scope and saves the decision's side effects (ready/standby becomes active,
/// ImeiMismatched events).
/// </summary>
public static class SessionAdmission
{
    private const int MaxAttempts = 5;

    /// <summary>The decision: the admitted SIM (tracked by <c>db</c>), or the refusal reason (<see cref="SessionRefusals"/>).</summary>
    public readonly record struct Decision(Sim? Sim, string? Refusal)
    {
        public bool Admitted => Refusal is null;
    }

    /// <summary>
    /// Decides whether <paramref name="imsi"/> (reporting <paramref name="imei"/>, 15 digits or null) may open a session.
    /// A refusal's side effects are saved here; an admission's are saved here only with <paramref name="saveAdmitted"/>
    /// (RADIUS), else by the caller together with the session it opens (HTTP).
    /// </summary>
    public static async Task<Decision> DecideAsync(SimlaneDb db, GatewayCaller caller, string imsi, string? imei, long now, bool saveAdmitted, CancellationToken cancellationToken = default)
    {
        // The IMSI is the subscriptions' key: look it up there first, then load its SIM by key (an EXISTS over every SIM
        // scans them on SQLite).
        var simId = await db.Subscriptions.Where(x => x.Imsi == imsi).Select(x => x.SimId).FirstOrDefaultAsync(cancellationToken);
        var sim = simId is null ? null : await caller.Scope(db.Sims.Include(s => s.Subscriptions)).SingleOrDefaultAsync(s => s.SimId == simId, cancellationToken);
        if (sim is null)
        {
            return new Decision(null, SessionRefusals.UnknownImsi);
        }

        var refusal = sim.AdmitSession(imsi, imei, now);
        if ((refusal is not null || saveAdmitted) && (sim.PendingEvents.Count > 0 || db.ChangeTracker.HasChanges()))
        {
            await db.SaveChangesAsync(cancellationToken);
        }

        return new Decision(sim, refusal);
    }

    /// <summary>Runs <paramref name="attempt"/> again (with a clean change tracker) when its save lost a concurrency race; 409 after five tries.</summary>
    public static async Task<T> RetryAsync<T>(SimlaneDb db, Func<Task<T>> attempt)
    {
        for (var i = 1; ; i++)
        {
            try
            {
                return await attempt();
            }
            catch (DbUpdateException e) when (DbErrors.IsRetryable(e) && i < MaxAttempts)
            {
                db.ChangeTracker.Clear();
            }
            catch (DbUpdateException e) when (DbErrors.IsRetryable(e))
            {
                throw new SimlaneException(ErrorCodes.Conflict);
            }
        }
    }
}
