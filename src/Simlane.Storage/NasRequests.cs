namespace Simlane.Storage;

/// <summary>
/// A request Simlane owes the network element that holds a session: for a RADIUS session a dynamic-authorization
/// request (RFC 5176): a Disconnect-Request when the SIM may no longer communicate, a CoA-Request when its speed class
/// changed; for a Diameter Gy session a Re-Auth-Request (RFC 4006 5.5) when the SIM may no longer communicate. Staged
/// in the transaction that changed the SIM, then sent (and retried with backoff until an answer or <see cref="Deadline"/>)
/// by the server's delivery worker, so it survives a restart. docs/radius.md "Dynamic authorization", docs/diameter.md "Enforcement".
/// </summary>
public sealed class NasRequest
{
    public long Id { get; set; }

    public required string OperatorId { get; set; }

    public required string SimId { get; set; }

    public required string Imsi { get; set; }

    /// <summary>Simlane's session ID (<see cref="SimSession.SessionId"/>).</summary>
    public required string SessionId { get; set; }

    /// <summary>
    /// RADIUS: the NAS's address (<see cref="SimSession.NasAddress"/>); its RADIUS client entry gives the secret and CoA
    /// port. Re-Auth: the Diameter peer's Origin-Host (<see cref="SimSession.DiameterPeer"/>).
    /// </summary>
    public required string NasAddress { get; set; }

    /// <summary>RADIUS: the NAS's Acct-Session-Id. Re-Auth: the Diameter Session-Id.</summary>
    public required string AcctSessionId { get; set; }

    /// <summary><see cref="NasRequestKinds.Disconnect"/>, <see cref="NasRequestKinds.CoA"/> or <see cref="NasRequestKinds.ReAuth"/>.</summary>
    public required string Kind { get; set; }

    /// <summary>CoA only: the speed class whose rates the request carries.</summary>
    public string? SpeedClass { get; set; }

    /// <summary>The session's User-Name, sent back to identify it (may be null).</summary>
    public string? UserName { get; set; }

    /// <summary>The session's Framed-IP-Address (may be null).</summary>
    public string? FramedIpAddress { get; set; }

    /// <summary><see cref="NasRequestStates"/>: pending until acked, nak, failed or superseded.</summary>
    public required string State { get; set; }

    public int Attempts { get; set; }

    /// <summary>Epoch milliseconds.</summary>
    public long CreatedTime { get; set; }

    /// <summary>Epoch milliseconds: when the next attempt is due (pending only).</summary>
    public long NextAttemptTime { get; set; }

    /// <summary>Epoch milliseconds: after this a pending request that got no answer becomes failed.</summary>
    public long Deadline { get; set; }

    public long? CompletedTime { get; set; }

    /// <summary>The Error-Cause (RFC 5176 3.5) of a NAK, if the NAS sent one; for a Re-Auth, the Result-Code of an answer other than success.</summary>
    public int? ErrorCause { get; set; }

    /// <summary>Why the last attempt did not succeed (timeout, no client for the NAS, …); never holds a secret.</summary>
    public string? LastError { get; set; }
}

public static class NasRequestKinds
{
    public const string Disconnect = "Disconnect";
    public const string CoA = "CoA";

    /// <summary>A Diameter Re-Auth-Request to the Gy peer holding the session (docs/diameter.md, "Enforcement").</summary>
    public const string ReAuth = "ReAuth";
}

public static class NasRequestStates
{
    public const string Pending = "pending";
    /// <summary>Acknowledged: a RADIUS ACK, or a Re-Auth-Answer with DIAMETER_SUCCESS.</summary>
    public const string Acked = "acked";

    /// <summary>Refused: a RADIUS NAK, or a Re-Auth-Answer with another Result-Code (e.g. 5002, the peer no longer knows the session).</summary>
    public const string Nak = "nak";
    public const string Failed = "failed";

    /// <summary>Never sent (or no longer retried): a newer request for the same session replaced it (a newer CoA, or a Disconnect).</summary>
    public const string Superseded = "superseded";
}

/// <summary>
/// Staging of the requests (docs/radius.md, "Dynamic authorization"): a Disconnect when Simlane ends a RADIUS session
/// (<see cref="SessionLedger.EndAsync"/>), a CoA when a SIM with a current RADIUS session changes speed class
/// (<see cref="Saving.DynamicAuthorizationStep"/>). Both are added to the change tracker, so they commit with the SIM change.
/// </summary>
public static class NasRequestStaging
{
    /// <summary>
    /// Stages a request of <paramref name="kind"/> for <paramref name="session"/> (for a Gy session, a Disconnect is a Re-Auth); null for a session opened neither through
    /// RADIUS nor through Diameter Gy, or a CoA for a Gy session (Gy carries no rates; docs/diameter.md).
    /// </summary>
    public static NasRequest? Stage(SimlaneDb db, SimSession session, string kind, string? speedClass, long now)
    {
        if (session.DiameterPeer is not null && session.DiameterSessionId is not null)
        {
            return kind == NasRequestKinds.CoA ? null : Add(db, session, NasRequestKinds.ReAuth, session.DiameterPeer, session.DiameterSessionId, null, now);
        }

        if (session.NasAddress is null || session.AcctSessionId is null)
        {
            return null;
        }

        return Add(db, session, kind, session.NasAddress, session.AcctSessionId, speedClass, now);
    }

    private static NasRequest Add(SimlaneDb db, SimSession session, string kind, string holder, string holderSessionId, string? speedClass, long now)
    {
        var request = new NasRequest
        {
            OperatorId = session.OperatorId,
            SimId = session.SimId,
            Imsi = session.Imsi,
            SessionId = session.SessionId,
            NasAddress = holder,
            AcctSessionId = holderSessionId,
            Kind = kind,
            SpeedClass = speedClass,
            UserName = session.Imsi,
            FramedIpAddress = session.UeIpAddress,
            State = NasRequestStates.Pending,
            CreatedTime = now,
            NextAttemptTime = now,
            Deadline = now + (long)db.NasRequestDeadline.TotalMilliseconds,
        };
        db.NasRequests.Add(request);
        return request;
    }
}
