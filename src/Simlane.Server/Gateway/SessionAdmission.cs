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

    /// <summary>
    /// The decision for the platform gateway that only decides (RADIUS Access-Request), read without tracking in one query:
    /// most requests are for an active SIM and write nothing. When the decision writes (ready or standby becomes active, a
    /// secondary subscription becomes active, an ImeiMismatched event), it is made again by <see cref="DecideAsync"/> on
    /// tracked, current state and saved, so the answer and its side effects always come from one read.
    /// </summary>
    public static async Task<Decision> DecideReadOnlyFirstAsync(SimlaneDb db, GatewayCaller caller, string imsi, string? imei, long now, CancellationToken cancellationToken = default)
    {
        if (!caller.IsPlatform)
        {
            throw new InvalidOperationException("Only the platform gateway decides without tracking.");
        }

        var sim = await PlatformSimByImsi(db, imsi, cancellationToken);
        if (sim is null)
        {
            return new Decision(null, SessionRefusals.UnknownImsi);
        }

        var status = sim.Status;
        var subscription = sim.Subscriptions.Single(s => s.Imsi == imsi);
        var secondaryStatus = subscription.SecondaryStatus;
        var refusal = sim.AdmitSession(imsi, imei, now);
        if (sim.PendingEvents.Count == 0 && sim.Status == status && subscription.SecondaryStatus == secondaryStatus)
        {
            return new Decision(sim, refusal);
        }

        return await RetryAsync(db, () => DecideAsync(db, caller, imsi, imei, now, saveAdmitted: true, cancellationToken));
    }

    /// <summary>The registered SIM (any operator's) holding <c>imsi</c>, with its subscriptions, untracked: the subscription's
    /// IMSI key finds the SIM's key in a scalar subquery, so SQLite reads two indexes, not every SIM. Compiled once per
    /// provider: a compiled query keeps the model of the first context it ran with.</summary>
    private static Task<Sim?> PlatformSimByImsi(SimlaneDb db, string imsi, CancellationToken cancellationToken) => db switch
    {
        SqliteSimlaneDb sqlite => SqliteSimByImsi(sqlite, imsi, cancellationToken),
        PostgresSimlaneDb postgres => PostgresSimByImsi(postgres, imsi, cancellationToken),
        _ => throw new ArgumentException($"Unknown context {db.GetType().Name}", nameof(db)),
    };

    private static readonly Func<SqliteSimlaneDb, string, CancellationToken, Task<Sim?>> SqliteSimByImsi = CompileSimByImsi<SqliteSimlaneDb>();

    private static readonly Func<PostgresSimlaneDb, string, CancellationToken, Task<Sim?>> PostgresSimByImsi = CompileSimByImsi<PostgresSimlaneDb>();

    private static Func<TDb, string, CancellationToken, Task<Sim?>> CompileSimByImsi<TDb>() where TDb : SimlaneDb =>
        EF.CompileAsyncQuery((TDb db, string imsi, CancellationToken cancellationToken) => db.Sims.AsNoTracking().Include(s => s.Subscriptions)
            .Where(s => s.OperatorId != null && s.SimId == db.Subscriptions.Where(x => x.Imsi == imsi).Select(x => x.SimId).FirstOrDefault())
            .FirstOrDefault());

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
