using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Simlane.Core.Sims;
using Simlane.Core.Usage;
using Simlane.Diameter.Codec;
using Simlane.Server.Gateway;
using Simlane.Server.Infrastructure;
using Simlane.Server.Usage;
using Simlane.Storage;

namespace Simlane.Server.Diameter;

/// <summary>A Credit-Control-Request as credit control sees it, read and checked by <see cref="GyApplication"/>.</summary>
/// <param name="Peer">The Origin-Host of the connection it came on (where a Re-Auth-Request for its session goes).</param>
/// <param name="SessionId">Session-Id.</param>
/// <param name="RequestType">CC-Request-Type: 1 initial, 2 update, 3 termination.</param>
/// <param name="RequestNumber">CC-Request-Number.</param>
/// <param name="Request">The message (for the subscriber's AVPs on an initial request).</param>
/// <param name="Used">The Used-Service-Unit octets of every MSCC and the top level, summed; null when none was reported.</param>
/// <param name="ReceivedAt">When the request arrived, by the server clock.</param>
public sealed record CreditControlRequest(string Peer, string SessionId, uint RequestType, uint RequestNumber, DiameterMessage Request, TrafficTotals? Used, DateTimeOffset ReceivedAt)
{
    public const uint Initial = 1;
    public const uint Update = 2;
    public const uint Termination = 3;
}

/// <summary>What credit control decided for one request: the Result-Code, whether quota is granted, whether the peer must stop (Final-Unit-Indication TERMINATE).</summary>
public readonly record struct CreditControlOutcome(uint ResultCode, bool Grant, bool Terminate, string? Reason)
{
    public static CreditControlOutcome Granted => new(DiameterResultCodes.Success, true, false, null);

    public static CreditControlOutcome Denied(string reason) => new(DiameterResultCodes.EndUserServiceDenied, false, true, reason);

    public static CreditControlOutcome Of(uint code, string? reason = null) => new(code, false, false, reason);

    /// <summary>The answer to a retransmission of the session's last request: the stored Result-Code, granting again as the first answer did.</summary>
    public static CreditControlOutcome Repeat(SimSession session, uint requestType) => (uint)session.CcResultCode switch
    {
        DiameterResultCodes.Success => new(DiameterResultCodes.Success, requestType != CreditControlRequest.Termination, false, "retransmission"),
        DiameterResultCodes.EndUserServiceDenied => new(DiameterResultCodes.EndUserServiceDenied, false, true, "retransmission"),
        var other => new(other, false, false, "retransmission"),
    };
}

/// <summary>
/// Diameter Gy credit control (RFC 4006; docs/diameter.md, "Credit control") on the session model of the gateway API and
/// RADIUS:
/// <list type="bullet">
/// <item>CCR-Initial: the shared admission (<see cref="SessionAdmission"/>: status, expiry, IMEI lock, OTA state). Admitted:
///   the SIM's current session ends (a replaced RADIUS or Gy session's holder is told) and a session opens, keyed by the
///   Diameter Session-Id, held by the peer; answered DIAMETER_SUCCESS with a grant. Refused: DIAMETER_USER_UNKNOWN (5030)
///   for an IMSI no SIM holds, else DIAMETER_END_USER_SERVICE_DENIED (4010); its side effects (ImeiMismatched) are saved.</item>
/// <item>CCR-Update: the Used-Service-Unit octets are metered; a live session is granted the next quota, a session Simlane
///   ended (the SIM was terminated, suspended, …) is answered 4010 with Final-Unit-Indication TERMINATE.</item>
/// <item>CCR-Termination: the final usage is metered and the session ends (by the network: nothing is owed to it).</item>
/// </list>
/// <para><b>Durability and exactly-once.</b> As RADIUS accounting: requests that arrive while a batch commits are committed
/// together in one transaction (the sessions' changes and the usage through <see cref="Metering.IngestInOpenTransactionAsync"/>),
/// answered only after the commit. The session stores the last CC-Request-Number answered and its Result-Code in that
/// transaction: a request at or below that number (a peer retrying after a lost answer or a crash) is answered from it and
/// meters nothing. A crash before the commit loses the batch unanswered, and the retry is metered once. As a second
/// guard, a report's record ID is the session and its request number, which <see cref="Metering"/> never counts twice.</para>
/// </summary>
public sealed partial class GyCreditControl : IAsyncDisposable
{
    /// <summary>Most requests committed in one transaction.</summary>
    public const int MaxBatch = 500;

    private readonly IServiceScopeFactory scopes;
    private readonly GyMetrics metrics;
    private readonly BatchCommitter<CreditControlRequest, CreditControlOutcome> queue;

    public GyCreditControl(IServiceScopeFactory scopes, GyMetrics metrics, ILogger<GyCreditControl> logger)
    {
        this.scopes = scopes;
        this.metrics = metrics;
        queue = new BatchCommitter<CreditControlRequest, CreditControlOutcome>(MaxBatch, CommitAsync, (count, e) => LogBatchFailed(logger, count, e));
    }

    /// <summary>Queues the request for the next batch; completes with its outcome when its batch committed.</summary>
    public Task<CreditControlOutcome> SubmitAsync(CreditControlRequest request, CancellationToken cancellationToken) => queue.SubmitAsync(request, cancellationToken);

    private async Task<IReadOnlyList<CreditControlOutcome>> CommitAsync(IReadOnlyList<CreditControlRequest> batch)
    {
        var outcomes = await MeteredTransaction.RunAsync(scopes, Telemetry.SimlaneMetrics.Doors.Diameter, async (db, caller, usage) =>
        {
            var sessions = await GySessions.LoadAsync(db, batch.Select(r => r.SessionId));
            var staged = new List<CreditControlOutcome>(batch.Count);
            foreach (var request in batch)
            {
                staged.Add(await ApplyAsync(db, caller, request, sessions, usage));
            }

            return staged;
        });
        for (var i = 0; i < batch.Count; i++)
        {
            metrics.Answered(batch[i].RequestType, outcomes[i]);
        }

        return outcomes;
    }

    private static async Task<CreditControlOutcome> ApplyAsync(SimlaneDb db, GatewayCaller caller, CreditControlRequest request, GySessions sessions, List<MeterInput> usage)
    {
        var now = request.ReceivedAt.ToUnixTimeMilliseconds();
        var session = await sessions.FindAsync(db, request.SessionId);
        if (session is not null && !string.Equals(session.DiameterPeer, request.Peer, StringComparison.OrdinalIgnoreCase))
        {
            session = null; // another peer's session: it looks exactly like an unknown one
        }

        if (session is not null && (request.RequestType == CreditControlRequest.Initial || request.RequestNumber <= session.CcRequestNumber))
        {
            return CreditControlOutcome.Repeat(session, request.RequestType);
        }

        if (request.RequestType == CreditControlRequest.Initial)
        {
            return await OpenAsync(db, caller, request, now, sessions, usage);
        }

        if (session is null)
        {
            return CreditControlOutcome.Of(DiameterResultCodes.UnknownSessionId, "unknown_session");
        }

        Meter(session, request, usage);
        session.CcRequestNumber = request.RequestNumber;
        CreditControlOutcome outcome;
        if (request.RequestType == CreditControlRequest.Termination)
        {
            outcome = CreditControlOutcome.Of(DiameterResultCodes.Success);
            if (session.DeletedTime is null)
            {
                var sim = await db.Sims.Include(s => s.Subscriptions).SingleAsync(s => s.SimId == session.SimId);
                await SessionLedger.EndAsync(db, sim, session, now, endedByNas: true);
                session.CcResultCode = (int)outcome.ResultCode;
                await sessions.SaveAsync(db);
                return outcome;
            }
        }
        else
        {
            outcome = session.DeletedTime is null ? CreditControlOutcome.Granted : CreditControlOutcome.Denied("session_ended");
            if (session.DeletedTime is null)
            {
                session.LastUpdatedAt = Math.Max(session.LastUpdatedAt, now);
            }
        }

        session.CcResultCode = (int)outcome.ResultCode;
        return outcome;
    }

    private static async Task<CreditControlOutcome> OpenAsync(SimlaneDb db, GatewayCaller caller, CreditControlRequest request, long now, GySessions sessions, List<MeterInput> usage)
    {
        var message = request.Request;
        if (GySubscriber.Imsi(message) is not { } imsi)
        {
            return CreditControlOutcome.Of(DiameterResultCodes.UserUnknown, SessionRefusals.UnknownImsi);
        }

        var (imei, sessionImei) = GySubscriber.Imei(message);
        var decision = await SessionAdmission.DecideAsync(db, caller, imsi, imei, now, saveAdmitted: false);
        if (decision.Sim is not { } sim || decision.Refusal is not null)
        {
            var refusal = decision.Refusal ?? SessionRefusals.UnknownImsi;
            return refusal == SessionRefusals.UnknownImsi
                ? CreditControlOutcome.Of(DiameterResultCodes.UserUnknown, refusal)
                : CreditControlOutcome.Of(DiameterResultCodes.EndUserServiceDenied, refusal);
        }

        if (await SessionLedger.CurrentAsync(db, sim.SimId) is { } current)
        {
            await SessionLedger.EndAsync(db, sim, current, now);
        }

        var session = SessionLedger.Open(db, sim, imsi, sessionImei, GySubscriber.Apn(message), GySubscriber.UeIpAddress(message), GySubscriber.CellJson(message), now);
        session.DiameterPeer = request.Peer;
        session.DiameterSessionId = request.SessionId;
        session.CcRequestNumber = request.RequestNumber;
        session.CcResultCode = (int)DiameterResultCodes.Success;
        Meter(session, request, usage);
        await sessions.SaveAsync(db);
        return CreditControlOutcome.Granted;
    }

    /// <summary>Stages the request's Used-Service-Unit octets as one usage record and adds them to the session's totals.</summary>
    private static void Meter(SimSession session, CreditControlRequest request, List<MeterInput> usage)
    {
        if (request.Used is not { } used || used.UploadBytes + used.DownloadBytes == 0)
        {
            return;
        }

        session.AcctInputOctets += used.UploadBytes;
        session.AcctOutputOctets += used.DownloadBytes;
        var recordId = string.Create(CultureInfo.InvariantCulture, $"gy/{session.SessionId}/{request.RequestNumber}");
        usage.Add(new MeterInput(usage.Count, recordId, session.Imsi, RecordTime(request, session.CreatedTime), null, used));
    }

    /// <summary>
    /// The record's time, epoch seconds: Event-Timestamp when it is sane (not before the session began, minus
    /// <see cref="Metering.MaxFutureSeconds"/> of clock skew, nor more than that ahead of the receive time), else the receive time.
    /// </summary>
    private static long RecordTime(CreditControlRequest request, long sessionCreatedMs)
    {
        var received = request.ReceivedAt.ToUnixTimeSeconds();
        var earliest = (sessionCreatedMs / 1000) - Metering.MaxFutureSeconds;
        return GySubscriber.EventTime(request.Request) is { } stamp && stamp >= earliest && stamp <= received + Metering.MaxFutureSeconds ? stamp : received;
    }

    public ValueTask DisposeAsync() => queue.DisposeAsync();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Diameter credit-control batch of {Count} failed; committing its requests one by one")]
    private static partial void LogBatchFailed(ILogger logger, int count, Exception exception);
}

/// <summary>
/// The Gy sessions one batch reads, by Diameter Session-Id, loaded in one query; a request whose change must be visible
/// to the next ones (initial, termination) saves inside the batch's transaction through <see cref="SaveAsync"/>, which
/// lets go of everything tracked (as RADIUS's batch does); keys asked after that are read again.
/// </summary>
internal sealed class GySessions
{
    private readonly Dictionary<string, SimSession?> known = new(StringComparer.Ordinal);

    public static async Task<GySessions> LoadAsync(SimlaneDb db, IEnumerable<string> sessionIds)
    {
        var sessions = new GySessions();
        var ids = sessionIds.Distinct(StringComparer.Ordinal).ToList();
        ids.ForEach(id => sessions.known[id] = null);
        foreach (var session in await db.Sessions.Where(s => ids.Contains(s.DiameterSessionId!)).ToListAsync())
        {
            sessions.known[session.DiameterSessionId!] = Newer(sessions.known[session.DiameterSessionId!], session);
        }

        return sessions;
    }

    public async Task<SimSession?> FindAsync(SimlaneDb db, string sessionId)
    {
        if (known.TryGetValue(sessionId, out var session))
        {
            return session;
        }

        session = await db.Sessions.Where(s => s.DiameterSessionId == sessionId).OrderByDescending(s => s.CreatedTime).FirstOrDefaultAsync();
        known[sessionId] = session;
        return session;
    }

    public async Task SaveAsync(SimlaneDb db)
    {
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
        known.Clear();
    }

    private static SimSession Newer(SimSession? a, SimSession b) => a is null || a.CreatedTime < b.CreatedTime ? b : a;
}

/// <summary>Credit-control answers by request type and Result-Code, on the <c>Simlane.Diameter</c> meter (<c>simlane.diameter.credit_control</c>).</summary>
public sealed class GyMetrics : IDisposable
{
    private readonly Meter meter;
    private readonly Counter<long> answers;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(uint Type, uint Code), long> totals = new();

    public GyMetrics(IMeterFactory? meterFactory = null)
    {
        meter = meterFactory?.Create(Simlane.Diameter.Peers.DiameterMetrics.MeterName) ?? new Meter(Simlane.Diameter.Peers.DiameterMetrics.MeterName);
        answers = meter.CreateCounter<long>("simlane.diameter.credit_control", description: "Credit-Control-Answers by request type and Result-Code (retransmissions included).");
    }

    /// <summary>Answers so far for <paramref name="requestType"/> with <paramref name="resultCode"/>.</summary>
    public long Count(uint requestType, uint resultCode) => totals.GetValueOrDefault((requestType, resultCode));

    internal void Answered(uint requestType, CreditControlOutcome outcome)
    {
        totals.AddOrUpdate((requestType, outcome.ResultCode), 1, (_, n) => n + 1);
        answers.Add(1, new KeyValuePair<string, object?>("type", TypeName(requestType)), new KeyValuePair<string, object?>("result_code", outcome.ResultCode));
    }

    public static string TypeName(uint requestType) => requestType switch
    {
        CreditControlRequest.Initial => "initial",
        CreditControlRequest.Update => "update",
        CreditControlRequest.Termination => "termination",
        _ => "other",
    };

    public void Dispose() => meter.Dispose();
}
