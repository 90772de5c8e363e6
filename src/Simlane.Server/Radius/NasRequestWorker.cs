using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Simlane.Core.Actions;
using Simlane.Radius.Clients;
using Simlane.Radius.Codec;
using Simlane.Radius.DynamicAuthorization;
using Simlane.Server.Diameter;
using Simlane.Server.Infrastructure;
using Simlane.Storage;

namespace Simlane.Server.Radius;

/// <summary>
/// Delivers the Disconnect-Requests and CoA-Requests (RFC 5176, docs/radius.md "Dynamic authorization") and the Diameter
/// Re-Auth-Requests (RFC 4006 5.5, docs/diameter.md "Enforcement") staged in <c>nas_requests</c>: every pending request
/// whose next attempt is due by the server's clock is claimed, sent once (with <see cref="DynamicAuthorizationClient"/>,
/// which retransmits within the attempt, or on the Gy peer's connection through <see cref="DiameterService"/>) and its
/// outcome recorded: acked, nak (with its Error-Cause or Result-Code), or, with no answer (for a Re-Auth also: the peer is
/// not connected to this server), attempted again after a backoff until its deadline, then failed.
/// <para>
/// Claiming: one conditional update per row moves its next attempt past the attempt's longest duration (a lease) and
/// counts the attempt, only if the row is still pending with the next attempt this worker read; so two workers (also in
/// two servers on one PostgreSQL) never send the same attempt, and a server killed mid-attempt leaves the row to be
/// attempted again once that lease has passed. The outcome is written only while the row is still pending with that
/// attempt count (a request superseded meanwhile stays superseded).
/// </para>
/// </summary>
public sealed partial class NasRequestWorker(
    IServiceScopeFactory scopes,
    TimeProvider clock,
    RadiusClientTable clients,
    DynamicAuthorizationClient client,
    IOptions<RadiusOptions> options,
    DiameterService diameter,
    IOptions<DiameterOptions> diameterOptions,
    ILogger<NasRequestWorker> logger) : ClaimingWorker<NasRequest>(clock, Parallelism, IdleDelay)
{
    public const int BatchSize = 50;
    public const int Parallelism = 16;
    public static readonly TimeSpan IdleDelay = TimeSpan.FromSeconds(30);

    private readonly RadiusOptions settings = options.Value;

    private readonly DeliveryPolicy backoff = new(
        InitialBackoffSeconds: options.Value.DynamicAuthorizationInitialBackoffSeconds,
        MaxBackoffSeconds: options.Value.DynamicAuthorizationMaxBackoffSeconds);

    /// <summary>The longest an attempt can take (every transmission's wait) plus a margin: how far a claim moves the next attempt.</summary>
    public long LeaseMs
    {
        get
        {
            var retry = settings.AttemptRetry();
            var wait = retry.InitialTimeout;
            var total = TimeSpan.Zero;
            for (var i = 0; i < retry.MaxTransmissions; i++)
            {
                total += wait;
                wait = wait * 2 > retry.MaxTimeout ? retry.MaxTimeout : wait * 2;
            }

            var reAuth = TimeSpan.FromMilliseconds(diameterOptions.Value.ReAuthTimeoutMilliseconds);
            return (long)((total > reAuth ? total : reAuth) + TimeSpan.FromSeconds(10)).TotalMilliseconds;
        }
    }

    protected override async Task<long?> NextClaimableAsync(CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SimlaneDb>();
        return await db.NasRequests.AsNoTracking().Where(r => r.State == NasRequestStates.Pending)
            .MinAsync(r => (long?)r.NextAttemptTime, cancellationToken);
    }

    protected override void OnRoundFailed(Exception exception) => LogLoopFailed(logger, exception);

    protected override async Task<List<NasRequest>> ClaimAsync(CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SimlaneDb>();
        var now = Clock.NowMs();
        var due = await db.NasRequests.AsNoTracking()
            .Where(r => r.State == NasRequestStates.Pending && r.NextAttemptTime <= now)
            .OrderBy(r => r.NextAttemptTime).ThenBy(r => r.Id).Select(r => new { r.Id, r.NextAttemptTime }).Take(BatchSize).ToListAsync(cancellationToken);
        if (due.Count == 0)
        {
            return [];
        }

        var lease = now + LeaseMs;
        var claimed = new List<long>();
        using (await db.EnterWriterGateAsync(priority: false, cancellationToken))
        {
            foreach (var row in due)
            {
                // Only if nobody claimed or changed it since it was read (the same next attempt, still pending).
                var won = await db.NasRequests
                    .Where(r => r.Id == row.Id && r.State == NasRequestStates.Pending && r.NextAttemptTime == row.NextAttemptTime)
                    .ExecuteUpdateAsync(s => s.SetProperty(r => r.NextAttemptTime, lease).SetProperty(r => r.Attempts, r => r.Attempts + 1), cancellationToken);
                if (won == 1)
                {
                    claimed.Add(row.Id);
                }
            }
        }

        return await db.NasRequests.AsNoTracking().Where(r => claimed.Contains(r.Id)).OrderBy(r => r.Id).ToListAsync(cancellationToken);
    }

    protected override async Task AttemptAsync(NasRequest request, CancellationToken cancellationToken)
    {
        if (request.Kind == NasRequestKinds.ReAuth)
        {
            await ReAuthAsync(request, cancellationToken);
            return;
        }

        var kind = request.Kind == NasRequestKinds.CoA ? DynamicAuthorizationKind.Coa : DynamicAuthorizationKind.Disconnect;
        Outcome outcome;
        if (!IPAddress.TryParse(request.NasAddress, out var nas) || clients.Find(nas) is not { } nasClient)
        {
            outcome = Outcome.Final(NasRequestStates.Failed, null, $"No RADIUS client covers the NAS address {request.NasAddress} any more");
        }
        else if (Attributes(request) is not { } attributes)
        {
            outcome = Outcome.Final(NasRequestStates.Failed, null, $"No rates are configured for speed class {request.SpeedClass} (Simlane:Radius:Rates)");
        }
        else
        {
            try
            {
                var result = await client.SendAsync(kind, nasClient, nas, attributes, settings.AttemptRetry(), cancellationToken);
                outcome = result.Outcome switch
                {
                    DynamicAuthorizationOutcome.Ack => Outcome.Final(NasRequestStates.Acked, null, null),
                    DynamicAuthorizationOutcome.Nak => Outcome.Final(NasRequestStates.Nak, result.ErrorCause is uint cause ? (int)cause : null,
                        result.ErrorCause is null ? "NAK without Error-Cause" : $"NAK: Error-Cause {result.ErrorCause} ({result.ErrorCauseName})"),
                    _ => Outcome.NoAnswer($"No answer from {nas}:{nasClient.CoaPort.ToString(CultureInfo.InvariantCulture)} after {result.Transmissions.ToString(CultureInfo.InvariantCulture)} transmission(s)"),
                };
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return; // shutting down: the claim's lease passes and the request is attempted again
            }
            catch (SocketException e)
            {
                outcome = Outcome.NoAnswer($"Could not send to {nas}:{nasClient.CoaPort.ToString(CultureInfo.InvariantCulture)}: {e.SocketErrorCode}");
            }
        }

        await RecordAsync(request, outcome, cancellationToken);
    }

    private async Task ReAuthAsync(NasRequest request, CancellationToken cancellationToken)
    {
        Outcome outcome;
        try
        {
            var result = await diameter.SendReAuthAsync(request.NasAddress, request.AcctSessionId, cancellationToken);
            outcome = result.ResultCode switch
            {
                null => Outcome.NoAnswer(result.Error!),
                Simlane.Diameter.Codec.DiameterResultCodes.Success => Outcome.Final(NasRequestStates.Acked, null, null),
                uint code => Outcome.Final(NasRequestStates.Nak, (int)code,
                    $"Re-Auth-Answer: Result-Code {code.ToString(CultureInfo.InvariantCulture)} ({Simlane.Diameter.Codec.DiameterResultCodeNames.Name(code)})"),
            };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return; // shutting down: the claim's lease passes and the request is attempted again
        }

        await RecordAsync(request, outcome, cancellationToken);
    }

    /// <summary>What identifies the session at the NAS (RFC 5176 3): Acct-Session-Id, User-Name, Framed-IP-Address; a CoA adds the rates. Null: a CoA with no rates to send.</summary>
    private List<RadiusAttributeValue>? Attributes(NasRequest request)
    {
        var attributes = new List<RadiusAttributeValue> { RadiusAttributeValue.Text(RadiusAttributes.AcctSessionId, request.AcctSessionId) };
        if (!string.IsNullOrEmpty(request.UserName))
        {
            attributes.Add(RadiusAttributeValue.Text(RadiusAttributes.UserName, request.UserName));
        }

        if (IPAddress.TryParse(request.FramedIpAddress, out var framed) && framed.AddressFamily == AddressFamily.InterNetwork)
        {
            attributes.Add(RadiusAttributeValue.Octets(RadiusAttributes.FramedIpAddress, framed.GetAddressBytes()));
        }

        if (request.Kind == NasRequestKinds.CoA)
        {
            var rates = settings.RateAttributes(request.SpeedClass);
            if (rates.Count == 0)
            {
                return null;
            }

            attributes.AddRange(rates);
        }

        return attributes;
    }

    private async Task RecordAsync(NasRequest request, Outcome outcome, CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SimlaneDb>();
        var now = Clock.NowMs();
        var (state, next, completed) = outcome.State is { } final
            ? (final, request.NextAttemptTime, (long?)now)
            : now >= request.Deadline
                ? (NasRequestStates.Failed, request.NextAttemptTime, now)
                : (NasRequestStates.Pending, Math.Min(request.Deadline, now + (long)backoff.Backoff(request.Attempts, Random.Shared.NextDouble()).TotalMilliseconds), (long?)null);
        var error = state == NasRequestStates.Failed && outcome.State is null ? $"{outcome.Error}; deadline passed" : outcome.Error;
        using (await db.EnterWriterGateAsync(priority: false, cancellationToken))
        {
            await db.NasRequests.Where(r => r.Id == request.Id && r.State == NasRequestStates.Pending && r.Attempts == request.Attempts)
                .ExecuteUpdateAsync(
                    s => s.SetProperty(r => r.State, state).SetProperty(r => r.NextAttemptTime, next).SetProperty(r => r.CompletedTime, completed)
                        .SetProperty(r => r.ErrorCause, outcome.ErrorCause).SetProperty(r => r.LastError, error),
                    cancellationToken);
        }

        if (state != NasRequestStates.Acked)
        {
            LogNotAcked(logger, request.Kind, request.NasAddress, request.AcctSessionId, request.Attempts, state, error);
        }
    }

    private sealed record Outcome(string? State, int? ErrorCause, string? Error)
    {
        public static Outcome Final(string state, int? errorCause, string? error) => new(state, errorCause, error);

        public static Outcome NoAnswer(string error) => new(null, null, error);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "NAS request delivery loop failed; retrying")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind}-Request to {NasAddress} for session {AcctSessionId} (attempt {Attempts}) is now {State}: {Error}")]
    private static partial void LogNotAcked(ILogger logger, string kind, string nasAddress, string acctSessionId, int attempts, string state, string? error);
}
