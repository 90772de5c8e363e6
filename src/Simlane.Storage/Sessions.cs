using Microsoft.EntityFrameworkCore;
using Simlane.Core.Sims;

namespace Simlane.Storage;

/// <summary>
/// A data session of one IMSI as the packet gateway reported it. A SIM has at most one current session
/// (<see cref="DeletedTime"/> null) and keeps only its last ended one (the <c>previousSession</c>); the
/// full story lives in <see cref="SessionEventRow"/>.
/// </summary>
public sealed class SimSession
{
    public required string SessionId { get; set; }

    public required string SimId { get; set; }

    public required string Imsi { get; set; }

    public required string OperatorId { get; set; }

    public string? Imei { get; set; }

    public string? Apn { get; set; }

    public string? UeIpAddress { get; set; }

    /// <summary>The <c>Cell</c> object as JSON, or null.</summary>
    public string? CellJson { get; set; }

    public required string Subscription { get; set; }

    public long CreatedTime { get; set; }

    public long LastUpdatedAt { get; set; }

    /// <summary>Null while the session is current.</summary>
    public long? DeletedTime { get; set; }

    /// <summary>
    /// RADIUS only (docs/radius.md): the address of the NAS that holds the session (where a Disconnect-Request or
    /// CoA-Request for it goes); null for a session opened through the gateway API.
    /// </summary>
    public string? NasAddress { get; set; }

    /// <summary>RADIUS only: the NAS's Acct-Session-Id, unique per NAS.</summary>
    public string? AcctSessionId { get; set; }

    /// <summary>
    /// RADIUS: the cumulative input octets (Gigawords applied) of the last accounting report metered. Diameter Gy: the
    /// input (upload) octets of every Used-Service-Unit metered so far.
    /// </summary>
    public long AcctInputOctets { get; set; }

    /// <summary>RADIUS: the cumulative output octets of the last accounting report metered. Diameter Gy: the output (download) octets metered so far.</summary>
    public long AcctOutputOctets { get; set; }

    /// <summary>RADIUS only: the cumulative input packets of the last accounting report metered.</summary>
    public long AcctInputPackets { get; set; }

    /// <summary>RADIUS only: the cumulative output packets of the last accounting report metered.</summary>
    public long AcctOutputPackets { get; set; }

    /// <summary>
    /// Diameter Gy only (docs/diameter.md): the Origin-Host of the peer (PGW/SMF) that opened the session with a
    /// CCR-Initial, where a Re-Auth-Request for it goes; null for a session opened another way.
    /// </summary>
    public string? DiameterPeer { get; set; }

    /// <summary>Diameter Gy only: the peer's Session-Id (globally unique, RFC 6733 8.8).</summary>
    public string? DiameterSessionId { get; set; }

    /// <summary>Diameter Gy only: the CC-Request-Number of the last Credit-Control-Request answered; a request at or below it is a retransmission.</summary>
    public long CcRequestNumber { get; set; }

    /// <summary>Diameter Gy only: the Result-Code of the last Credit-Control-Answer, repeated to a retransmission of its request.</summary>
    public int CcResultCode { get; set; }
}

/// <summary>One session event (<c>Created</c>, <c>Modified</c>, <c>Deleted</c>); served for 32 days.</summary>
public sealed class SessionEventRow
{
    public long Id { get; set; }

    /// <summary>Epoch milliseconds.</summary>
    public long Time { get; set; }

    public required string Event { get; set; }

    public required string Imsi { get; set; }

    public required string SimId { get; set; }

    public required string OperatorId { get; set; }

    public required string SessionId { get; set; }

    public string? Imei { get; set; }

    public string? Apn { get; set; }

    public string? UeIpAddress { get; set; }

    public string? CellJson { get; set; }

    public required string Subscription { get; set; }
}

public static class SessionEvents
{
    public const string Created = "Created";
    public const string Modified = "Modified";
    public const string Deleted = "Deleted";

    /// <summary>Session events older than this are neither served nor kept.</summary>
    public const long RetentionMs = 32L * 24 * 3600 * 1000;
}

/// <summary>Opening and ending sessions; every path that ends one goes through <see cref="EndAsync"/>.</summary>
public static class SessionLedger
{
    public static Task<SimSession?> CurrentAsync(SimlaneDb db, string simId, CancellationToken cancellationToken = default) =>
        db.Sessions.Where(s => s.SimId == simId && s.DeletedTime == null).OrderByDescending(s => s.CreatedTime).FirstOrDefaultAsync(cancellationToken);

    /// <summary>Opens a session (the caller has admitted it and ended any current one).</summary>
    public static SimSession Open(SimlaneDb db, Sim sim, string imsi, string? imei, string? apn, string? ueIpAddress, string? cellJson, long now)
    {
        var subscription = sim.Subscriptions.Single(s => s.Imsi == imsi);
        var session = new SimSession
        {
            SessionId = Guid.NewGuid().ToString(),
            SimId = sim.SimId,
            Imsi = imsi,
            OperatorId = sim.OperatorId!,
            Imei = imei,
            Apn = apn,
            UeIpAddress = ueIpAddress,
            CellJson = cellJson,
            Subscription = subscription.Plan,
            CreatedTime = now,
            LastUpdatedAt = now,
        };
        db.Sessions.Add(session);
        db.SessionEventRows.Add(EventFor(session, SessionEvents.Created, now));
        sim.RecordSessionCreated(session.SessionId, imei, now);
        return session;
    }

    /// <summary>
    /// Ends <paramref name="session"/>: records <c>Deleted</c> and <c>SessionDeleted</c>, makes it the SIM's
    /// previous session and forgets the one before. <c>endedByNas</c>: true when the NAS itself ended the session
    /// (RADIUS Accounting-Stop or Accounting-On/Off, a Diameter CCR-Termination), so nothing is owed to it; false on every
    /// other path (a status cut, delete_session, a replacing session), where a RADIUS session's NAS is told with a
    /// Disconnect-Request (docs/radius.md, "Dynamic authorization") and a Gy session's peer with a Re-Auth-Request
    /// (docs/diameter.md, "Enforcement").
    /// </summary>
    public static async Task EndAsync(SimlaneDb db, Sim sim, SimSession session, long now, bool endedByNas = false, CancellationToken cancellationToken = default)
    {
        if (session.DeletedTime is not null)
        {
            return;
        }

        var older = await db.Sessions.Where(s => s.SimId == session.SimId && s.DeletedTime != null && s.SessionId != session.SessionId).ToListAsync(cancellationToken);
        db.Sessions.RemoveRange(older);
        session.DeletedTime = now;
        session.LastUpdatedAt = now;
        db.SessionEventRows.Add(EventFor(session, SessionEvents.Deleted, now));
        sim.RecordSessionDeleted(session.SessionId, now);
        if (!endedByNas)
        {
            // The one place a Disconnect-Request (RADIUS) or Re-Auth-Request (Diameter Gy) is owed; it supersedes the
            // session's pending CoAs (DynamicAuthorizationStep).
            NasRequestStaging.Stage(db, session, NasRequestKinds.Disconnect, null, now);
        }
    }

    /// <summary>
    /// Called from <see cref="SimlaneDb.SaveChangesAsync(bool, CancellationToken)"/> for every changed SIM:
    /// a status that forbids data (inactive, standby, suspended, terminated), an expiry whose action cuts the
    /// session, or an IMEI lock the session's IMEI no longer satisfies ends the current session.
    /// </summary>
    internal static async Task EndIfRequiredAsync(SimlaneDb db, Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry<Sim> entry, CancellationToken cancellationToken)
    {
        if (entry.State is not (EntityState.Modified or EntityState.Unchanged))
        {
            return;
        }

        var sim = entry.Entity;
        var statusChanged = entry.Property(x => x.Status).OriginalValue != sim.Status;
        var lockChanged = entry.Property(x => x.ImeiLock).OriginalValue != sim.ImeiLock && sim.ImeiLock is not null;
        var expiryCut = sim.PendingEvents.Any(e => e.Imsi is null && e.Type == Core.Events.DomainEventTypes.Expired && e.NewValue is not (null or ExpiryActions.DoNothing));
        var statusCut = statusChanged && sim.Status is SimStatus.Inactive or SimStatus.Standby or SimStatus.Suspended or SimStatus.Terminated;
        if (!statusCut && !lockChanged && !expiryCut)
        {
            return;
        }

        var current = await CurrentAsync(db, sim.SimId, cancellationToken);
        if (current is null || current.DeletedTime is not null)
        {
            return;
        }

        if (statusCut || expiryCut || !Imei.Satisfies(sim.ImeiLock!, current.Imei))
        {
            await EndAsync(db, sim, current, sim.LastModifiedTime, cancellationToken: cancellationToken);
        }
    }

    /// <summary>
    /// Records a <c>Modified</c> event for <paramref name="session"/> at <paramref name="now"/> (a CoA-Request re-shaped it;
    /// the request's outcome is shown on this event).
    /// </summary>
    public static void RecordModified(SimlaneDb db, SimSession session, long now)
    {
        session.LastUpdatedAt = now;
        db.SessionEventRows.Add(EventFor(session, SessionEvents.Modified, now));
    }

    private static SessionEventRow EventFor(SimSession session, string type, long now) => new()
    {
        Time = now,
        Event = type,
        Imsi = session.Imsi,
        SimId = session.SimId,
        OperatorId = session.OperatorId,
        SessionId = session.SessionId,
        Imei = session.Imei,
        Apn = session.Apn,
        UeIpAddress = session.UeIpAddress,
        CellJson = session.CellJson,
        Subscription = session.Subscription,
    };
}
