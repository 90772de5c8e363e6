using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Simlane.Radius.Clients;
using Simlane.Radius.Codec;

namespace Simlane.Radius.Server;

/// <summary>
/// The UDP RADIUS server: an auth socket (Access-Request) and an accounting socket (Accounting-Request). Each
/// datagram is checked in this order and dropped, counted, at the first failure: known client, well-formed
/// packet, right code for the port, authenticators, not a duplicate in progress. A retransmission of an answered
/// request gets the cached reply. Everything else goes to <see cref="IRadiusRequestHandler"/>, up to
/// <see cref="RadiusListenerOptions.MaxConcurrentRequests"/> at once. No input stops the receive loops.
/// </summary>
public sealed partial class RadiusListener : IAsyncDisposable
{
    private const int ReceiveSize = RadiusPacket.MaxSize + 1; // one more byte reveals an oversized datagram

    private readonly RadiusClientTable clients;
    private readonly IRadiusRequestHandler handler;
    private readonly RadiusListenerOptions options;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly DuplicateCache duplicates;
    private readonly SemaphoreSlim slots;
    private readonly CancellationTokenSource stopping = new();
    private Socket? authSocket;
    private Socket? acctSocket;
    private readonly bool ownsMetrics;
    private Task[] loops = [];

    public RadiusListener(RadiusClientTable clients, IRadiusRequestHandler handler, RadiusListenerOptions options, TimeProvider time,
        ILogger<RadiusListener>? logger = null, RadiusMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        options.Validate();
        this.clients = clients;
        this.handler = handler;
        this.options = options;
        this.time = time;
        this.logger = (ILogger?)logger ?? NullLogger.Instance;
        ownsMetrics = metrics is null;
        Metrics = metrics ?? new RadiusMetrics();
        duplicates = new DuplicateCache(time, options.DuplicateWindow);
        slots = new SemaphoreSlim(options.MaxConcurrentRequests, options.MaxConcurrentRequests);
    }

    public RadiusMetrics Metrics { get; }

    /// <summary>The bound auth endpoint (its port is the real one when 0 was asked for).</summary>
    public IPEndPoint AuthEndPoint => (IPEndPoint)(authSocket ?? throw NotStarted()).LocalEndPoint!;

    public IPEndPoint AcctEndPoint => (IPEndPoint)(acctSocket ?? throw NotStarted()).LocalEndPoint!;

    /// <summary>Binds both sockets (throws <see cref="SocketException"/> if a port is taken) and starts receiving.</summary>
    public void Start()
    {
        if (authSocket is not null)
        {
            throw new InvalidOperationException("The RADIUS listener is already started.");
        }
        authSocket = Bind(options.AuthPort);
        try
        {
            acctSocket = Bind(options.AcctPort);
        }
        catch
        {
            authSocket.Dispose();
            authSocket = null;
            throw;
        }
        loops = [ReceiveLoopAsync(authSocket, auth: true), ReceiveLoopAsync(acctSocket, auth: false)];
        LogStarted(logger, AuthEndPoint, AcctEndPoint, clients.Clients.Count);
    }

    private Socket Bind(int port)
    {
        var socket = new Socket(options.BindAddress.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (options.BindAddress.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }
            socket.ReceiveBufferSize = options.ReceiveBufferBytes;
            socket.Bind(new IPEndPoint(options.BindAddress, port));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task ReceiveLoopAsync(Socket socket, bool auth)
    {
        await Task.Yield();
        EndPoint any = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        var buffer = new byte[ReceiveSize];
        var token = stopping.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await slots.WaitAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            bool handedOff = false;
            try
            {
                var received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, token).ConfigureAwait(false);
                var datagram = buffer.AsSpan(0, received.ReceivedBytes).ToArray();
                _ = ProcessAsync(socket, auth, datagram, (IPEndPoint)received.RemoteEndPoint);
                handedOff = true;
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (ObjectDisposedException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException e)
            {
                // e.g. an ICMP port-unreachable reported on the next receive; the socket is still usable.
                LogReceiveError(logger, e.SocketErrorCode);
            }
#pragma warning disable CA1031 // Nothing may end the receive loop except stopping.
            catch (Exception e) when (!token.IsCancellationRequested)
#pragma warning restore CA1031
            {
                LogReceiveFailed(logger, e);
            }
            finally
            {
                if (!handedOff)
                {
                    slots.Release();
                }
            }
        }
    }

    private async Task ProcessAsync(Socket socket, bool auth, byte[] datagram, IPEndPoint source)
    {
        try
        {
            await Task.Yield(); // leave the receive loop at once
            await HandleDatagramAsync(socket, auth, datagram, source).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The listener must survive anything one datagram causes.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogUnexpected(logger, source, e);
        }
        finally
        {
            slots.Release();
        }
    }

    private async Task HandleDatagramAsync(Socket socket, bool auth, byte[] datagram, IPEndPoint source)
    {
        var client = clients.Find(source.Address);
        if (client is null)
        {
            Drop(RadiusDropReason.UnknownClient, source, "no configured client covers this address");
            return;
        }
        var error = RadiusPacket.TryDecode(datagram, out var packet);
        if (error != RadiusDecodeError.None)
        {
            Drop(RadiusDropReason.Malformed, source, error.ToString());
            return;
        }
        var expected = auth ? RadiusCode.AccessRequest : RadiusCode.AccountingRequest;
        if (packet!.Code != expected)
        {
            Drop(RadiusDropReason.WrongCode, source, $"code {(byte)packet.Code} on the {(auth ? "auth" : "accounting")} port");
            return;
        }
        Metrics.Request(auth);
        if (Authenticate(packet, client) is RadiusDropReason failure)
        {
            Drop(failure, source, "authenticator check failed");
            return;
        }

        var key = DuplicateCache.Key.For(source, (byte)packet.Code, packet.Identifier, packet.Authenticator);
        switch (duplicates.Begin(key, out var cached))
        {
            case DuplicateCache.Outcome.InProgress:
                Drop(RadiusDropReason.DuplicateInProgress, source, "retransmission of a request still in progress");
                return;
            case DuplicateCache.Outcome.Answered:
                Metrics.DuplicateAnswered();
                Metrics.Reply((RadiusCode)cached![0]);
                await socket.SendToAsync(cached, SocketFlags.None, source).ConfigureAwait(false);
                return;
        }

        byte[] reply;
        try
        {
            var request = new RadiusRequest(packet, client, source, time.GetUtcNow());
            using var timeout = new CancellationTokenSource(options.HandlerTimeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, stopping.Token);
            if (auth)
            {
                var decision = await handler.HandleAccessAsync(request, linked.Token).ConfigureAwait(false);
                reply = BuildReply(packet, client, decision.IsAccept ? RadiusCode.AccessAccept : RadiusCode.AccessReject,
                    decision.Attributes, decision.ReplyMessage);
            }
            else
            {
                await handler.HandleAccountingAsync(request, linked.Token).ConfigureAwait(false);
                reply = BuildReply(packet, client, RadiusCode.AccountingResponse, [], null);
            }
        }
#pragma warning disable CA1031 // A failing handler must not take the listener down; the NAS retransmits.
        catch (Exception e)
#pragma warning restore CA1031
        {
            duplicates.Abandon(key);
            Metrics.Drop(RadiusDropReason.HandlerFailed);
            LogHandlerFailed(logger, packet.Code, packet.Identifier, source, e);
            return;
        }
        // Cached (and counted) before the send: the work is done, and a retransmission must get this answer even if
        // this send fails.
        duplicates.Complete(key, reply);
        Metrics.Reply((RadiusCode)reply[0]);
        await socket.SendToAsync(reply, SocketFlags.None, source).ConfigureAwait(false);
    }

    private static RadiusDropReason? Authenticate(RadiusPacket packet, RadiusClient client)
    {
        var bytes = packet.Bytes.Span;
        if (packet.Code == RadiusCode.AccessRequest)
        {
            if (!packet.HasMessageAuthenticator)
            {
                return client.RequireMessageAuthenticator ? RadiusDropReason.MissingMessageAuthenticator : null;
            }
            return RadiusAuthenticators.VerifyMessageAuthenticator(bytes, packet.MessageAuthenticatorOffset, packet.Authenticator, client.Secret)
                ? null : RadiusDropReason.BadMessageAuthenticator;
        }
        if (!RadiusAuthenticators.VerifyRequestAuthenticator(bytes, client.Secret))
        {
            return RadiusDropReason.BadAuthenticator;
        }
        if (packet.HasMessageAuthenticator
            && !RadiusAuthenticators.VerifyMessageAuthenticator(bytes, packet.MessageAuthenticatorOffset, ReadOnlySpan<byte>.Empty, client.Secret))
        {
            return RadiusDropReason.BadMessageAuthenticator;
        }
        return null;
    }

    /// <summary>Message-Authenticator first (BlastRADIUS guidance), then the handler's attributes, Reply-Message,
    /// and the request's Proxy-State attributes in their order (RFC 2865 5.33); then both authenticators.</summary>
    internal static byte[] BuildReply(RadiusPacket request, RadiusClient client, RadiusCode code, IReadOnlyList<RadiusAttributeValue> attributes, string? replyMessage)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(RadiusPacket.MaxSize);
        try
        {
            var writer = new RadiusPacketWriter(buffer, code, request.Identifier);
            int messageAuthenticator = writer.AddMessageAuthenticator();
            foreach (var attribute in attributes)
            {
                writer.Add(attribute);
            }
            if (!string.IsNullOrEmpty(replyMessage))
            {
                foreach (var chunk in SplitUtf8(replyMessage, 253))
                {
                    writer.Add(RadiusAttributes.ReplyMessage, chunk);
                }
            }
            foreach (var proxyState in request.All(RadiusAttributes.ProxyState))
            {
                writer.Add(RadiusAttributes.ProxyState, request.Value(proxyState));
            }
            int length = writer.Finish();
            var span = buffer.AsSpan(0, length);
            RadiusAuthenticators.SignResponse(span, messageAuthenticator, request.Authenticator, client.Secret,
                zeroAuthenticatorForHmac: code == RadiusCode.AccountingResponse);
            return span.ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static IEnumerable<byte[]> SplitUtf8(string text, int max)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        int start = 0;
        while (start < bytes.Length)
        {
            int end = Math.Min(bytes.Length, start + max);
            while (end < bytes.Length && end > start && (bytes[end] & 0xC0) == 0x80)
            {
                end--; // never split a UTF-8 sequence
            }
            yield return bytes[start..end];
            start = end;
        }
    }

    private void Drop(RadiusDropReason reason, IPEndPoint source, string detail)
    {
        Metrics.Drop(reason);
        LogDropped(logger, reason, source, detail);
    }

    /// <summary>Stops receiving, waits (bounded) for requests in progress, and closes the sockets.</summary>
    public async ValueTask DisposeAsync()
    {
        if (stopping.IsCancellationRequested)
        {
            return;
        }
        await stopping.CancelAsync().ConfigureAwait(false);
        authSocket?.Dispose();
        acctSocket?.Dispose();
        await Task.WhenAll(loops).ConfigureAwait(false);
        // Requests in progress were cancelled through their token; wait (bounded by the handler timeout, in case a
        // handler ignores its token) until every slot is free again.
        using var drained = new CancellationTokenSource(options.HandlerTimeout, time);
        try
        {
            for (int i = 0; i < options.MaxConcurrentRequests; i++)
            {
                await slots.WaitAsync(drained.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            LogStopTimedOut(logger);
        }
        if (ownsMetrics)
        {
            Metrics.Dispose(); // the Snapshot totals stay readable
        }
    }

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "RADIUS listener stopped while a handler was still running")]
    private static partial void LogStopTimedOut(ILogger logger);

    private static InvalidOperationException NotStarted() => new("The RADIUS listener is not started.");

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "RADIUS listening on {Auth} (auth) and {Acct} (accounting) for {Clients} client(s)")]
    private static partial void LogStarted(ILogger logger, IPEndPoint auth, IPEndPoint acct, int clients);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "RADIUS datagram from {Source} dropped ({Reason}): {Detail}")]
    private static partial void LogDropped(ILogger logger, RadiusDropReason reason, IPEndPoint source, string detail);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "RADIUS {Code} id {Identifier} from {Source}: the handler failed; no reply sent")]
    private static partial void LogHandlerFailed(ILogger logger, RadiusCode code, byte identifier, IPEndPoint source, Exception exception);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "RADIUS receive error {Error}; still listening")]
    private static partial void LogReceiveError(ILogger logger, SocketError error);

    [LoggerMessage(EventId = 7, Level = LogLevel.Error, Message = "RADIUS receive failed; still listening")]
    private static partial void LogReceiveFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "RADIUS datagram from {Source}: unexpected failure; still listening")]
    private static partial void LogUnexpected(ILogger logger, IPEndPoint source, Exception exception);
}
