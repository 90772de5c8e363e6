using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Simlane.Core.Sims;
using Simlane.Core.Usage;
using Simlane.Radius.Codec;
using Simlane.Radius.Server;
using Simlane.Server.Gateway;
using Simlane.Server.Infrastructure;
using Simlane.Server.Usage;
using Simlane.Storage;

namespace Simlane.Server.Radius;

/// <summary>
/// RADIUS accounting (RFC 2866) into sessions and usage (docs/radius.md, "Accounting"):
/// <list type="bullet">
/// <item>Start opens the session exactly as <c>POST /v1/gateway/sessions</c> does (<see cref="SessionAdmission"/>, ending the
///   SIM's current session first), keyed by (NAS address, Acct-Session-Id); a second Start with that key changes nothing.</item>
/// <item>Interim-Update and Stop carry cumulative counters. Per counter, the delta since the largest value accepted so far
///   is metered (never negative: an out-of-order or repeated report adds nothing) and the session keeps the new largest
///   values. Stop then ends the session (<c>endedByNas</c>); a Stop for a session Simlane already ended still meters its last delta.</item>
/// <item>Accounting-On/Off ends every current session of that NAS.</item>
/// <item>Anything about an unknown IMSI or session is answered and changes nothing (decisions.md S58), counted by reason.</item>
/// </list>
/// <para><b>Durability and exactly-once.</b> Requests that arrive while a batch commits are collected and committed together,
/// in one transaction (one turn at SQLite's writer gate): the sessions' new last values, the session changes and the
/// usage records and counters (<see cref="Metering.IngestInOpenTransactionAsync"/>) commit together or not at all, and each
/// request is answered only after its batch committed. A crash before the commit loses the whole batch, unanswered: the NAS
/// retransmits, and the report is metered against the old last values, once. A crash after the commit but before the answer
/// makes the retransmission a no-op (its counters are not larger than the stored ones). As a second guard, a delta's record
/// ID is derived from the session and the cumulative values it brings the session to, so the same step can never be
/// counted twice even by a replay (<see cref="Metering"/> drops a record ID its operator already had).</para>
/// </summary>
public sealed partial class RadiusAccounting : IAsyncDisposable
{
    /// <summary>Most requests committed in one transaction.</summary>
    public const int MaxBatch = 500;

    private readonly IServiceScopeFactory scopes;
    private readonly RadiusAccountingMetrics metrics;
    private readonly BatchCommitter<RadiusRequest, string?> queue;

    public RadiusAccounting(IServiceScopeFactory scopes, RadiusAccountingMetrics metrics, ILogger<RadiusAccounting> logger)
    {
        this.scopes = scopes;
        this.metrics = metrics;
        queue = new BatchCommitter<RadiusRequest, string?>(MaxBatch, CommitAsync, (count, e) => LogBatchFailed(logger, count, e));
    }

    /// <summary>Queues the request for the next batch; completes when its batch committed.</summary>
    public Task SubmitAsync(RadiusRequest request, CancellationToken cancellationToken) => queue.SubmitAsync(request, cancellationToken);

    private async Task<IReadOnlyList<string?>> CommitAsync(IReadOnlyList<RadiusRequest> batch)
    {
        var outcomes = await MeteredTransaction.RunAsync(scopes, Telemetry.SimlaneMetrics.Doors.Radius, async (db, caller, usage) =>
        {
            var sessions = await BatchSessions.LoadAsync(db, batch);
            var staged = new List<string?>(batch.Count);
            foreach (var request in batch)
            {
                staged.Add(await ApplyAsync(db, caller, request, sessions, usage));
            }

            return staged;
        });
        foreach (var outcome in outcomes)
        {
            metrics.Handled(outcome);
        }

        return outcomes;
    }

    /// <summary>Stages one report; answers why nothing was done (a <see cref="RadiusAccountingMetrics"/> reason) or null.</summary>
    private static async Task<string?> ApplyAsync(SimlaneDb db, GatewayCaller caller, RadiusRequest request,
        BatchSessions sessions, List<MeterInput> usage)
    {
        var packet = request.Packet;
        var nas = RadiusSubscriber.NasAddress(request.Source);
        var now = request.ReceivedAt.ToUnixTimeMilliseconds();
        switch (request.AcctStatusType)
        {
            case 7 or 8: // Accounting-On, Accounting-Off: the NAS (re)started or stops; none of its sessions lives on.
                foreach (var held in await db.Sessions.Where(s => s.NasAddress == nas && s.DeletedTime == null).ToListAsync())
                {
                    var holder = await db.Sims.Include(s => s.Subscriptions).SingleAsync(s => s.SimId == held.SimId);
                    await SessionLedger.EndAsync(db, holder, held, now, endedByNas: true);
                }

                await sessions.SaveAsync(db);
                return null;
            case 1 or 2 or 3:
                break;
            default:
                return RadiusAccountingMetrics.UnsupportedStatus;
        }

        if (packet.GetText(RadiusAttributes.AcctSessionId) is not { Length: > 0 } acctSessionId)
        {
            return RadiusAccountingMetrics.NoSessionId;
        }

        var session = await sessions.FindAsync(db, nas, acctSessionId);
        if (request.AcctStatusType == 1)
        {
            return session is not null ? RadiusAccountingMetrics.DuplicateStart : await StartAsync(db, caller, request, nas, acctSessionId, now, sessions);
        }

        if (session is null)
        {
            return RadiusAccountingMetrics.UnknownSession;
        }

        Meter(session, packet, request.ReceivedAt, usage);
        if (request.AcctStatusType == 2 && session.DeletedTime is null)
        {
            var sim = await db.Sims.Include(s => s.Subscriptions).SingleAsync(s => s.SimId == session.SimId);
            await SessionLedger.EndAsync(db, sim, session, now, endedByNas: true);
            await sessions.SaveAsync(db);
        }

        return null;
    }

    private static async Task<string?> StartAsync(SimlaneDb db, GatewayCaller caller, RadiusRequest request, string nas, string acctSessionId, long now, BatchSessions sessions)
    {
        var packet = request.Packet;
        if (RadiusSubscriber.Imsi(packet) is not { } imsi)
        {
            return RadiusAccountingMetrics.UnknownImsi;
        }

        var (imei, sessionImei) = RadiusSubscriber.Imei(packet);
        var decision = await SessionAdmission.DecideAsync(db, caller, imsi, imei, now, saveAdmitted: false);
        if (decision.Sim is not { } sim || decision.Refusal is not null)
        {
            return decision.Refusal == SessionRefusals.UnknownImsi ? RadiusAccountingMetrics.UnknownImsi : RadiusAccountingMetrics.Refused;
        }

        if (await SessionLedger.CurrentAsync(db, sim.SimId) is { } current)
        {
            await SessionLedger.EndAsync(db, sim, current, now);
        }

        var session = SessionLedger.Open(db, sim, imsi, sessionImei, RadiusSubscriber.Apn(packet), RadiusSubscriber.UeIpAddress(packet), null, now);
        session.NasAddress = nas;
        session.AcctSessionId = acctSessionId;
        await sessions.SaveAsync(db);
        return null;
    }

    /// <summary>Stages the delta of a report's cumulative counters over the session's last accepted ones, and raises those.</summary>
    private static void Meter(SimSession session, RadiusPacket packet, DateTimeOffset receivedAt, List<MeterInput> usage)
    {
        var input = Counter(packet.GetCounter64(RadiusAttributes.AcctInputOctets, RadiusAttributes.AcctInputGigawords));
        var output = Counter(packet.GetCounter64(RadiusAttributes.AcctOutputOctets, RadiusAttributes.AcctOutputGigawords));
        var inputPackets = Counter(packet.GetUInt32(RadiusAttributes.AcctInputPackets));
        var outputPackets = Counter(packet.GetUInt32(RadiusAttributes.AcctOutputPackets));
        var traffic = new TrafficTotals(
            Delta(session.AcctInputOctets, input), Delta(session.AcctOutputOctets, output),
            Delta(session.AcctInputPackets, inputPackets), Delta(session.AcctOutputPackets, outputPackets));
        session.AcctInputOctets = Math.Max(session.AcctInputOctets, input ?? 0);
        session.AcctOutputOctets = Math.Max(session.AcctOutputOctets, output ?? 0);
        session.AcctInputPackets = Math.Max(session.AcctInputPackets, inputPackets ?? 0);
        session.AcctOutputPackets = Math.Max(session.AcctOutputPackets, outputPackets ?? 0);
        if (traffic is { UploadBytes: 0, DownloadBytes: 0, UploadPackets: 0, DownloadPackets: 0 })
        {
            return;
        }

        session.LastUpdatedAt = Math.Max(session.LastUpdatedAt, receivedAt.ToUnixTimeMilliseconds());
        var recordId = string.Create(CultureInfo.InvariantCulture,
            $"radius/{session.SessionId}/{session.AcctInputOctets}/{session.AcctOutputOctets}/{session.AcctInputPackets}/{session.AcctOutputPackets}");
        usage.Add(new MeterInput(usage.Count, recordId, session.Imsi, RecordTime(packet, receivedAt, session.CreatedTime), null, traffic));
    }

    /// <summary>A counter as a non-negative long (a 64-bit counter above long.MaxValue is clamped; it cannot occur in practice).</summary>
    private static long? Counter(ulong? value) => value is { } v ? (long)Math.Min(v, long.MaxValue) : null;

    private static long Delta(long last, long? reported) => reported is { } value && value > last ? value - last : 0;

    /// <summary>
    /// The record's time, epoch seconds: Event-Timestamp minus Acct-Delay-Time when it is sane (not before the session
    /// began, minus <see cref="Metering.MaxFutureSeconds"/> of clock skew); else the receive time minus Acct-Delay-Time;
    /// never more than <see cref="Metering.MaxFutureSeconds"/> ahead of the receive time.
    /// </summary>
    private static long RecordTime(RadiusPacket packet, DateTimeOffset receivedAt, long sessionCreatedMs)
    {
        var received = receivedAt.ToUnixTimeSeconds();
        long delay = packet.GetUInt32(RadiusAttributes.AcctDelayTime) ?? 0;
        var earliest = (sessionCreatedMs / 1000) - Metering.MaxFutureSeconds;
        var time = packet.GetUInt32(RadiusAttributes.EventTimestamp) is { } stamp ? stamp - delay : received - delay;
        if (time < earliest)
        {
            time = Math.Max(earliest, received - delay);
        }

        return Math.Clamp(time, 0, received + Metering.MaxFutureSeconds);
    }

    public ValueTask DisposeAsync() => queue.DisposeAsync();

    [LoggerMessage(Level = LogLevel.Warning, Message = "RADIUS accounting batch of {Count} failed; committing its requests one by one")]
    private static partial void LogBatchFailed(ILogger logger, int count, Exception exception);
}

/// <summary>
/// The sessions one accounting batch reads: the newest session of each (NAS, Acct-Session-Id), current or the SIM's kept
/// previous one. The batch's keys are loaded in one query per NAS; a request whose change must be visible to the next
/// ones (Start, Stop, Accounting-On/Off) saves inside the batch's transaction through <see cref="SaveAsync"/>, which also
/// lets go of everything tracked so far, so a batch of many Starts does not make every save look at every earlier
/// one's entities; the keys asked after that are read again, one query each.
/// </summary>
internal sealed class BatchSessions
{
    private readonly Dictionary<(string Nas, string AcctSessionId), SimSession?> known = [];

    public static async Task<BatchSessions> LoadAsync(SimlaneDb db, IEnumerable<RadiusRequest> requests)
    {
        var sessions = new BatchSessions();
        var keys = requests
            .Where(r => r.AcctStatusType is 1 or 2 or 3)
            .Select(r => (Nas: RadiusSubscriber.NasAddress(r.Source), Id: r.Packet.GetText(RadiusAttributes.AcctSessionId)))
            .Where(k => k.Id is { Length: > 0 })
            .Distinct();
        foreach (var nas in keys.GroupBy(k => k.Nas, k => k.Id!, StringComparer.Ordinal))
        {
            var ids = nas.ToList();
            ids.ForEach(id => sessions.known[(nas.Key, id)] = null);
            foreach (var session in await db.Sessions.Where(s => s.NasAddress == nas.Key && ids.Contains(s.AcctSessionId!)).ToListAsync())
            {
                var key = (nas.Key, session.AcctSessionId!);
                if (sessions.known[key] is not { } newest || newest.CreatedTime < session.CreatedTime)
                {
                    sessions.known[key] = session;
                }
            }
        }

        return sessions;
    }

    /// <summary>The newest session of (NAS, Acct-Session-Id), tracked by <paramref name="db"/>, or null.</summary>
    public async Task<SimSession?> FindAsync(SimlaneDb db, string nas, string acctSessionId)
    {
        if (known.TryGetValue((nas, acctSessionId), out var session))
        {
            return session;
        }

        session = await db.Sessions.Where(s => s.NasAddress == nas && s.AcctSessionId == acctSessionId).OrderByDescending(s => s.CreatedTime).FirstOrDefaultAsync();
        known[(nas, acctSessionId)] = session;
        return session;
    }

    /// <summary>Saves what the batch staged so far (still inside its transaction) and starts tracking afresh.</summary>
    public async Task SaveAsync(SimlaneDb db)
    {
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
        known.Clear();
    }
}

/// <summary>Accounting requests answered without effect, by reason, on the <c>Simlane.Radius</c> meter (<c>simlane.radius.accounting_ignored</c>).</summary>
public sealed class RadiusAccountingMetrics : IDisposable
{
    public const string UnknownImsi = "unknown_imsi";
    public const string UnknownSession = "unknown_session";
    public const string DuplicateStart = "duplicate_start";
    public const string Refused = "refused";
    public const string NoSessionId = "no_session_id";
    public const string UnsupportedStatus = "unsupported_status";

    private readonly Meter meter;
    private readonly Counter<long> ignored;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> totals = new(StringComparer.Ordinal);
    private long applied;

    public RadiusAccountingMetrics(IMeterFactory? meterFactory = null)
    {
        meter = meterFactory?.Create(RadiusMetrics.MeterName) ?? new Meter(RadiusMetrics.MeterName);
        ignored = meter.CreateCounter<long>("simlane.radius.accounting_ignored", description: "Accounting-Requests answered without effect, by reason.");
    }

    /// <summary>Accounting requests that changed something (or were a no-op report on a known session).</summary>
    public long Applied => Interlocked.Read(ref applied);

    public long Ignored(string reason) => totals.GetValueOrDefault(reason);

    internal void Handled(string? reason)
    {
        if (reason is null)
        {
            Interlocked.Increment(ref applied);
            return;
        }

        totals.AddOrUpdate(reason, 1, (_, n) => n + 1);
        ignored.Add(1, new KeyValuePair<string, object?>("reason", reason));
    }

    public void Dispose() => meter.Dispose();
}
