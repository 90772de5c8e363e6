using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Simlane.Diameter.Codec;

namespace Simlane.LoadGen;

/// <summary>
/// The load generator's one Diameter connection, as the Gy peer <see cref="DiameterLoad.PeerHost"/>: CER/CEA, then
/// Credit-Control-Requests for sessions <c>0 … sessions-1</c> (Session-Id <c>loadgen.example;RUN;i</c>, the IMSI of seeded
/// SIM i). One writer task sends whatever has queued up in one socket write; one reader task splits the stream with
/// <see cref="DiameterFraming"/>, matches answers by hop-by-hop id and answers the server's DWR (and DPR).
/// <para>
/// Requests in flight live in slots; a request's hop-by-hop id is its slot index in the low <see cref="SlotBits"/> bits
/// and the slot's use count above, so an answer finds its slot without a lookup and a late answer to a timed-out request
/// (the slot since reused) is recognised. A session has at most one request in flight, also after a timeout: it stays
/// busy until its late answer arrives (found by its Session-Id). CCR-Updates are per-session templates encoded once with
/// the codec; a send patches the ids and CC-Request-Number and copies the bytes to the writer.
/// </para>
/// </summary>
internal sealed class GyConnection : IAsyncDisposable
{
    public static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(5);
    private const int SlotBits = 14;

    /// <summary>The most requests in flight at once (the slots).</summary>
    public const int MaxInFlight = 1 << SlotBits;

    private const uint SlotMask = MaxInFlight - 1;
    private const uint UseMask = uint.MaxValue >> SlotBits;
    private const int MaxMessageLength = 1 << 20;
    private const string ServiceContext = "32251@3gpp.org";
    private const uint MultipleServicesSupported = 1;
    private const ulong UsedInputOctets = 100_000;
    private const ulong UsedOutputOctets = 900_000;

    private const byte Idle = 0;
    private const byte Busy = 1;
    private const byte Unusable = 2;

    private readonly Socket socket;
    private readonly PipeReader reader;
    private readonly Outbox outbox;
    private readonly CancellationTokenSource stopping = new();
    private readonly Lock gate = new();
    private readonly string runId;
    private readonly int sessions;
    private readonly Slot[] slots = new Slot[MaxInFlight];
    private readonly Stack<int> freeSlots = new(MaxInFlight);
    private readonly byte[] sessionState;

    /// <summary>The sessions with nothing in flight, in the order they became free: taking the first is round-robin over them, in O(1).</summary>
    private readonly Queue<int> idleSessions;
    private readonly uint[] nextNumber;
    private readonly TaskCompletionSource<DiameterMessage> capabilitiesAnswer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource disconnectAnswer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Template[] updates = [];
    private int highestSlot = -1;
    private uint endToEnd;
    private PhaseState? phase;
    private Exception? failure;
    private Task readLoop = Task.CompletedTask;
    private Task writeLoop = Task.CompletedTask;

    private GyConnection(Socket socket, string runId, int sessions)
    {
        this.socket = socket;
        this.runId = runId;
        this.sessions = sessions;
        sessionState = new byte[sessions];
        idleSessions = new Queue<int>(sessions);
        nextNumber = new uint[sessions];
        for (var i = MaxInFlight - 1; i >= 0; i--)
        {
            freeSlots.Push(i); // slot 0 first: a small window uses the first slots only, and the timeout scan stays short
        }

        var stream = new NetworkStream(socket, ownsSocket: false);
        reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 16 * 1024));
        outbox = new Outbox(socket);
        endToEnd = (uint)Random.Shared.Next();
    }

    /// <summary>The server's Origin-Host and Origin-Realm from its CEA (the realm is the CCRs' Destination-Realm).</summary>
    public string ServerHost { get; private set; } = "";

    public string ServerRealm { get; private set; } = "";

    /// <summary>Connects (retrying for 10 s while the port refuses), exchanges capabilities and builds the CCR-Update templates.</summary>
    public static async Task<GyConnection> ConnectAsync(IPEndPoint target, string runId, int sessions, CancellationToken cancellationToken)
    {
        var socket = await ConnectSocketAsync(target, cancellationToken);
        var connection = new GyConnection(socket, runId, sessions);
        try
        {
            connection.readLoop = Task.Run(connection.ReadLoopAsync, CancellationToken.None);
            connection.writeLoop = Task.Run(() => connection.outbox.RunAsync(connection.stopping.Token), CancellationToken.None);
            var local = ((IPEndPoint)socket.LocalEndPoint!).Address;
            var cer = DiameterMessage.CreateRequest(DiameterCommands.CapabilitiesExchange, DiameterApplications.Common, proxiable: false);
            cer.HopByHopId = uint.MaxValue;
            cer.EndToEndId = connection.endToEnd++;
            cer.Avps.Add(Avp.OfString(AvpCodes.OriginHost, DiameterLoad.PeerHost));
            cer.Avps.Add(Avp.OfString(AvpCodes.OriginRealm, DiameterLoad.PeerRealm));
            cer.Avps.Add(Avp.OfAddress(AvpCodes.HostIpAddress, local));
            cer.Avps.Add(Avp.OfUInt32(AvpCodes.VendorId, 0));
            cer.Avps.Add(Avp.OfString(AvpCodes.ProductName, "simlane-loadgen", mandatory: false));
            cer.Avps.Add(Avp.OfUInt32(AvpCodes.AuthApplicationId, DiameterApplications.CreditControl));
            connection.outbox.Write(cer.Encode());
            var cea = await connection.capabilitiesAnswer.Task.WaitAsync(AnswerTimeout, cancellationToken);
            if (cea.ResultCode != DiameterResultCodes.Success)
            {
                throw new InvalidOperationException(
                    $"the CEA from {target} says {cea.ResultCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "nothing"}, not 2001: {cea.Find(AvpCodes.ErrorMessage)?.GetString()}");
            }

            connection.ServerHost = cea.OriginHost ?? "";
            connection.ServerRealm = cea.OriginRealm ?? throw new InvalidOperationException("the CEA has no Origin-Realm");
            connection.updates = Enumerable.Range(0, sessions).Select(connection.UpdateTemplate).ToArray();
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static async Task<Socket> ConnectSocketAsync(IPEndPoint target, CancellationToken cancellationToken)
    {
        var trying = Stopwatch.StartNew();
        while (true)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(target, cancellationToken);
                return socket;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused && trying.Elapsed < TimeSpan.FromSeconds(10))
            {
                socket.Dispose();
                await Task.Delay(200, cancellationToken);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
    }

    // ---- messages ------------------------------------------------------------------------------------------------

    private string SessionId(int session) => $"{DiameterLoad.PeerHost};{runId};{session.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>A CCR for <paramref name="session"/>: MSCC with an empty Requested-Service-Unit, and for an update a Used-Service-Unit.</summary>
    private DiameterMessage Ccr(int session, uint requestType, uint requestNumber)
    {
        var ccr = DiameterMessage.CreateRequest(DiameterCommands.CreditControl, DiameterApplications.CreditControl);
        ccr.Avps.Add(Avp.OfString(AvpCodes.SessionId, SessionId(session)));
        ccr.Avps.Add(Avp.OfString(AvpCodes.OriginHost, DiameterLoad.PeerHost));
        ccr.Avps.Add(Avp.OfString(AvpCodes.OriginRealm, DiameterLoad.PeerRealm));
        ccr.Avps.Add(Avp.OfString(AvpCodes.DestinationRealm, ServerRealm));
        ccr.Avps.Add(Avp.OfUInt32(AvpCodes.AuthApplicationId, DiameterApplications.CreditControl));
        ccr.Avps.Add(Avp.OfString(AvpCodes.ServiceContextId, ServiceContext));
        ccr.Avps.Add(Avp.OfUInt32(AvpCodes.CcRequestType, requestType));
        ccr.Avps.Add(Avp.OfUInt32(AvpCodes.CcRequestNumber, requestNumber));
        ccr.Avps.Add(Avp.OfGrouped(AvpCodes.SubscriptionId,
            [Avp.OfUInt32(AvpCodes.SubscriptionIdType, SubscriptionIdTypes.EndUserImsi), Avp.OfString(AvpCodes.SubscriptionIdData, Seeder.Imsi(session))]));
        ccr.Avps.Add(Avp.OfUInt32(AvpCodes.MultipleServicesIndicator, MultipleServicesSupported));
        var mscc = new List<Avp> { Avp.OfGrouped(AvpCodes.RequestedServiceUnit, []) };
        if (requestType == CcRequestTypes.Update)
        {
            mscc.Add(Avp.OfGrouped(AvpCodes.UsedServiceUnit,
                [Avp.OfUInt64(AvpCodes.CcInputOctets, UsedInputOctets), Avp.OfUInt64(AvpCodes.CcOutputOctets, UsedOutputOctets)]));
        }

        ccr.Avps.Add(Avp.OfGrouped(AvpCodes.MultipleServicesCreditControl, mscc));
        return ccr;
    }

    /// <summary>The session's CCR-Update, encoded, and where its CC-Request-Number's value sits in the bytes.</summary>
    private Template UpdateTemplate(int session)
    {
        var bytes = Ccr(session, CcRequestTypes.Update, 0).Encode();
        // Decoding copies the bytes once and every AVP's payload is a slice of that copy, so its offset there is its offset here.
        var number = DiameterMessage.Decode(bytes).Message?.Find(AvpCodes.CcRequestNumber)
            ?? throw new InvalidOperationException("the CCR-Update template does not decode");
        return MemoryMarshal.TryGetArray(number.Data, out var segment) && segment.Count == 4
            ? new Template(bytes, segment.Offset)
            : throw new InvalidOperationException("the CC-Request-Number of the template is not where the codec says");
    }

    private readonly record struct Template(byte[] Bytes, int NumberAt);

    /// <summary>Queues session <paramref name="session"/>'s next request with hop-by-hop id <paramref name="hopByHop"/>.</summary>
    private void WriteRequest(GyPhaseKind kind, int session, uint hopByHop)
    {
        if (kind == GyPhaseKind.Initial)
        {
            var ccr = Ccr(session, CcRequestTypes.Initial, 0);
            ccr.HopByHopId = hopByHop;
            ccr.EndToEndId = endToEnd++;
            nextNumber[session] = 1;
            outbox.Write(ccr.Encode());
            return;
        }

        // Under the gate, and the session has nothing else in flight: the template is patched and copied before anyone else touches it.
        var template = updates[session];
        var bytes = template.Bytes.AsSpan();
        BinaryPrimitives.WriteUInt32BigEndian(bytes[12..], hopByHop);
        BinaryPrimitives.WriteUInt32BigEndian(bytes[16..], endToEnd++);
        BinaryPrimitives.WriteUInt32BigEndian(bytes[template.NumberAt..], nextNumber[session]++);
        outbox.Write(bytes);
    }

    // ---- phases --------------------------------------------------------------------------------------------------

    /// <summary>
    /// Runs one phase: <see cref="GyPhaseKind.Initial"/> until every session has been answered (or timed out);
    /// the others for <paramref name="warmup"/> plus <paramref name="seconds"/>, measuring the answers that arrive after the
    /// warm-up and by the end, then waiting (bounded by the answer timeout) for what is still in flight.
    /// </summary>
    public async Task<GyPhase> RunPhaseAsync(string target, string name, GyPhaseKind kind, int window, double rate, TimeSpan warmup, TimeSpan seconds,
        int? serverPid, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var state = new PhaseState(kind, window)
        {
            Start = start,
            WarmupEnd = start + Ticks(warmup),
            End = kind == GyPhaseKind.Initial ? long.MaxValue : start + Ticks(warmup + seconds),
        };
        lock (gate)
        {
            if (failure is not null)
            {
                throw new InvalidOperationException("the Diameter connection failed", failure);
            }

            phase = state;
            Refill(state, start);
            CheckDrained(state);
        }

        using var tickerStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var ticker = TickAsync(state, tickerStop.Token);
        var pacer = kind == GyPhaseKind.Paced ? PaceAsync(state, rate, tickerStop.Token) : Task.CompletedTask;
        try
        {
            if (kind != GyPhaseKind.Initial)
            {
                await Task.Delay(warmup, cancellationToken);
            }

            var (serverCpu, ownCpu, cpuFrom) = (Cpu(serverPid), Cpu(Environment.ProcessId), Stopwatch.GetTimestamp());
            double? serverCores = null, ownCores = null;
            void Sample()
            {
                var wall = Stopwatch.GetElapsedTime(cpuFrom).TotalSeconds;
                serverCores = Cpu(serverPid) - serverCpu is { } s ? s / wall : null;
                ownCores = Cpu(Environment.ProcessId) - ownCpu is { } o ? o / wall : null;
            }

            if (kind != GyPhaseKind.Initial)
            {
                await Task.Delay(seconds, cancellationToken);
                Sample();
            }

            await state.Drained.Task.WaitAsync(cancellationToken);
            if (kind == GyPhaseKind.Initial)
            {
                Sample();
            }

            lock (gate)
            {
                phase = null;
                var measured = kind == GyPhaseKind.Initial ? Stopwatch.GetElapsedTime(start, state.LastAnswer).TotalSeconds : seconds.TotalSeconds;
                return new GyPhase(target, name, Math.Max(measured, 0.001), state.Answers, state.Latencies, state.NotSuccess, state.Timeouts, state.Unsent,
                    state.Late, serverCores, ownCores, state.ResultCodes);
            }
        }
        finally
        {
            await tickerStop.CancelAsync();
            await Task.WhenAll(ticker, pacer);
        }
    }

    private static double? Cpu(int? pid) => pid is { } p ? BenchMachine.CpuSeconds(p) : null;

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    /// <summary>Every 20 ms: times out requests unanswered for <see cref="AnswerTimeout"/>, ends issuing at the end, fills free window places.</summary>
    private async Task TickAsync(PhaseState state, CancellationToken cancellationToken)
    {
        var timeout = Ticks(AnswerTimeout);
        while (!state.Drained.Task.IsCompleted)
        {
            try
            {
                await Task.Delay(20, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var now = Stopwatch.GetTimestamp();
            lock (gate)
            {
                for (var i = 0; i <= highestSlot; i++)
                {
                    ref var slot = ref slots[i];
                    if (slot.InFlight && now - slot.Sent > timeout)
                    {
                        slot.InFlight = false; // the session stays busy until its late answer
                        freeSlots.Push(i);
                        state.InFlight--;
                        state.Timeouts++;
                    }
                }

                Refill(state, now);
                CheckDrained(state);
            }
        }
    }

    /// <summary>The open loop: request k is due at start + k / rate and is sent then, answered or not.</summary>
    private async Task PaceAsync(PhaseState state, double rate, CancellationToken cancellationToken)
    {
        long sent = 0;
        var spacing = Stopwatch.Frequency / rate;
        while (true)
        {
            var now = Stopwatch.GetTimestamp();
            lock (gate)
            {
                if (now >= state.End)
                {
                    state.Issuing = false;
                    CheckDrained(state);
                    return;
                }

                var due = (long)((now - state.Start) / spacing);
                for (; sent <= due; sent++)
                {
                    if (!TryIssue(state, state.Start + (long)(sent * spacing)))
                    {
                        state.Unsent++;
                    }
                }
            }

            try
            {
                await Task.Delay(1, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Closed loop and initial: keeps the window full while the phase issues (under the gate).</summary>
    private void Refill(PhaseState state, long now)
    {
        if (state.Kind == GyPhaseKind.Paced || !state.Issuing)
        {
            return;
        }

        if (now >= state.End)
        {
            state.Issuing = false;
            return;
        }

        while (state.InFlight < state.Window && TryIssue(state, now))
        {
        }
    }

    /// <summary>Sends the next request of the phase in a free slot (under the gate); false when no slot or no idle session is free.</summary>
    private bool TryIssue(PhaseState state, long sentAt)
    {
        if (failure is not null || freeSlots.Count == 0)
        {
            return false;
        }

        int session;
        if (state.Kind == GyPhaseKind.Initial)
        {
            if (state.NextInitial >= sessions)
            {
                state.Issuing = false;
                return false;
            }

            session = state.NextInitial++;
        }
        else if (!idleSessions.TryDequeue(out session))
        {
            return false;
        }

        if (sessionState[session] != Idle)
        {
            throw new InvalidOperationException($"session {session} would have two requests in flight"); // never: only idle sessions are queued
        }

        var index = freeSlots.Pop();
        highestSlot = Math.Max(highestSlot, index);
        ref var slot = ref slots[index];
        slot.Uses = (slot.Uses + 1) & UseMask;
        slot.HopByHop = (slot.Uses << SlotBits) | (uint)index;
        slot.Sent = sentAt;
        slot.Session = session;
        slot.InFlight = true;
        sessionState[session] = Busy;
        state.InFlight++;
        WriteRequest(state.Kind, session, slot.HopByHop);
        return true;
    }

    private static void CheckDrained(PhaseState state)
    {
        if (!state.Issuing && state.InFlight == 0)
        {
            state.Drained.TrySetResult();
        }
    }

    /// <summary>A Credit-Control-Answer arrived (under the gate).</summary>
    private void Complete(DiameterMessage answer, uint resultCode, long now)
    {
        var index = (int)(answer.HopByHopId & SlotMask);
        ref var slot = ref slots[index];
        var state = phase;
        if (!slot.InFlight || slot.HopByHop != answer.HopByHopId || state is null)
        {
            // Late: its request timed out (and was counted then). Its session may have requests again.
            if (state is not null)
            {
                state.Late++;
            }

            // A busy session has no other request in flight (a timeout leaves it busy), so this answer frees it: for
            // updates again, unless it is the refusal of its CCR-Initial.
            var id = answer.SessionId;
            var prefix = SessionId(0)[..^1];
            if (id is not null && id.StartsWith(prefix, StringComparison.Ordinal)
                && int.TryParse(id.AsSpan(prefix.Length), System.Globalization.CultureInfo.InvariantCulture, out var late) && late >= 0 && late < sessions
                && sessionState[late] == Busy)
            {
                var initial = answer.Find(AvpCodes.CcRequestType) is { Data.Length: 4 } type && type.GetUInt32() == CcRequestTypes.Initial;
                Release(late, resultCode == DiameterResultCodes.Success || !initial);
            }

            return;
        }

        slot.InFlight = false;
        freeSlots.Push(index);
        state.InFlight--;
        var ok = resultCode == DiameterResultCodes.Success;
        Release(slot.Session, ok || state.Kind != GyPhaseKind.Initial);
        if (ok)
        {
            if (now >= state.WarmupEnd && now <= state.End)
            {
                state.Answers++;
                state.Latencies.Record(now - slot.Sent);
                state.LastAnswer = now;
            }
        }
        else
        {
            state.NotSuccess++;
            state.ResultCodes[resultCode] = state.ResultCodes.GetValueOrDefault(resultCode) + 1;
        }

        if (state.Kind != GyPhaseKind.Paced)
        {
            Refill(state, now);
        }

        CheckDrained(state);
    }

    /// <summary>A busy session's request was answered: it may have the next one (at the back of the queue), or never again.</summary>
    private void Release(int session, bool usable)
    {
        sessionState[session] = usable ? Idle : Unusable;
        if (usable)
        {
            idleSessions.Enqueue(session);
        }
    }

    private sealed class PhaseState(GyPhaseKind kind, int window)
    {
        public GyPhaseKind Kind { get; } = kind;

        public int Window { get; } = window;

        public long Start { get; init; }

        public long WarmupEnd { get; init; }

        public long End { get; init; }

        public bool Issuing { get; set; } = true;

        public int InFlight { get; set; }

        public int NextInitial { get; set; }

        public long Answers { get; set; }

        public long LastAnswer { get; set; }

        public long NotSuccess { get; set; }

        public long Timeouts { get; set; }

        public long Unsent { get; set; }

        public long Late { get; set; }

        public LatencyHistogram Latencies { get; } = new();

        public Dictionary<uint, long> ResultCodes { get; } = [];

        public TaskCompletionSource Drained { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private struct Slot
    {
        public uint Uses;
        public uint HopByHop;
        public long Sent;
        public int Session;
        public bool InFlight;
    }

    // ---- reading -------------------------------------------------------------------------------------------------

    private async Task ReadLoopAsync()
    {
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(stopping.Token);
                var buffer = result.Buffer;
                while (true)
                {
                    var status = DiameterFraming.TryReadFrame(buffer, MaxMessageLength, out var frame, out var error);
                    if (status == FrameStatus.NeedMore)
                    {
                        break;
                    }

                    if (status == FrameStatus.Fatal)
                    {
                        throw new InvalidDataException($"the server sent a frame that cannot be read: {error}");
                    }

                    Handle(frame.IsSingleSegment ? DiameterMessage.Decode(frame.FirstSpan) : DiameterMessage.Decode(frame.ToArray()));
                    buffer = buffer.Slice(frame.End);
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    throw new IOException("the server closed the Diameter connection");
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is IOException or SocketException or InvalidDataException or ObjectDisposedException)
        {
            Fail(e);
        }
    }

    private void Handle(DiameterDecodeResult decoded)
    {
        if (!decoded.IsSuccess)
        {
            throw new InvalidDataException($"the server sent a message that does not decode: {decoded.ResultCode} {decoded.Error}");
        }

        var message = decoded.Message;
        if (message.IsRequest)
        {
            AnswerServerRequest(message);
            return;
        }

        switch (message.CommandCode)
        {
            case DiameterCommands.CapabilitiesExchange:
                capabilitiesAnswer.TrySetResult(message);
                return;
            case DiameterCommands.DisconnectPeer:
                disconnectAnswer.TrySetResult();
                return;
        }

        uint resultCode;
        try
        {
            resultCode = message.ResultCode ?? 0;
        }
        catch (DiameterAvpException)
        {
            resultCode = 0;
        }

        var now = Stopwatch.GetTimestamp();
        lock (gate)
        {
            Complete(message, resultCode, now);
        }
    }

    /// <summary>DWR and DPR are answered 2001 (a DPR then closes the connection, failing the phase); anything else 3001.</summary>
    private void AnswerServerRequest(DiameterMessage request)
    {
        var known = request.CommandCode is DiameterCommands.DeviceWatchdog or DiameterCommands.DisconnectPeer;
        var answer = DiameterMessage.CreateAnswer(request, known ? DiameterResultCodes.Success : DiameterResultCodes.CommandUnsupported,
            DiameterLoad.PeerHost, DiameterLoad.PeerRealm);
        outbox.Write(answer.Encode());
        if (!known)
        {
            Console.WriteLine($"the server sent a {request.Name}; answered 3001");
        }
    }

    private void Fail(Exception e)
    {
        PhaseState? state;
        lock (gate)
        {
            failure ??= e;
            state = phase;
        }

        capabilitiesAnswer.TrySetException(e);
        state?.Drained.TrySetException(new InvalidOperationException("the Diameter connection failed", e));
    }

    // ---- closing -------------------------------------------------------------------------------------------------

    /// <summary>Sends a DPR (DO_NOT_WANT_TO_TALK_TO_YOU) and waits up to a second for the DPA.</summary>
    public async Task DisconnectAsync()
    {
        var dpr = DiameterMessage.CreateRequest(DiameterCommands.DisconnectPeer, DiameterApplications.Common, proxiable: false);
        dpr.HopByHopId = uint.MaxValue - 1;
        lock (gate)
        {
            dpr.EndToEndId = endToEnd++;
        }

        dpr.Avps.Add(Avp.OfString(AvpCodes.OriginHost, DiameterLoad.PeerHost));
        dpr.Avps.Add(Avp.OfString(AvpCodes.OriginRealm, DiameterLoad.PeerRealm));
        dpr.Avps.Add(Avp.OfUInt32(AvpCodes.DisconnectCause, DisconnectCauses.DoNotWantToTalkToYou));
        outbox.Write(dpr.Encode());
        await Task.WhenAny(disconnectAnswer.Task, Task.Delay(TimeSpan.FromSeconds(1)));
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }

        socket.Dispose();
        await Task.WhenAll(readLoop, writeLoop).ContinueWith(_ => { }, TaskScheduler.Default);
        await reader.CompleteAsync();
        outbox.Dispose();
        stopping.Dispose();
    }

    /// <summary>
    /// What is to be sent: writers copy their message into one buffer under a lock; the writer task swaps it for its spare
    /// and sends everything queued since its last write in one call.
    /// </summary>
    private sealed class Outbox(Socket socket) : IDisposable
    {
        private readonly Lock sync = new();
        private readonly SemaphoreSlim signal = new(0);
        private byte[] pending = new byte[256 * 1024];
        private byte[] sending = new byte[256 * 1024];
        private int length;
        private bool signalled;

        public void Write(ReadOnlySpan<byte> message)
        {
            lock (sync)
            {
                if (pending.Length - length < message.Length)
                {
                    Array.Resize(ref pending, Math.Max(pending.Length * 2, length + message.Length));
                }

                message.CopyTo(pending.AsSpan(length));
                length += message.Length;
                if (!signalled)
                {
                    signalled = true;
                    signal.Release();
                }
            }
        }

        public void Dispose() => signal.Dispose();

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            try
            {
                while (true)
                {
                    await signal.WaitAsync(cancellationToken);
                    int count;
                    lock (sync)
                    {
                        (pending, sending) = (sending, pending);
                        count = length;
                        length = 0;
                        signalled = false;
                    }

                    for (var sent = 0; sent < count;)
                    {
                        sent += await socket.SendAsync(sending.AsMemory(sent, count - sent), SocketFlags.None, cancellationToken);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // The reader sees the connection end and fails the phase.
            }
        }
    }
}
