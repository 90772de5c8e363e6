using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Simlane.Radius.Clients;
using Simlane.Radius.Server;

namespace Simlane.Server.Radius;

/// <summary>
/// Runs the RADIUS listener inside simlane-server (docs/radius.md) when at least one client is configured; with none,
/// no socket is opened. A port that is taken or an address that cannot be bound stops the server at start, naming both.
/// </summary>
public sealed partial class RadiusService(
    IOptions<RadiusOptions> options, RadiusClientTable clients, RadiusRequestHandler handler, RadiusAccounting accounting,
    RadiusMetrics metrics, RadiusEndpoints endpoints, TimeProvider clock, ILogger<RadiusListener> listenerLogger, ILogger<RadiusService> logger)
    : IHostedService, IAsyncDisposable
{
    private RadiusListener? listener;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var radius = options.Value;
        if (!radius.Enabled)
        {
            LogOff(logger);
            return Task.CompletedTask;
        }

        var settings = new RadiusListenerOptions { BindAddress = radius.BindAddress(), AuthPort = radius.AuthPort, AcctPort = radius.AcctPort };
        var started = new RadiusListener(clients, handler, settings, clock, listenerLogger, metrics);
        try
        {
            started.Start();
        }
        catch (SocketException e)
        {
            throw new InvalidOperationException(
                $"RADIUS cannot listen on {radius.Bind} (auth port {radius.AuthPort}, accounting port {radius.AcctPort}; --radius-bind, --radius-auth-port, "
                + $"--radius-acct-port): {e.SocketErrorCode}: {e.Message}", e);
        }

        listener = started;
        endpoints.Auth = started.AuthEndPoint;
        endpoints.Acct = started.AcctEndPoint;
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        if (listener is { } running)
        {
            listener = null;
            await running.DisposeAsync();
        }

        await accounting.DisposeAsync();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "RADIUS off: no client configured (--radius-client)")]
    private static partial void LogOff(ILogger logger);
}
