using System.Collections.Frozen;
using System.Diagnostics.Metrics;

namespace Simlane.Radius.Server;

/// <summary>Why the listener dropped a datagram without answering.</summary>
public enum RadiusDropReason
{
    /// <summary>No configured client covers the source address.</summary>
    UnknownClient,
    /// <summary>The datagram is not a well-formed RADIUS packet (see <c>RadiusDecodeError</c>).</summary>
    Malformed,
    /// <summary>An Accounting-Request's Request Authenticator does not match the client's secret.</summary>
    BadAuthenticator,
    /// <summary>An Access-Request without Message-Authenticator from a client that requires one.</summary>
    MissingMessageAuthenticator,
    /// <summary>A Message-Authenticator that does not match the client's secret.</summary>
    BadMessageAuthenticator,
    /// <summary>A code this port does not serve (e.g. an Accounting-Request on the auth port, or a reply).</summary>
    WrongCode,
    /// <summary>A retransmission of a request that is still being handled.</summary>
    DuplicateInProgress,
    /// <summary>The handler failed or did not finish; no reply is sent so that the client retransmits.</summary>
    HandlerFailed,
}

/// <summary>A point-in-time copy of the listener's counters, for tests and the later metrics export.</summary>
public sealed record RadiusCounterSnapshot(
    long AccessRequests, long AccountingRequests, long AccessAccepts, long AccessRejects, long AccountingResponses,
    long DuplicatesAnsweredFromCache, IReadOnlyDictionary<RadiusDropReason, long> Drops)
{
    public long Dropped(RadiusDropReason reason) => Drops.GetValueOrDefault(reason);

    public long TotalDrops => Drops.Values.Sum();
}

/// <summary>
/// The listener's counters: instruments on the <c>Simlane.Radius</c> <see cref="Meter"/> (for an exporter) and
/// plain totals behind <see cref="Snapshot"/>.
/// </summary>
public sealed class RadiusMetrics : IDisposable
{
    public const string MeterName = "Simlane.Radius";

    private static readonly RadiusDropReason[] Reasons = Enum.GetValues<RadiusDropReason>();
    private static readonly FrozenDictionary<RadiusDropReason, KeyValuePair<string, object?>> ReasonTags =
        Reasons.ToFrozenDictionary(r => r, r => new KeyValuePair<string, object?>("reason", ToTag(r)));

    private readonly Meter meter;
    private readonly Counter<long> requests;
    private readonly Counter<long> replies;
    private readonly Counter<long> dropped;
    private readonly Counter<long> duplicates;
    private readonly long[] drops = new long[Reasons.Length];
    private long accessRequests, accountingRequests, accepts, rejects, accountingResponses, duplicatesAnswered;

    public RadiusMetrics(IMeterFactory? meterFactory = null)
    {
        meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        requests = meter.CreateCounter<long>("simlane.radius.requests", description: "Well-formed RADIUS requests from known clients on the right port, by code (retransmissions included).");
        replies = meter.CreateCounter<long>("simlane.radius.replies", description: "RADIUS replies sent, by code (cached replies included).");
        dropped = meter.CreateCounter<long>("simlane.radius.dropped", description: "Datagrams dropped without a reply, by reason.");
        duplicates = meter.CreateCounter<long>("simlane.radius.duplicates_answered", description: "Retransmissions answered from the duplicate cache.");
    }

    internal void Request(bool access)
    {
        Interlocked.Increment(ref access ? ref accessRequests : ref accountingRequests);
        requests.Add(1, new KeyValuePair<string, object?>("code", access ? "Access-Request" : "Accounting-Request"));
    }

    internal void Reply(Codec.RadiusCode code)
    {
        switch (code)
        {
            case Codec.RadiusCode.AccessAccept: Interlocked.Increment(ref accepts); break;
            case Codec.RadiusCode.AccessReject: Interlocked.Increment(ref rejects); break;
            case Codec.RadiusCode.AccountingResponse: Interlocked.Increment(ref accountingResponses); break;
        }
        replies.Add(1, new KeyValuePair<string, object?>("code", code.ToString()));
    }

    internal void Drop(RadiusDropReason reason)
    {
        Interlocked.Increment(ref drops[(int)reason]);
        dropped.Add(1, ReasonTags[reason]);
    }

    internal void DuplicateAnswered()
    {
        Interlocked.Increment(ref duplicatesAnswered);
        duplicates.Add(1);
    }

    public RadiusCounterSnapshot Snapshot() => new(
        Interlocked.Read(ref accessRequests), Interlocked.Read(ref accountingRequests), Interlocked.Read(ref accepts),
        Interlocked.Read(ref rejects), Interlocked.Read(ref accountingResponses), Interlocked.Read(ref duplicatesAnswered),
        Reasons.ToDictionary(r => r, r => Interlocked.Read(ref drops[(int)r])));

    /// <summary>The reason's tag value on the <c>simlane.radius.dropped</c> counter, e.g. <c>unknown_client</c>.</summary>
    public static string ToTag(RadiusDropReason reason) => reason switch
    {
        RadiusDropReason.UnknownClient => "unknown_client",
        RadiusDropReason.Malformed => "malformed",
        RadiusDropReason.BadAuthenticator => "bad_authenticator",
        RadiusDropReason.MissingMessageAuthenticator => "missing_message_authenticator",
        RadiusDropReason.BadMessageAuthenticator => "bad_message_authenticator",
        RadiusDropReason.WrongCode => "wrong_code",
        RadiusDropReason.DuplicateInProgress => "duplicate_in_progress",
        RadiusDropReason.HandlerFailed => "handler_failed",
        _ => reason.ToString(),
    };

    public void Dispose() => meter.Dispose();
}
