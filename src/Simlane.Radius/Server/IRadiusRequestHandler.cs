using System.Net;
using System.Text;
using Simlane.Radius.Clients;
using Simlane.Radius.Codec;

namespace Simlane.Radius.Server;

/// <summary>
/// What the server implements to answer RADIUS. The listener calls it only for a request that came from a
/// configured client, decoded cleanly, passed its authenticator checks and is not a duplicate; it is never called
/// twice for one request (RFC 5080 duplicate detection happens before).
/// </summary>
public interface IRadiusRequestHandler
{
    /// <summary>Decides an Access-Request. The listener adds Message-Authenticator, Proxy-State and the Response
    /// Authenticator. Throwing (or not finishing within the handler timeout) sends no reply, so the NAS retries.</summary>
    Task<RadiusAccessDecision> HandleAccessAsync(RadiusRequest request, CancellationToken cancellationToken);

    /// <summary>Records an Accounting-Request. The Accounting-Response is sent only after this completes, so
    /// complete only once the record is durable; throw to send nothing (the NAS retransmits).</summary>
    Task HandleAccountingAsync(RadiusRequest request, CancellationToken cancellationToken);
}

/// <summary>An authenticated request as the handler sees it.</summary>
public sealed class RadiusRequest(RadiusPacket packet, RadiusClient client, IPEndPoint source, DateTimeOffset receivedAt)
{
    public RadiusPacket Packet { get; } = packet;

    /// <summary>The configured client the source address matched (its <see cref="RadiusClient.CoaPort"/> is where
    /// Disconnect/CoA requests for this NAS go).</summary>
    public RadiusClient Client { get; } = client;

    public IPEndPoint Source { get; } = source;

    public DateTimeOffset ReceivedAt { get; } = receivedAt;

    /// <summary>Acct-Status-Type of an Accounting-Request (1 Start, 2 Stop, 3 Interim-Update, 7 Accounting-On, 8 Accounting-Off).</summary>
    public uint? AcctStatusType => Packet.GetUInt32(RadiusAttributes.AcctStatusType);

    /// <summary>The User-Password, unhidden with the client's secret (RFC 2865 5.2); null when absent or malformed.</summary>
    public string? GetUserPassword()
    {
        if (!Packet.TryGet(RadiusAttributes.UserPassword, out var attribute))
        {
            return null;
        }
        var clear = RadiusAuthenticators.UnhidePassword(Packet.Value(attribute), Packet.Authenticator, Client.Secret);
        return clear is null ? null : Encoding.UTF8.GetString(clear);
    }

    public override string ToString() => $"{Packet.Code} id {Packet.Identifier} from {Source}";
}

/// <summary>The handler's answer to an Access-Request.</summary>
public sealed class RadiusAccessDecision
{
    private RadiusAccessDecision(bool accept, IReadOnlyList<RadiusAttributeValue> attributes, string? replyMessage)
    {
        IsAccept = accept;
        Attributes = attributes;
        ReplyMessage = replyMessage;
    }

    public bool IsAccept { get; }

    /// <summary>Reply attributes of an Accept (e.g. rate limits, Acct-Interim-Interval, Class).</summary>
    public IReadOnlyList<RadiusAttributeValue> Attributes { get; }

    /// <summary>The reason sent in Reply-Message (split over several attributes when longer than 253 bytes).</summary>
    public string? ReplyMessage { get; }

    public static RadiusAccessDecision Accept(IEnumerable<RadiusAttributeValue>? attributes = null, string? replyMessage = null) =>
        new(true, attributes?.ToArray() ?? [], replyMessage);

    /// <summary>RFC 2865 4.3: an Access-Reject carries only Reply-Message (and Proxy-State, Message-Authenticator).</summary>
    public static RadiusAccessDecision Reject(string? replyMessage = null) => new(false, [], replyMessage);
}
