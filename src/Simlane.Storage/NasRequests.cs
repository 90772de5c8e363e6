namespace Simlane.Storage;

/// <summary>
/// A dynamic-authorization request (RFC 5176) Simlane owes a NAS for one RADIUS session: a Disconnect-Request when
/// the SIM may no longer communicate, a CoA-Request when its speed class changed. Staged in the transaction that
/// changed the SIM, then sent (and retried with backoff until an ACK, a NAK or <see cref="Deadline"/>) by the
/// server's delivery worker, so it survives a restart. docs/radius.md, "Dynamic authorization".
/// </summary>
public sealed class NasRequest
{
    public long Id { get; set; }

    public required string OperatorId { get; set; }

    public required string SimId { get; set; }

    public required string Imsi { get; set; }

    /// <summary>Simlane's session ID (<see cref="SimSession.SessionId"/>).</summary>
    public required string SessionId { get; set; }

    /// <summary>The NAS's address (<see cref="SimSession.NasAddress"/>); its RADIUS client entry gives the secret and CoA port.</summary>
    public required string NasAddress { get; set; }

    public required string AcctSessionId { get; set; }

    /// <summary><see cref="NasRequestKinds.Disconnect"/> or <see cref="NasRequestKinds.CoA"/>.</summary>
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

    /// <summary>The Error-Cause (RFC 5176 3.5) of a NAK, if the NAS sent one.</summary>
    public int? ErrorCause { get; set; }

    /// <summary>Why the last attempt did not succeed (timeout, no client for the NAS, …); never holds a secret.</summary>
    public string? LastError { get; set; }
}

public static class NasRequestKinds
{
    public const string Disconnect = "Disconnect";
    public const string CoA = "CoA";
}

public static class NasRequestStates
{
    public const string Pending = "pending";
    public const string Acked = "acked";
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
    /// <summary>Stages a request of <paramref name="kind"/> for <paramref name="session"/>; null for a session not opened through RADIUS.</summary>
    public static NasRequest? Stage(SimlaneDb db, SimSession session, string kind, string? speedClass, long now)
    {
        if (session.NasAddress is null || session.AcctSessionId is null)
        {
            return null;
        }

        var request = new NasRequest
        {
            OperatorId = session.OperatorId,
            SimId = session.SimId,
            Imsi = session.Imsi,
            SessionId = session.SessionId,
            NasAddress = session.NasAddress,
            AcctSessionId = session.AcctSessionId,
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
