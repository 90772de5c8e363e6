using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Simlane.Diameter.Codec;

namespace Simlane.Diameter.Peers;

/// <summary>
/// One TCP connection of a <see cref="DiameterNode"/>: its capabilities exchange, watchdog (RFC 3539), requests and
/// answers. Frames are read one after another; requests of the application are then handled concurrently, at most
/// <see cref="DiameterNodeOptions.MaxRequestsInFlightPerPeer"/> at a time (reading pauses when that many are in
/// progress). One writer loop sends everything, coalescing whatever has queued up into one socket write.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification =
    "Its lifetime is RunAsync. The CancellationTokenSource has no timer and the semaphore's wait handle is never created, so neither holds anything to release; disposing them while handlers still use them would only add races.")]
public sealed class DiameterPeerConnection
{
    private const int StateWaitingForCer = 0;
    private const int StateOpen = 1;
    private const int NotClosed = -1;
    /// <summary>The writer sends what has queued up in writes of up to this size.</summary>
    private const int CoalesceBytes = 64 * 1024;

    private readonly DiameterNode node;
    private readonly Socket socket;
    private readonly Channel<Outgoing> outbox = Channel.CreateUnbounded<Outgoing>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource closing = new();
    private readonly TaskCompletionSource closeRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<uint, TaskCompletionSource<DiameterMessage?>> pending = new();
    private readonly SemaphoreSlim inFlight;
    private readonly ITimer? timer; // null only while the constructor runs
    private int state = StateWaitingForCer;
    private int closeReason = NotClosed;
    private int opened;
    private int reportedDown;
    private int stopping;
    private long lastReceived;
    private int watchdogOutstanding;

    internal DiameterPeerConnection(DiameterNode node, Socket socket)
    {
        this.node = node;
        this.socket = socket;
        Remote = Unmap((IPEndPoint)socket.RemoteEndPoint!);
        Local = Unmap((IPEndPoint)socket.LocalEndPoint!);
        inFlight = new SemaphoreSlim(node.Options.MaxRequestsInFlightPerPeer, node.Options.MaxRequestsInFlightPerPeer);
        lastReceived = node.Time.GetTimestamp();
        // The capabilities timeout runs from the accept (armed before the connection is counted as accepted).
        timer = node.Time.CreateTimer(static s => ((DiameterPeerConnection)s!).OnTimer(), this, node.Options.CapabilitiesTimeout, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The peer's Origin-Host from its CER (empty until then).</summary>
    public string OriginHost { get; private set; } = "";

    /// <summary>The peer's Origin-Realm from its CER (empty until then).</summary>
    public string OriginRealm { get; private set; } = "";

    /// <summary>The Auth-Application-Ids the peer advertised in its CER (also those inside Vendor-Specific-Application-Id).</summary>
    public IReadOnlyList<uint> AuthApplicationIds { get; private set; } = [];

    /// <summary>The peer's address (an IPv4-mapped address is given as IPv4).</summary>
    public IPEndPoint Remote { get; }

    /// <summary>Our end of the connection (sent as Host-IP-Address in the CEA).</summary>
    public IPEndPoint Local { get; }

    /// <summary>Capabilities exchanged and not closed.</summary>
    public bool IsOpen => Volatile.Read(ref state) == StateOpen && Volatile.Read(ref closeReason) == NotClosed;

    /// <summary>Why the connection closed, or null while it is not closed.</summary>
    public DiameterCloseReason? CloseReason => Volatile.Read(ref closeReason) is var r and not NotClosed ? (DiameterCloseReason)r : null;

    /// <summary>Completes when the connection is closed: socket released, pending requests answered null, PeerDown called.</summary>
    public Task Closed => finished.Task;

    /// <summary>Requests of the application in progress on this connection.</summary>
    internal int RequestsInFlight => node.Options.MaxRequestsInFlightPerPeer - inFlight.CurrentCount;

    /// <summary>
    /// Sends a request to the peer (e.g. a Re-Auth-Request) and returns its answer: the message gets fresh hop-by-hop
    /// and end-to-end ids (and its R flag) here. Null when no answer arrives within <paramref name="timeout"/>, or the
    /// connection is not open or closes first. Throws <see cref="OperationCanceledException"/> when the token is
    /// cancelled.
    /// </summary>
    public async Task<DiameterMessage?> SendRequestAsync(DiameterMessage request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        if (!IsOpen)
        {
            return null;
        }
        var waiter = Send(request);
        if (waiter is null)
        {
            return null;
        }
        uint hopByHop = request.HopByHopId;
        try
        {
            return await waiter.Task.WaitAsync(timeout, node.Time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            pending.TryRemove(hopByHop, out _);
            node.Metrics.RequestTimedOut();
            return null;
        }
        catch (OperationCanceledException)
        {
            pending.TryRemove(hopByHop, out _);
            throw;
        }
    }

    /// <summary>Assigns ids, registers the wait for the answer and queues the request; null if the connection is closed.</summary>
    private TaskCompletionSource<DiameterMessage?>? Send(DiameterMessage request)
    {
        request.IsRequest = true;
        request.IsError = false;
        request.HopByHopId = node.NextHopByHopId();
        request.EndToEndId = node.NextEndToEndId();
        var bytes = request.Encode();
        var waiter = new TaskCompletionSource<DiameterMessage?>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending[request.HopByHopId] = waiter;
        // Registered before the closed check: RunAsync answers every pending request null after the close, so it sees
        // this entry if the check below misses the close.
        if (Volatile.Read(ref closeReason) != NotClosed || !outbox.Writer.TryWrite(new Outgoing(bytes, null)))
        {
            pending.TryRemove(request.HopByHopId, out _);
            return null;
        }
        node.Metrics.RequestSent(request.CommandCode);
        return waiter;
    }

    // ---- lifetime ------------------------------------------------------------------------------------------------

    internal async Task RunAsync()
    {
        Task writer = Task.CompletedTask;
        try
        {
            await Task.Yield(); // off the accept loop
            writer = WriteLoopAsync();
            await ReadLoopAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            DiameterLog.Unexpected(node.Logger, Remote, e);
            Close(DiameterCloseReason.TransportError);
        }
        finally
        {
            Close(Volatile.Read(ref stopping) != 0 ? DiameterCloseReason.NodeStopped : DiameterCloseReason.PeerClosed);
            try
            {
                await writer.ConfigureAwait(false);
            }
            catch (Exception e)
            {
                DiameterLog.Unexpected(node.Logger, Remote, e);
            }
            if (timer is not null)
            {
                await timer.DisposeAsync().ConfigureAwait(false);
            }
            foreach (var entry in pending)
            {
                if (pending.TryRemove(entry.Key, out var waiter))
                {
                    waiter.TrySetResult(null);
                }
            }
            try
            {
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (SocketException)
            {
                // already reset by the peer
            }
            catch (ObjectDisposedException)
            {
            }
            socket.Dispose();
            var reason = CloseReason ?? DiameterCloseReason.PeerClosed;
            if (Volatile.Read(ref opened) != 0)
            {
                DiameterLog.PeerDown(node.Logger, OriginHost, Remote, reason);
                node.PeerClosed(this);
            }
            node.Metrics.ConnectionClosed(reason);
            finished.TrySetResult();
        }
    }

    /// <summary>Closes the connection now (first reason wins): stops reading and writing; what is queued is dropped.</summary>
    internal void Close(DiameterCloseReason reason)
    {
        if (Interlocked.CompareExchange(ref closeReason, (int)reason, NotClosed) != NotClosed)
        {
            return;
        }
        outbox.Writer.TryComplete();
        closing.Cancel();
        closeRequested.TrySetResult();
        try
        {
            timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>True the first time: the caller reports the peer down.</summary>
    internal bool MarkDown() => Volatile.Read(ref opened) != 0 && Interlocked.Exchange(ref reportedDown, 1) == 0;

    /// <summary>The node is stopping: DPR (REBOOTING), wait for the DPA (bounded), close.</summary>
    internal async Task DisconnectAsync()
    {
        Interlocked.Exchange(ref stopping, 1);
        if (IsOpen)
        {
            var dpr = DiameterMessage.CreateRequest(DiameterCommands.DisconnectPeer, DiameterApplications.Common, proxiable: false);
            dpr.Avps.Add(Avp.OfString(AvpCodes.OriginHost, node.Options.OriginHost));
            dpr.Avps.Add(Avp.OfString(AvpCodes.OriginRealm, node.Options.OriginRealm));
            dpr.Avps.Add(Avp.OfUInt32(AvpCodes.DisconnectCause, DisconnectCauses.Rebooting));
            try
            {
                await SendRequestAsync(dpr, node.Options.DisconnectTimeout, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                DiameterLog.Unexpected(node.Logger, Remote, e);
            }
        }
        Close(DiameterCloseReason.NodeStopped);
    }

    // ---- reading -------------------------------------------------------------------------------------------------

    private async Task ReadLoopAsync()
    {
        var stream = new NetworkStream(socket, ownsSocket: false);
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 16 * 1024, minimumReadSize: 4 * 1024, leaveOpen: true));
        var token = closing.Token;
        try
        {
            while (true)
            {
                ReadResult result;
                try
                {
                    result = await reader.ReadAsync(token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
                {
                    Close(Volatile.Read(ref stopping) != 0 ? DiameterCloseReason.NodeStopped : DiameterCloseReason.PeerClosed);
                    return;
                }

                var buffer = result.Buffer;
                bool keepReading = true;
                try
                {
                    while (keepReading)
                    {
                        var status = DiameterFraming.TryReadFrame(buffer, node.Options.MaxMessageLength, out var frame, out var error);
                        if (status == FrameStatus.NeedMore)
                        {
                            break;
                        }
                        if (status == FrameStatus.Fatal)
                        {
                            DiameterLog.MalformedFrame(node.Logger, Remote, OriginHost, error!);
                            Close(DiameterCloseReason.MalformedFrame);
                            return;
                        }
                        var bytes = frame.ToArray();
                        buffer = buffer.Slice(frame.End);
                        keepReading = await HandleFrameAsync(bytes).ConfigureAwait(false);
                    }
                }
                finally
                {
                    reader.AdvanceTo(buffer.Start, buffer.End);
                }
                if (!keepReading)
                {
                    // The last message ends the connection (e.g. a refused CER): its answer is flushed, then closed.
                    await closeRequested.Task.ConfigureAwait(false);
                    return;
                }
                if (result.IsCompleted)
                {
                    Close(Volatile.Read(ref stopping) != 0 ? DiameterCloseReason.NodeStopped : DiameterCloseReason.PeerClosed);
                    return;
                }
            }
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
            await stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Handles one message; false when no further message of this connection should be read.</summary>
    private async ValueTask<bool> HandleFrameAsync(byte[] bytes)
    {
        // Any message from the peer shows it is alive (RFC 3539 3.4.1).
        Volatile.Write(ref lastReceived, node.Time.GetTimestamp());
        Volatile.Write(ref watchdogOutstanding, 0);
        var result = DiameterMessage.DecodeOwned(bytes);
        if (Volatile.Read(ref state) == StateWaitingForCer)
        {
            return HandleCapabilitiesExchange(result);
        }
        if (!result.IsSuccess)
        {
            HandleMalformed(result);
            return true;
        }
        var message = result.Message;
        if (!message.IsRequest)
        {
            HandleAnswer(message);
            return true;
        }
        node.Metrics.RequestReceived(message.CommandCode);
        switch (message.CommandCode)
        {
            case DiameterCommands.DeviceWatchdog:
                var dwa = DiameterMessage.CreateAnswer(message, DiameterResultCodes.Success, node.Options.OriginHost, node.Options.OriginRealm);
                dwa.Avps.Add(Avp.OfUInt32(AvpCodes.OriginStateId, node.OriginStateId));
                SendAnswer(dwa);
                return true;
            case DiameterCommands.DisconnectPeer:
                SendAnswer(DiameterMessage.CreateAnswer(message, DiameterResultCodes.Success, node.Options.OriginHost, node.Options.OriginRealm),
                    closeAfter: DiameterCloseReason.DisconnectRequested);
                return false;
            case DiameterCommands.CapabilitiesExchange:
                Reject(message, DiameterResultCodes.UnableToComply, DiameterRejectReason.UnsupportedCommand,
                    "capabilities were already exchanged on this connection");
                return true;
        }
        if (message.ApplicationId == DiameterApplications.Common)
        {
            Reject(message, DiameterResultCodes.CommandUnsupported, DiameterRejectReason.UnsupportedCommand,
                $"command {message.CommandCode} is not a base protocol command this node serves");
            return true;
        }
        if (!node.ServesApplication(message.ApplicationId))
        {
            Reject(message, DiameterResultCodes.ApplicationUnsupported, DiameterRejectReason.UnsupportedApplication,
                $"application {message.ApplicationId} is not served here");
            return true;
        }
        var unsupported = message.UnsupportedMandatory().ToArray();
        if (unsupported.Length > 0)
        {
            Reject(message, DiameterResultCodes.AvpUnsupported, DiameterRejectReason.UnsupportedMandatoryAvp,
                $"mandatory AVP {string.Join(", ", unsupported.Select(a => a.Name))} is not supported", unsupported);
            return true;
        }
        try
        {
            await inFlight.WaitAsync(closing.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        _ = DispatchAsync(message);
        return true;
    }

    private bool HandleCapabilitiesExchange(DiameterDecodeResult result)
    {
        if (!result.IsSuccess)
        {
            if (result.Header is { IsRequest: true, CommandCode: DiameterCommands.CapabilitiesExchange })
            {
                node.Metrics.Rejected(DiameterRejectReason.MalformedMessage);
                Refuse(result.CreateErrorAnswer(node.Options.OriginHost, node.Options.OriginRealm)!, DiameterCloseReason.MalformedCapabilitiesExchange,
                    $"the CER does not decode ({result.ResultCode}: {result.Error})");
                return false;
            }
            DiameterLog.Refused(node.Logger, Remote, DiameterCloseReason.NotCapabilitiesExchange, "the first message is not a CER");
            Close(DiameterCloseReason.NotCapabilitiesExchange);
            return false;
        }
        var cer = result.Message;
        if (!cer.IsRequest || cer.CommandCode != DiameterCommands.CapabilitiesExchange)
        {
            DiameterLog.Refused(node.Logger, Remote, DiameterCloseReason.NotCapabilitiesExchange,
                $"the first message is a {cer.Name}, not a CER");
            Close(DiameterCloseReason.NotCapabilitiesExchange);
            return false;
        }
        node.Metrics.RequestReceived(cer.CommandCode);

        string? host, realm;
        List<uint> applications;
        try
        {
            host = cer.OriginHost;
            realm = cer.OriginRealm;
            applications = AdvertisedApplications(cer);
        }
        catch (DiameterAvpException e)
        {
            Refuse(Cea(cer, e.ResultCode, e.Message, [e.Avp]), DiameterCloseReason.MalformedCapabilitiesExchange, e.Message);
            return false;
        }
        if (host is null || realm is null)
        {
            var missing = Avp.OfOctets(host is null ? AvpCodes.OriginHost : AvpCodes.OriginRealm, ReadOnlyMemory<byte>.Empty);
            string what = $"the CER has no {missing.Name}";
            Refuse(Cea(cer, DiameterResultCodes.MissingAvp, what, [missing]), DiameterCloseReason.MalformedCapabilitiesExchange, what);
            return false;
        }

        DiameterPeerEntry? entry = null;
        foreach (var candidate in node.Options.AllowedPeers)
        {
            if (string.Equals(candidate.OriginHost, host, StringComparison.OrdinalIgnoreCase))
            {
                entry = candidate;
                break;
            }
        }
        if (entry is null || !entry.Admits(Remote.Address))
        {
            string why = entry is null ? $"Origin-Host {host} is not a configured peer" : $"Origin-Host {host} is only admitted from {entry.Address}";
            Refuse(Cea(cer, DiameterResultCodes.UnknownPeer, why), DiameterCloseReason.UnknownPeer, why);
            return false;
        }
        if (!applications.Any(a => a == DiameterApplications.Relay || node.ServesApplication(a)))
        {
            string why = $"{host} advertises application(s) [{string.Join(", ", applications)}], none served here";
            Refuse(Cea(cer, DiameterResultCodes.NoCommonApplication, why), DiameterCloseReason.NoCommonApplication, why);
            return false;
        }

        if (Volatile.Read(ref closeReason) != NotClosed)
        {
            return false; // closed meanwhile (the capabilities timeout fired, or the node is stopping)
        }
        OriginHost = host;
        OriginRealm = realm;
        AuthApplicationIds = applications;
        // The watchdog starts before the CEA leaves, so that a peer that saw the CEA finds it armed.
        Volatile.Write(ref lastReceived, node.Time.GetTimestamp());
        timer?.Change(node.Options.WatchdogInterval, Timeout.InfiniteTimeSpan);
        // The CEA is queued before anything the application may send after PeerUp.
        SendAnswer(Cea(cer, DiameterResultCodes.Success));
        Volatile.Write(ref opened, 1);
        Volatile.Write(ref state, StateOpen);
        DiameterLog.PeerUp(node.Logger, OriginHost, Remote);
        node.PeerOpened(this);
        return true;
    }

    private static List<uint> AdvertisedApplications(DiameterMessage cer)
    {
        var ids = new List<uint>();
        foreach (var avp in cer.FindAll(AvpCodes.AuthApplicationId))
        {
            ids.Add(avp.GetUInt32());
        }
        foreach (var vendorSpecific in cer.FindAll(AvpCodes.VendorSpecificApplicationId))
        {
            foreach (var avp in vendorSpecific.FindAll(AvpCodes.AuthApplicationId))
            {
                ids.Add(avp.GetUInt32());
            }
        }
        return ids;
    }

    /// <summary>A CEA: the result, then this node's capabilities (RFC 6733 5.3.2).</summary>
    private DiameterMessage Cea(DiameterMessage cer, uint resultCode, string? error = null, IEnumerable<Avp>? failed = null)
    {
        var options = node.Options;
        var cea = DiameterMessage.CreateErrorAnswer(cer, resultCode, options.OriginHost, options.OriginRealm, failed, error);
        cea.Avps.Add(Avp.OfAddress(AvpCodes.HostIpAddress, Local.Address));
        cea.Avps.Add(Avp.OfUInt32(AvpCodes.VendorId, options.VendorId));
        cea.Avps.Add(Avp.OfString(AvpCodes.ProductName, options.ProductName, mandatory: false));
        cea.Avps.Add(Avp.OfUInt32(AvpCodes.OriginStateId, node.OriginStateId));
        cea.Avps.Add(Avp.OfUInt32(AvpCodes.SupportedVendorId, AvpCodes.Vendor3gpp));
        foreach (var application in options.AuthApplicationIds)
        {
            cea.Avps.Add(Avp.OfUInt32(AvpCodes.AuthApplicationId, application));
        }
        if (options.FirmwareRevision is { } firmware)
        {
            cea.Avps.Add(Avp.OfUInt32(AvpCodes.FirmwareRevision, firmware, mandatory: false));
        }
        return cea;
    }

    /// <summary>Answers the CER with an error, then closes once the answer is flushed.</summary>
    private void Refuse(DiameterMessage answer, DiameterCloseReason reason, string detail)
    {
        DiameterLog.Refused(node.Logger, Remote, reason, detail);
        if (!SendAnswer(answer, closeAfter: reason))
        {
            Close(reason);
        }
    }

    private void HandleMalformed(DiameterDecodeResult result)
    {
        var header = result.Header;
        string command = header is { } h ? DiameterCommands.NameOf(h.CommandCode, h.IsRequest) : "message";
        node.Metrics.Rejected(DiameterRejectReason.MalformedMessage);
        var answer = result.CreateErrorAnswer(node.Options.OriginHost, node.Options.OriginRealm);
        if (answer is null)
        {
            DiameterLog.MalformedAnswerDropped(node.Logger, command, OriginHost, result.ResultCode, result.Error);
            return;
        }
        DiameterLog.Rejected(node.Logger, command, OriginHost, DiameterRejectReason.MalformedMessage, result.ResultCode,
            result.Error!);
        SendAnswer(answer);
    }

    private void HandleAnswer(DiameterMessage answer)
    {
        if (pending.TryRemove(answer.HopByHopId, out var waiter))
        {
            waiter.TrySetResult(answer);
            return;
        }
        node.Metrics.Rejected(DiameterRejectReason.UnmatchedAnswer);
        DiameterLog.AnswerDropped(node.Logger, answer.Name, OriginHost, "no request in progress has its hop-by-hop id");
    }

    private void Reject(DiameterMessage request, uint resultCode, DiameterRejectReason reason, string detail, IEnumerable<Avp>? failed = null)
    {
        node.Metrics.Rejected(reason);
        DiameterLog.Rejected(node.Logger, request.Name, OriginHost, reason, resultCode, detail);
        SendAnswer(DiameterMessage.CreateErrorAnswer(request, resultCode, node.Options.OriginHost, node.Options.OriginRealm, failed, detail));
    }

    private async Task DispatchAsync(DiameterMessage request)
    {
        try
        {
            await Task.Yield(); // back to the read loop at once
            DiameterMessage answer;
            try
            {
                answer = await node.Application.HandleRequestAsync(this, request, closing.Token).ConfigureAwait(false)
                    ?? throw new InvalidOperationException("The application returned no answer.");
                answer.CommandCode = request.CommandCode;
                answer.HopByHopId = request.HopByHopId;
                answer.EndToEndId = request.EndToEndId;
                answer.IsRequest = false;
                answer.IsRetransmission = false;
                _ = answer.GetEncodedLength(); // an answer too large to encode is the application's failure
            }
            catch (OperationCanceledException) when (closing.IsCancellationRequested)
            {
                return; // the connection is gone; nobody to answer
            }
            catch (DiameterAvpException e)
            {
                node.Metrics.Rejected(DiameterRejectReason.InvalidAvp);
                DiameterLog.Rejected(node.Logger, request.Name, OriginHost, DiameterRejectReason.InvalidAvp, e.ResultCode, e.Message);
                answer = DiameterMessage.CreateErrorAnswer(request, e.ResultCode, node.Options.OriginHost, node.Options.OriginRealm, [e.Avp], e.Message);
            }
            catch (Exception e)
            {
                node.Metrics.Rejected(DiameterRejectReason.HandlerFailed);
                DiameterLog.HandlerFailed(node.Logger, request.Name, OriginHost, e);
                answer = DiameterMessage.CreateAnswer(request, DiameterResultCodes.UnableToComply, node.Options.OriginHost, node.Options.OriginRealm);
            }
            SendAnswer(answer);
        }
        catch (Exception e)
        {
            DiameterLog.Unexpected(node.Logger, Remote, e);
        }
        finally
        {
            inFlight.Release();
        }
    }

    // ---- writing -------------------------------------------------------------------------------------------------

    private readonly record struct Outgoing(byte[] Bytes, DiameterCloseReason? CloseAfter);

    /// <summary>Queues an answer (counted by its Result-Code); false when the connection is already closed.</summary>
    private bool SendAnswer(DiameterMessage answer, DiameterCloseReason? closeAfter = null)
    {
        var bytes = answer.Encode();
        if (!outbox.Writer.TryWrite(new Outgoing(bytes, closeAfter)))
        {
            return false;
        }
        var resultCode = answer.Find(AvpCodes.ResultCode) is { Data.Length: 4 } code ? code.GetUInt32() : (uint?)null;
        node.Metrics.AnswerSent(resultCode);
        return true;
    }

    private async Task WriteLoopAsync()
    {
        await Task.Yield();
        var token = closing.Token;
        var reader = outbox.Reader;
        var buffer = ArrayPool<byte>.Shared.Rent(CoalesceBytes);
        try
        {
            while (await reader.WaitToReadAsync(token).ConfigureAwait(false))
            {
                int length = 0;
                DiameterCloseReason? closeAfter = null;
                while (length < CoalesceBytes && reader.TryRead(out var item))
                {
                    if (buffer.Length - length < item.Bytes.Length)
                    {
                        var larger = ArrayPool<byte>.Shared.Rent(length + item.Bytes.Length);
                        buffer.AsSpan(0, length).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }
                    item.Bytes.CopyTo(buffer, length);
                    length += item.Bytes.Length;
                    if (item.CloseAfter is not null)
                    {
                        closeAfter = item.CloseAfter;
                        break;
                    }
                }
                int sent = 0;
                while (sent < length)
                {
                    sent += await socket.SendAsync(buffer.AsMemory(sent, length - sent), SocketFlags.None, token).ConfigureAwait(false);
                }
                if (closeAfter is { } reason)
                {
                    Close(reason);
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            Close(Volatile.Read(ref stopping) != 0 ? DiameterCloseReason.NodeStopped : DiameterCloseReason.TransportError);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // ---- watchdog ------------------------------------------------------------------------------------------------

    /// <summary>
    /// The one timer: before the CER it is the capabilities timeout; after it, the watchdog. When Tw has passed without
    /// a message a DWR is sent; when Tw passes again without one the connection is closed. While reading is paused
    /// for back-pressure the watchdog waits (what the peer sent is not read yet).
    /// </summary>
    private void OnTimer()
    {
        try
        {
            if (Volatile.Read(ref closeReason) != NotClosed)
            {
                return;
            }
            if (Volatile.Read(ref state) == StateWaitingForCer)
            {
                DiameterLog.Refused(node.Logger, Remote, DiameterCloseReason.CapabilitiesTimeout,
                    $"no CER within {node.Options.CapabilitiesTimeout}");
                Close(DiameterCloseReason.CapabilitiesTimeout);
                return;
            }
            var interval = node.Options.WatchdogInterval;
            if (inFlight.CurrentCount == 0)
            {
                // Reading is paused for back-pressure: the peer's messages (its DWA too) wait unread in the socket, so
                // silence says nothing about the peer. Look again after another interval.
                Volatile.Write(ref watchdogOutstanding, 0);
                timer?.Change(interval, Timeout.InfiniteTimeSpan);
                return;
            }
            var idle = node.Time.GetElapsedTime(Volatile.Read(ref lastReceived));
            if (idle < interval)
            {
                Volatile.Write(ref watchdogOutstanding, 0);
                timer?.Change(interval - idle, Timeout.InfiniteTimeSpan);
                return;
            }
            if (Interlocked.Exchange(ref watchdogOutstanding, 1) == 1)
            {
                DiameterLog.WatchdogTimeout(node.Logger, OriginHost, Remote, interval);
                Close(DiameterCloseReason.WatchdogTimeout);
                return;
            }
            timer?.Change(interval, Timeout.InfiniteTimeSpan);
            var dwr = DiameterMessage.CreateRequest(DiameterCommands.DeviceWatchdog, DiameterApplications.Common, proxiable: false);
            dwr.Avps.Add(Avp.OfString(AvpCodes.OriginHost, node.Options.OriginHost));
            dwr.Avps.Add(Avp.OfString(AvpCodes.OriginRealm, node.Options.OriginRealm));
            dwr.Avps.Add(Avp.OfUInt32(AvpCodes.OriginStateId, node.OriginStateId));
            Send(dwr); // the DWA is matched (and dropped) by its hop-by-hop id
        }
        catch (ObjectDisposedException)
        {
            // the timer was disposed as the connection closed
        }
        catch (Exception e)
        {
            DiameterLog.Unexpected(node.Logger, Remote, e);
        }
    }

    private static IPEndPoint Unmap(IPEndPoint endPoint) =>
        endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;

    public override string ToString() => $"{(OriginHost.Length > 0 ? OriginHost : "(no CER yet)")} at {Remote}";
}
