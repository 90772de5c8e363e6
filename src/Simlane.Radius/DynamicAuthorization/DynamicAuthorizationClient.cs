using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Simlane.Radius.Codec;

namespace Simlane.Radius.DynamicAuthorization;

/// <summary>Disconnect-Request or CoA-Request (RFC 5176).</summary>
public enum DynamicAuthorizationKind
{
    Disconnect,
    Coa,
}

/// <summary>How one delivery attempt ended.</summary>
public enum DynamicAuthorizationOutcome
{
    /// <summary>Disconnect-ACK or CoA-ACK.</summary>
    Ack,
    /// <summary>Disconnect-NAK or CoA-NAK; <see cref="DynamicAuthorizationResult.ErrorCause"/> says why when the NAS told.</summary>
    Nak,
    /// <summary>No valid reply after every retransmission.</summary>
    Timeout,
}

/// <summary>The result of <c>DynamicAuthorizationClient.SendAsync</c>.</summary>
public sealed record DynamicAuthorizationResult(DynamicAuthorizationOutcome Outcome, uint? ErrorCause, int Transmissions, IReadOnlyList<RadiusAttributeValue> ReplyAttributes)
{
    /// <summary>The Error-Cause's dictionary name (e.g. <c>Session-Context-Not-Found</c>), or its number when unnamed.</summary>
    public string? ErrorCauseName => ErrorCause is uint cause
        ? RadiusAttributes.ErrorCause.Values.FirstOrDefault(v => v.Value == cause).Key ?? cause.ToString(System.Globalization.CultureInfo.InvariantCulture)
        : null;
}

/// <summary>Retransmission policy of one <c>DynamicAuthorizationClient.SendAsync</c> call.</summary>
public sealed class DynamicAuthorizationRetry
{
    /// <summary>Wait for a reply after the first transmission; doubled after each (RFC 5080 2.2.1 style backoff).</summary>
    public TimeSpan InitialTimeout { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxTimeout { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>Transmissions in all (the first plus retransmissions of the same packet).</summary>
    public int MaxTransmissions { get; init; } = 3;
}

/// <summary>
/// The RFC 5176 client: sends one Disconnect-Request or CoA-Request to a NAS and waits for its ACK or NAK,
/// retransmitting the identical packet with backoff. It holds no state between calls beyond the identifier
/// counter, so a durable delivery table can call it once per attempt and record the result.
/// </summary>
public sealed class DynamicAuthorizationClient(TimeProvider time)
{
    private int nextIdentifier = Random.Shared.Next(256);

    /// <summary>Sends to a NAS of a configured client: its <see cref="Clients.RadiusClient.CoaPort"/> and secret, at
    /// <paramref name="nasAddress"/> (the address its requests came from; a client entry may cover a network).</summary>
    public Task<DynamicAuthorizationResult> SendAsync(DynamicAuthorizationKind kind, Clients.RadiusClient client, IPAddress nasAddress,
        IReadOnlyList<RadiusAttributeValue> attributes, DynamicAuthorizationRetry? retry = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(nasAddress);
        if (!client.Contains(nasAddress))
        {
            throw new ArgumentException($"{nasAddress} is not covered by {client}.", nameof(nasAddress));
        }
        return SendAsync(kind, new IPEndPoint(Clients.RadiusClient.Normalize(nasAddress), client.CoaPort), client.Secret.ToArray(), attributes, retry, cancellationToken);
    }

    /// <summary>
    /// Sends the request (with Message-Authenticator, RFC 5176 3.3 and BlastRADIUS) from a fresh ephemeral port and
    /// returns the first valid reply: from the NAS's address and port, same identifier, correct Response
    /// Authenticator and Message-Authenticator, a code answering this request. Anything else is ignored.
    /// </summary>
    public async Task<DynamicAuthorizationResult> SendAsync(DynamicAuthorizationKind kind, IPEndPoint nas, ReadOnlyMemory<byte> secret,
        IReadOnlyList<RadiusAttributeValue> attributes, DynamicAuthorizationRetry? retry = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(nas);
        ArgumentNullException.ThrowIfNull(attributes);
        if (secret.IsEmpty)
        {
            throw new ArgumentException("The shared secret is empty.", nameof(secret));
        }
        retry ??= new DynamicAuthorizationRetry();
        if (retry.InitialTimeout <= TimeSpan.Zero || retry.MaxTimeout < retry.InitialTimeout || retry.MaxTransmissions < 1)
        {
            throw new ArgumentException("The retry policy needs a positive first timeout, a maximum timeout at least as long, and at least one transmission.", nameof(retry));
        }
        var code = kind == DynamicAuthorizationKind.Disconnect ? RadiusCode.DisconnectRequest : RadiusCode.CoaRequest;
        byte identifier = unchecked((byte)Interlocked.Increment(ref nextIdentifier)); // wraps: 256 identifiers in turn
        var request = BuildRequest(code, identifier, attributes, secret.Span);
        var requestAuthenticator = request.AsMemory(4, RadiusPacket.AuthenticatorSize);

        using var socket = new Socket(nas.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(nas.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0));
        var buffer = ArrayPool<byte>.Shared.Rent(RadiusPacket.MaxSize + 1);
        try
        {
            var wait = retry.InitialTimeout;
            for (int transmission = 1; transmission <= retry.MaxTransmissions; transmission++)
            {
                await socket.SendToAsync(request, SocketFlags.None, nas, cancellationToken).ConfigureAwait(false);
                using var attempt = new CancellationTokenSource(wait, time);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(attempt.Token, cancellationToken);
                while (true)
                {
                    SocketReceiveFromResult received;
                    try
                    {
                        received = await socket.ReceiveFromAsync(buffer.AsMemory(0, RadiusPacket.MaxSize + 1), SocketFlags.None,
                            new IPEndPoint(nas.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0), linked.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        break; // this attempt timed out
                    }
                    catch (SocketException)
                    {
                        continue; // e.g. ICMP port unreachable from an earlier send: keep waiting for this attempt
                    }
                    var result = Accept(kind, identifier, nas, (IPEndPoint)received.RemoteEndPoint,
                        buffer.AsMemory(0, received.ReceivedBytes), requestAuthenticator.Span, secret.Span, transmission);
                    if (result is not null)
                    {
                        return result;
                    }
                }
                wait = wait * 2 > retry.MaxTimeout ? retry.MaxTimeout : wait * 2;
            }
            return new DynamicAuthorizationResult(DynamicAuthorizationOutcome.Timeout, null, retry.MaxTransmissions, []);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static byte[] BuildRequest(RadiusCode code, byte identifier, IReadOnlyList<RadiusAttributeValue> attributes, ReadOnlySpan<byte> secret)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(RadiusPacket.MaxSize);
        try
        {
            var writer = new RadiusPacketWriter(buffer, code, identifier);
            int messageAuthenticator = writer.AddMessageAuthenticator();
            foreach (var attribute in attributes)
            {
                writer.Add(attribute);
            }
            int length = writer.Finish();
            var span = buffer.AsSpan(0, length);
            RadiusAuthenticators.SignRequest(span, messageAuthenticator, secret);
            return span.ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static DynamicAuthorizationResult? Accept(DynamicAuthorizationKind kind, byte identifier, IPEndPoint nas, IPEndPoint from,
        ReadOnlyMemory<byte> datagram, ReadOnlySpan<byte> requestAuthenticator, ReadOnlySpan<byte> secret, int transmission)
    {
        if (!Clients.RadiusClient.Normalize(from.Address).Equals(Clients.RadiusClient.Normalize(nas.Address)) || from.Port != nas.Port)
        {
            return null;
        }
        if (RadiusPacket.TryDecode(datagram, out var reply) != RadiusDecodeError.None || reply!.Identifier != identifier)
        {
            return null;
        }
        var (ack, nak) = kind == DynamicAuthorizationKind.Disconnect
            ? (RadiusCode.DisconnectAck, RadiusCode.DisconnectNak)
            : (RadiusCode.CoaAck, RadiusCode.CoaNak);
        if (reply.Code != ack && reply.Code != nak)
        {
            return null;
        }
        var bytes = reply.Bytes.Span;
        if (!RadiusAuthenticators.VerifyResponseAuthenticator(bytes, requestAuthenticator, secret))
        {
            return null;
        }
        if (reply.HasMessageAuthenticator
            && !RadiusAuthenticators.VerifyMessageAuthenticator(bytes, reply.MessageAuthenticatorOffset, requestAuthenticator, secret))
        {
            return null;
        }
        var attributes = reply.Attributes
            .Where(a => a.Type != RadiusAttributes.MessageAuthenticatorType)
            .Select(a => RadiusAttributes.Find(a.VendorId, a.VendorId == 0 ? a.Type : a.VendorType) is { } d
                ? new RadiusAttributeValue(d, reply.Value(a).ToArray())
                : (RadiusAttributeValue?)null)
            .OfType<RadiusAttributeValue>()
            .ToArray();
        return new DynamicAuthorizationResult(reply.Code == ack ? DynamicAuthorizationOutcome.Ack : DynamicAuthorizationOutcome.Nak,
            reply.GetUInt32(RadiusAttributes.ErrorCause), transmission, attributes);
    }
}
