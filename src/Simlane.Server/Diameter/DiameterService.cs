using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Simlane.Diameter.Codec;
using Simlane.Diameter.Peers;

namespace Simlane.Server.Diameter;

/// <summary>
/// Runs the Diameter node inside simlane-server (docs/diameter.md) when at least one peer is configured; with none, no
/// socket is opened. A port that is taken or an address that cannot be bound stops the server at start, naming both.
/// Also the sender of the Re-Auth-Requests the delivery worker owes Gy peers (<see cref="SendReAuthAsync"/>).
/// </summary>
public sealed partial class DiameterService(
    IOptions<DiameterOptions> options, GyApplication application, GyCreditControl creditControl, DiameterMetrics metrics,
    TimeProvider clock, ILogger<DiameterNode> nodeLogger, ILogger<DiameterService> logger)
    : IHostedService, IAsyncDisposable
{
    private const uint AuthorizeOnly = 0;

    private DiameterNode? node;

    /// <summary>Where the node listens (the bound port when configured with 0); null while it is off.</summary>
    public IPEndPoint? LocalEndPoint => node?.LocalEndPoint;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var diameter = options.Value;
        if (!diameter.Enabled)
        {
            LogOff(logger);
            return Task.CompletedTask;
        }

        var started = new DiameterNode(diameter.NodeOptions(), application, clock, nodeLogger, metrics);
        try
        {
            started.Start();
        }
        catch (SocketException e)
        {
            throw new InvalidOperationException(
                $"Diameter cannot listen on {diameter.Bind} port {diameter.Port} (--diameter-bind, --diameter-port): {e.SocketErrorCode}: {e.Message}", e);
        }

        node = started;
        foreach (var peer in diameter.PeerEntries().Where(p => p.Address is null))
        {
            LogAnyAddress(logger, peer.OriginHost);
        }
        return Task.CompletedTask;
    }

    /// <summary>The outcome of one Re-Auth-Request attempt: the answer's Result-Code, or null with why there was none.</summary>
    public readonly record struct ReAuthResult(uint? ResultCode, string? Error);

    /// <summary>
    /// Sends a Re-Auth-Request (RFC 4006 5.5, AUTHORIZE_ONLY) for <paramref name="sessionId"/> on the open connection of
    /// <paramref name="peerHost"/> and waits for its answer up to the configured timeout.
    /// </summary>
    public async Task<ReAuthResult> SendReAuthAsync(string peerHost, string sessionId, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (node is not { } running)
        {
            return new ReAuthResult(null, "Diameter is off on this server (no --diameter-peer)");
        }

        if (running.FindPeer(peerHost) is not { } peer)
        {
            return new ReAuthResult(null, $"Diameter peer {peerHost} is not connected");
        }

        var request = new DiameterMessage
        {
            CommandCode = DiameterCommands.ReAuth,
            ApplicationId = DiameterApplications.CreditControl,
            IsRequest = true,
            IsProxiable = true,
        };
        request.Avps.Add(Avp.OfString(AvpCodes.SessionId, sessionId));
        request.Avps.Add(Avp.OfString(AvpCodes.OriginHost, settings.OriginHost));
        request.Avps.Add(Avp.OfString(AvpCodes.OriginRealm, settings.OriginRealm));
        request.Avps.Add(Avp.OfString(AvpCodes.DestinationRealm, peer.OriginRealm));
        request.Avps.Add(Avp.OfString(AvpCodes.DestinationHost, peer.OriginHost));
        request.Avps.Add(Avp.OfUInt32(AvpCodes.AuthApplicationId, DiameterApplications.CreditControl));
        request.Avps.Add(Avp.OfUInt32(AvpCodes.ReAuthRequestType, AuthorizeOnly));
        var answer = await peer.SendRequestAsync(request, TimeSpan.FromMilliseconds(settings.ReAuthTimeoutMilliseconds), cancellationToken);
        if (answer is null)
        {
            return new ReAuthResult(null, $"No Re-Auth-Answer from Diameter peer {peerHost} within {settings.ReAuthTimeoutMilliseconds} ms");
        }

        return answer.ResultCode is { } code ? new ReAuthResult(code, null) : new ReAuthResult(null, $"Re-Auth-Answer from {peerHost} without Result-Code");
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        if (node is { } running)
        {
            node = null;
            await running.DisposeAsync();
        }

        await creditControl.DisposeAsync();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Diameter off: no peer configured (--diameter-peer)")]
    private static partial void LogOff(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Diameter peer {OriginHost} is accepted from any address: name its address (--diameter-peer {OriginHost}=ADDRESS) so that no other host can claim its identity")]
    private static partial void LogAnyAddress(ILogger logger, string originHost);

}
