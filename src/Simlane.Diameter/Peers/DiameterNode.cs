using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Simlane.Diameter.Codec;

namespace Simlane.Diameter.Peers;

/// <summary>
/// A Diameter server node (RFC 6733): listens on TCP, runs each connection's capabilities exchange, watchdog and
/// disconnect, and hands every request of an advertised application to <see cref="IDiameterApplication"/>.
/// <para>
/// Peers connect to us; we never connect out. A CER is accepted from an Origin-Host of
/// <see cref="DiameterNodeOptions.AllowedPeers"/> (from its address, when one is configured) that shares an
/// application. When an Origin-Host that already has an open connection completes a new CER, the newer connection
/// replaces the older one: the older is closed and reported down first. This stands in for RFC 6733 5.6.4's election,
/// which only matters between two nodes that both initiate connections.
/// </para>
/// <para>No input from a peer stops the listener: every failure closes or answers on that one connection, and is
/// counted in <see cref="Metrics"/>.</para>
/// </summary>
public sealed class DiameterNode : IAsyncDisposable
{
    private readonly ConcurrentDictionary<DiameterPeerConnection, Task> connections = new();
    private readonly Dictionary<string, DiameterPeerConnection> openPeers = new(StringComparer.OrdinalIgnoreCase);
    private readonly CancellationTokenSource stopping = new();
    private readonly bool ownsMetrics;
    private Socket? listener;
    private Task acceptLoop = Task.CompletedTask;
    private int hopByHop;
    private int endToEnd;
    private int disposed;

    public DiameterNode(DiameterNodeOptions options, IDiameterApplication application, TimeProvider time, ILogger<DiameterNode>? logger = null,
        DiameterMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(application);
        ArgumentNullException.ThrowIfNull(time);
        options.Validate();
        Options = options;
        Application = application;
        Time = time;
        Logger = (ILogger?)logger ?? NullLogger.Instance;
        ownsMetrics = metrics is null;
        Metrics = metrics ?? new DiameterMetrics();
        // Origin-State-Id: the start time, so that peers see a restart (RFC 6733 8.16).
        uint now = unchecked((uint)time.GetUtcNow().ToUnixTimeSeconds());
        OriginStateId = now;
        // End-to-end ids: the low 12 bits of the time in the high bits, then a random count (RFC 6733 3).
        endToEnd = unchecked((int)(((now & 0xFFF) << 20) | (uint)RandomNumberGenerator.GetInt32(1 << 20)));
        hopByHop = RandomNumberGenerator.GetInt32(int.MaxValue);
    }

    public DiameterMetrics Metrics { get; }

    /// <summary>The Origin-State-Id this node sends in CEA, DWA, DWR and DPR.</summary>
    public uint OriginStateId { get; }

    internal DiameterNodeOptions Options { get; }

    internal IDiameterApplication Application { get; }

    internal TimeProvider Time { get; }

    internal ILogger Logger { get; }

    /// <summary>The bound endpoint (its port is the real one when 0 was asked for).</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)(listener ?? throw new InvalidOperationException("The Diameter node is not started.")).LocalEndPoint!;

    /// <summary>The open connections (capabilities exchanged, not closed), one per Origin-Host.</summary>
    public IReadOnlyCollection<DiameterPeerConnection> Peers
    {
        get
        {
            lock (openPeers)
            {
                return openPeers.Values.Where(p => p.IsOpen).ToArray();
            }
        }
    }

    /// <summary>The open connection of this Origin-Host (case-insensitive), or null.</summary>
    public DiameterPeerConnection? FindPeer(string originHost)
    {
        ArgumentNullException.ThrowIfNull(originHost);
        lock (openPeers)
        {
            return openPeers.TryGetValue(originHost, out var peer) && peer.IsOpen ? peer : null;
        }
    }

    /// <summary>Binds and listens (throws <see cref="SocketException"/> if the port is taken) and starts accepting.</summary>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        if (listener is not null)
        {
            throw new InvalidOperationException("The Diameter node is already started.");
        }
        var socket = new Socket(Options.BindAddress.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (Options.BindAddress.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }
            socket.Bind(new IPEndPoint(Options.BindAddress, Options.Port));
            socket.Listen(512);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        listener = socket;
        acceptLoop = AcceptLoopAsync(socket);
        DiameterLog.Started(Logger, LocalEndPoint, Options.OriginHost, Options.OriginRealm, Options.AllowedPeers.Count);
    }

    private async Task AcceptLoopAsync(Socket socket)
    {
        await Task.Yield();
        var token = stopping.Token;
        while (!token.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await socket.AcceptAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (ObjectDisposedException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException e) when (!token.IsCancellationRequested)
            {
                // e.g. a connection reset before it was accepted, or out of file descriptors: pause briefly, go on.
                DiameterLog.AcceptFailed(Logger, e.SocketErrorCode.ToString());
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(50), Time, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                continue;
            }
            catch (Exception e) when (!token.IsCancellationRequested)
            {
                DiameterLog.AcceptFailed(Logger, e.GetType().Name);
                continue;
            }
            StartConnection(client);
        }
    }

    private void StartConnection(Socket client)
    {
        DiameterPeerConnection connection;
        try
        {
            client.NoDelay = true;
            connection = new DiameterPeerConnection(this, client);
        }
        catch (Exception e)
        {
            // The socket died between accept and here (no remote endpoint any more).
            client.Dispose();
            DiameterLog.AcceptFailed(Logger, e.GetType().Name);
            return;
        }
        Metrics.ConnectionAccepted();
        var run = connection.RunAsync();
        connections[connection] = run;
        _ = run.ContinueWith(_ => connections.TryRemove(connection, out Task? _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    internal bool ServesApplication(uint applicationId)
    {
        foreach (var id in Options.AuthApplicationIds)
        {
            if (id == applicationId)
            {
                return true;
            }
        }
        return false;
    }

    internal uint NextHopByHopId() => unchecked((uint)Interlocked.Increment(ref hopByHop));

    internal uint NextEndToEndId() => unchecked((uint)Interlocked.Increment(ref endToEnd));

    /// <summary>A connection finished its CER: it becomes the Origin-Host's connection, replacing an older one.</summary>
    internal void PeerOpened(DiameterPeerConnection connection)
    {
        DiameterPeerConnection? older;
        lock (openPeers)
        {
            openPeers.TryGetValue(connection.OriginHost, out older);
            openPeers[connection.OriginHost] = connection;
        }
        if (older is not null && !ReferenceEquals(older, connection))
        {
            DiameterLog.Replaced(Logger, connection.OriginHost, connection.Remote);
            older.Close(DiameterCloseReason.Replaced);
            NotifyDown(older);
        }
        try
        {
            Application.PeerUp(connection);
        }
        catch (Exception e)
        {
            DiameterLog.CallbackFailed(Logger, nameof(IDiameterApplication.PeerUp), connection.OriginHost, e);
        }
    }

    /// <summary>An open connection closed: forget it (unless a newer one took its place) and report it down once.</summary>
    internal void PeerClosed(DiameterPeerConnection connection)
    {
        lock (openPeers)
        {
            if (openPeers.TryGetValue(connection.OriginHost, out var current) && ReferenceEquals(current, connection))
            {
                openPeers.Remove(connection.OriginHost);
            }
        }
        NotifyDown(connection);
    }

    private void NotifyDown(DiameterPeerConnection connection)
    {
        if (!connection.MarkDown())
        {
            return;
        }
        try
        {
            Application.PeerDown(connection);
        }
        catch (Exception e)
        {
            DiameterLog.CallbackFailed(Logger, nameof(IDiameterApplication.PeerDown), connection.OriginHost, e);
        }
    }

    /// <summary>
    /// Stops accepting, sends a DPR (Disconnect-Cause REBOOTING) to every open peer and waits up to
    /// <see cref="DiameterNodeOptions.DisconnectTimeout"/> for its DPA, then closes every connection.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }
        await stopping.CancelAsync().ConfigureAwait(false);
        listener?.Dispose();
        await acceptLoop.ConfigureAwait(false);
        var all = connections.ToArray();
        await Task.WhenAll(all.Select(c => c.Key.DisconnectAsync())).ConfigureAwait(false);
        await Task.WhenAll(all.Select(c => c.Value)).ConfigureAwait(false);
        if (ownsMetrics)
        {
            Metrics.Dispose(); // the Snapshot totals stay readable
        }
        stopping.Dispose();
    }
}
