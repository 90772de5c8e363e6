using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Diagnostics.Metrics;
using System.Globalization;
using Simlane.Diameter.Codec;

namespace Simlane.Diameter.Peers;

/// <summary>Why the node closed a connection.</summary>
public enum DiameterCloseReason
{
    /// <summary>The peer closed or reset the connection.</summary>
    PeerClosed,
    /// <summary>A header that cannot start a message (version, length); the stream cannot be resynchronised.</summary>
    MalformedFrame,
    /// <summary>The first message was not a CER.</summary>
    NotCapabilitiesExchange,
    /// <summary>The CER could not be read (it was answered with the error first).</summary>
    MalformedCapabilitiesExchange,
    /// <summary>The CER's Origin-Host is not an allowed peer, or came from another address (CEA 3010).</summary>
    UnknownPeer,
    /// <summary>The CER shares no application with this node (CEA 5010).</summary>
    NoCommonApplication,
    /// <summary>No CER within <see cref="DiameterNodeOptions.CapabilitiesTimeout"/>.</summary>
    CapabilitiesTimeout,
    /// <summary>No message for twice the watchdog interval (a DWR went unanswered).</summary>
    WatchdogTimeout,
    /// <summary>The peer sent a DPR (answered with a DPA first).</summary>
    DisconnectRequested,
    /// <summary>A newer connection from the same Origin-Host completed its CER.</summary>
    Replaced,
    /// <summary>The node is stopping.</summary>
    NodeStopped,
    /// <summary>Sending failed.</summary>
    TransportError,
}

/// <summary>Why the node did not hand a message to the application: it answered the request with an error itself,
/// or dropped the message (answers are never answered).</summary>
public enum DiameterRejectReason
{
    /// <summary>The message did not decode (5014, 5015, 3008, 5011, 5004 answer; a malformed answer is dropped).</summary>
    MalformedMessage,
    /// <summary>A mandatory AVP unknown to the table (5001 with Failed-AVP).</summary>
    UnsupportedMandatoryAvp,
    /// <summary>An AVP the application could not read (its <see cref="DiameterAvpException"/> answered as 5014/5004).</summary>
    InvalidAvp,
    /// <summary>A request of an application this node does not serve (3007).</summary>
    UnsupportedApplication,
    /// <summary>A base-protocol command this node does not implement (3001).</summary>
    UnsupportedCommand,
    /// <summary>The application threw or returned nothing (5012).</summary>
    HandlerFailed,
    /// <summary>An answer whose hop-by-hop id matches no request in progress (late, or never asked); dropped.</summary>
    UnmatchedAnswer,
}

/// <summary>A point-in-time copy of the node's counters, for tests and the metrics export.</summary>
public sealed record DiameterCounterSnapshot(
    long ConnectionsAccepted, long OpenConnections, long RequestsReceived, long AnswersSent, long RequestsSent, long RequestTimeouts,
    IReadOnlyDictionary<uint, long> RequestsByCommand, IReadOnlyDictionary<uint, long> AnswersByResultCode,
    IReadOnlyDictionary<DiameterRejectReason, long> Rejects, IReadOnlyDictionary<DiameterCloseReason, long> Closes)
{
    public long Requests(uint commandCode) => RequestsByCommand.GetValueOrDefault(commandCode);

    public long Answers(uint resultCode) => AnswersByResultCode.GetValueOrDefault(resultCode);

    public long Rejected(DiameterRejectReason reason) => Rejects.GetValueOrDefault(reason);

    public long Closed(DiameterCloseReason reason) => Closes.GetValueOrDefault(reason);

    public long TotalRejects => Rejects.Values.Sum();

    public long TotalCloses => Closes.Values.Sum();

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"accepted {ConnectionsAccepted}, open {OpenConnections}, requests {RequestsReceived}, answers {AnswersSent} "
        + $"[{string.Join(", ", AnswersByResultCode.Select(a => $"{a.Key}={a.Value}"))}], sent {RequestsSent}, timeouts {RequestTimeouts}, "
        + $"rejects [{string.Join(", ", Rejects.Where(r => r.Value > 0).Select(r => $"{r.Key}={r.Value}"))}], "
        + $"closes [{string.Join(", ", Closes.Where(c => c.Value > 0).Select(c => $"{c.Key}={c.Value}"))}]");
}

/// <summary>
/// The node's counters: instruments on the <c>Simlane.Diameter</c> <see cref="Meter"/> (for an exporter) and plain
/// totals behind <see cref="Snapshot"/>. Command tags are the short names of known commands (<c>CCR</c>) and
/// <c>other</c> for the rest, so a peer cannot grow the tag set.
/// </summary>
public sealed class DiameterMetrics : IDisposable
{
    public const string MeterName = "Simlane.Diameter";

    private static readonly DiameterRejectReason[] RejectReasons = Enum.GetValues<DiameterRejectReason>();
    private static readonly DiameterCloseReason[] CloseReasons = Enum.GetValues<DiameterCloseReason>();
    private static readonly FrozenDictionary<DiameterRejectReason, KeyValuePair<string, object?>> RejectTags =
        RejectReasons.ToFrozenDictionary(r => r, r => new KeyValuePair<string, object?>("reason", ToTag(r)));
    private static readonly FrozenDictionary<DiameterCloseReason, KeyValuePair<string, object?>> CloseTags =
        CloseReasons.ToFrozenDictionary(r => r, r => new KeyValuePair<string, object?>("reason", ToTag(r)));
    private static readonly uint[] KnownCommands =
    [
        DiameterCommands.CapabilitiesExchange, DiameterCommands.ReAuth, DiameterCommands.Accounting, DiameterCommands.CreditControl,
        DiameterCommands.AbortSession, DiameterCommands.SessionTermination, DiameterCommands.DeviceWatchdog, DiameterCommands.DisconnectPeer,
    ];

    private readonly Meter meter;
    private readonly Counter<long> requests;
    private readonly Counter<long> answers;
    private readonly Counter<long> requestsSent;
    private readonly Counter<long> requestTimeouts;
    private readonly Counter<long> rejected;
    private readonly Counter<long> closed;
    private readonly Counter<long> accepted;
    private readonly UpDownCounter<long> open;
    private readonly ConcurrentDictionary<uint, long[]> requestsByCommand = new();
    private readonly ConcurrentDictionary<uint, long[]> answersByResult = new();
    private readonly ConcurrentDictionary<uint, KeyValuePair<string, object?>> resultTags = new();
    private readonly long[] rejects = new long[RejectReasons.Length];
    private readonly long[] closes = new long[CloseReasons.Length];
    private long connectionsAccepted, openConnections, requestsReceived, answersSent, sent, timeouts;

    public DiameterMetrics(IMeterFactory? meterFactory = null)
    {
        meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        requests = meter.CreateCounter<long>("simlane.diameter.requests", description: "Requests received from peers, by command (CER, DWR, CCR…; 'other' for the rest).");
        answers = meter.CreateCounter<long>("simlane.diameter.answers", description: "Answers sent to peers, by Result-Code.");
        requestsSent = meter.CreateCounter<long>("simlane.diameter.requests_sent", description: "Requests sent to peers (DWR, DPR, the application's RAR…), by command.");
        requestTimeouts = meter.CreateCounter<long>("simlane.diameter.request_timeouts", description: "Requests sent to peers that got no answer in time.");
        rejected = meter.CreateCounter<long>("simlane.diameter.rejected", description: "Messages the node answered with an error itself or dropped, by reason.");
        closed = meter.CreateCounter<long>("simlane.diameter.connections_closed", description: "Connections closed, by reason.");
        accepted = meter.CreateCounter<long>("simlane.diameter.connections_accepted", description: "TCP connections accepted.");
        open = meter.CreateUpDownCounter<long>("simlane.diameter.connections_open", description: "Connections open (accepted and not yet closed).");
    }

    internal void ConnectionAccepted()
    {
        Interlocked.Increment(ref connectionsAccepted);
        Interlocked.Increment(ref openConnections);
        accepted.Add(1);
        open.Add(1);
    }

    internal void ConnectionClosed(DiameterCloseReason reason)
    {
        Interlocked.Decrement(ref openConnections);
        Interlocked.Increment(ref closes[(int)reason]);
        open.Add(-1);
        closed.Add(1, CloseTags[reason]);
    }

    internal void RequestReceived(uint commandCode)
    {
        Interlocked.Increment(ref requestsReceived);
        Interlocked.Increment(ref requestsByCommand.GetOrAdd(commandCode, _ => new long[1])[0]);
        requests.Add(1, new KeyValuePair<string, object?>("command", CommandTag(commandCode, request: true)));
    }

    internal void AnswerSent(uint? resultCode)
    {
        uint code = resultCode ?? 0;
        Interlocked.Increment(ref answersSent);
        Interlocked.Increment(ref answersByResult.GetOrAdd(code, _ => new long[1])[0]);
        answers.Add(1, resultTags.GetOrAdd(code, c => new KeyValuePair<string, object?>("result_code",
            c == 0 ? "none" : c.ToString(CultureInfo.InvariantCulture))));
    }

    internal void RequestSent(uint commandCode)
    {
        Interlocked.Increment(ref sent);
        requestsSent.Add(1, new KeyValuePair<string, object?>("command", CommandTag(commandCode, request: true)));
    }

    internal void RequestTimedOut()
    {
        Interlocked.Increment(ref timeouts);
        requestTimeouts.Add(1);
    }

    internal void Rejected(DiameterRejectReason reason)
    {
        Interlocked.Increment(ref rejects[(int)reason]);
        rejected.Add(1, RejectTags[reason]);
    }

    public DiameterCounterSnapshot Snapshot() => new(
        Interlocked.Read(ref connectionsAccepted), Interlocked.Read(ref openConnections), Interlocked.Read(ref requestsReceived),
        Interlocked.Read(ref answersSent), Interlocked.Read(ref sent), Interlocked.Read(ref timeouts),
        requestsByCommand.ToDictionary(p => p.Key, p => Interlocked.Read(ref p.Value[0])),
        answersByResult.ToDictionary(p => p.Key, p => Interlocked.Read(ref p.Value[0])),
        RejectReasons.ToDictionary(r => r, r => Interlocked.Read(ref rejects[(int)r])),
        CloseReasons.ToDictionary(r => r, r => Interlocked.Read(ref closes[(int)r])));

    private static string CommandTag(uint commandCode, bool request) =>
        Array.IndexOf(KnownCommands, commandCode) >= 0 ? DiameterCommands.NameOf(commandCode, request) : "other";

    /// <summary>The reason's tag value on the <c>simlane.diameter.rejected</c> counter, e.g. <c>unsupported_mandatory_avp</c>.</summary>
    public static string ToTag(DiameterRejectReason reason) => reason switch
    {
        DiameterRejectReason.MalformedMessage => "malformed_message",
        DiameterRejectReason.UnsupportedMandatoryAvp => "unsupported_mandatory_avp",
        DiameterRejectReason.InvalidAvp => "invalid_avp",
        DiameterRejectReason.UnsupportedApplication => "unsupported_application",
        DiameterRejectReason.UnsupportedCommand => "unsupported_command",
        DiameterRejectReason.HandlerFailed => "handler_failed",
        DiameterRejectReason.UnmatchedAnswer => "unmatched_answer",
        _ => reason.ToString(),
    };

    /// <summary>The reason's tag value on the <c>simlane.diameter.connections_closed</c> counter, e.g. <c>watchdog_timeout</c>.</summary>
    public static string ToTag(DiameterCloseReason reason) => reason switch
    {
        DiameterCloseReason.PeerClosed => "peer_closed",
        DiameterCloseReason.MalformedFrame => "malformed_frame",
        DiameterCloseReason.NotCapabilitiesExchange => "not_capabilities_exchange",
        DiameterCloseReason.MalformedCapabilitiesExchange => "malformed_capabilities_exchange",
        DiameterCloseReason.UnknownPeer => "unknown_peer",
        DiameterCloseReason.NoCommonApplication => "no_common_application",
        DiameterCloseReason.CapabilitiesTimeout => "capabilities_timeout",
        DiameterCloseReason.WatchdogTimeout => "watchdog_timeout",
        DiameterCloseReason.DisconnectRequested => "disconnect_requested",
        DiameterCloseReason.Replaced => "replaced",
        DiameterCloseReason.NodeStopped => "node_stopped",
        DiameterCloseReason.TransportError => "transport_error",
        _ => reason.ToString(),
    };

    public void Dispose() => meter.Dispose();
}
