using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Simlane.Core.Actions;
using Simlane.Server.Infrastructure;
using Simlane.Storage;

namespace Simlane.Server.Actions;

/// <summary>
/// Carries out the actions of firings (issue 6): every <see cref="DeliveryStates.Scheduled"/> delivery whose
/// next attempt is due by the server's clock (the sandbox clock in sandbox mode) is claimed with a lease,
/// handed to the executor of its type, and its outcome recorded: succeeded, failed for good, retried later
/// with exponential backoff and jitter, or dead once its retry window has passed.
/// <para>
/// At least once: the attempt count and the lease are written before the attempt, the outcome after it. A
/// process that dies mid-attempt leaves the lease to lapse, and the delivery is attempted again, with the same
/// <see cref="ActionDelivery.DeliveryKey"/>, so a receiver that de-duplicates on it sees it once. The lease
/// owner is a random token per claim, so with several servers on one database only one holds a delivery at a time.
/// </para>
/// <para>
/// Runs on its own loop, apart from the rule engine: a slow or unreachable receiver never delays rule
/// evaluation. The sandbox clock calls <see cref="ClaimingWorker{TItem}.DrainAsync"/> before it answers, so every action due by
/// the new time has had its attempt.
/// </para>
/// </summary>
public sealed partial class ActionDeliveryWorker(
    IServiceScopeFactory scopes,
    TimeProvider clock,
    IEnumerable<IActionExecutor> executors,
    IOptions<DeliveryOptions> options,
    Telemetry.SimlaneMetrics metrics,
    ILogger<ActionDeliveryWorker> logger) : ClaimingWorker<ActionDelivery>(clock, options.Value.Parallelism, IdleDelay)
{
    public const int BatchSize = 100;
    public static readonly TimeSpan IdleDelay = TimeSpan.FromSeconds(30);

    private readonly Dictionary<string, IActionExecutor> executorsByType = executors
        .SelectMany(e => e.ActionTypes.Select(t => (Type: t, Executor: e)))
        .ToDictionary(x => x.Type, x => x.Executor, StringComparer.Ordinal);

    private readonly DeliveryOptions settings = options.Value;

    private readonly DeliveryPolicy policy = options.Value.ToPolicy();

    /// <summary>The earliest moment a scheduled delivery becomes claimable: its next attempt, or its lease's lapse if later.</summary>
    protected override async Task<long?> NextClaimableAsync(CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SimlaneDb>();
        return await db.ActionDeliveries.AsNoTracking().Where(d => d.State == DeliveryStates.Scheduled)
            .MinAsync(d => d.LeaseUntil != null && d.LeaseUntil > d.NextAttemptTime ? d.LeaseUntil : d.NextAttemptTime, cancellationToken);
    }

    protected override void OnRoundFailed(Exception exception) => LogLoopFailed(logger, exception);

    /// <summary>Takes a lease on up to <see cref="BatchSize"/> due deliveries and counts the attempt.</summary>
    protected override async Task<List<ActionDelivery>> ClaimAsync(CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SimlaneDb>();
        var now = Clock.NowMs();
        var ids = await db.ActionDeliveries.AsNoTracking()
            .Where(d => d.State == DeliveryStates.Scheduled && d.NextAttemptTime <= now && (d.LeaseUntil == null || d.LeaseUntil <= now))
            .OrderBy(d => d.NextAttemptTime).ThenBy(d => d.Id).Select(d => d.Id).Take(BatchSize).ToListAsync(cancellationToken);
        if (ids.Count == 0)
        {
            return [];
        }

        var token = Guid.NewGuid().ToString("N");
        var leaseUntil = now + (settings.LeaseSeconds * 1000L);
        using (await db.EnterWriterGateAsync(priority: false, cancellationToken))
        {
            // Only rows nobody else claimed meanwhile (the same condition again, in the update).
            await db.ActionDeliveries
                .Where(d => ids.Contains(d.Id) && d.State == DeliveryStates.Scheduled && (d.LeaseUntil == null || d.LeaseUntil <= now))
                .ExecuteUpdateAsync(
                    s => s.SetProperty(d => d.LeaseOwner, token).SetProperty(d => d.LeaseUntil, leaseUntil)
                        .SetProperty(d => d.Attempts, d => d.Attempts + 1).SetProperty(d => d.LastAttemptTime, now)
                        .SetProperty(d => d.RetryWindowStart, d => d.RetryWindowStart ?? now),
                    cancellationToken);
        }

        return await db.ActionDeliveries.AsNoTracking().Where(d => ids.Contains(d.Id) && d.LeaseOwner == token)
            .OrderBy(d => d.NextAttemptTime).ThenBy(d => d.Id).ToListAsync(cancellationToken);
    }

    protected override async Task AttemptAsync(ActionDelivery delivery, CancellationToken cancellationToken)
    {
        var attempt = new ActionAttempt(
            delivery.Id, delivery.DeliveryKey, delivery.OperatorId, delivery.HandlerId, delivery.ExecutionId, delivery.ActionType,
            JsonNode.Parse(delivery.Properties) as JsonObject ?? [], delivery.Imsi, delivery.SimId, delivery.Attempts, Clock.NowMs());
        ActionOutcome outcome;
        if (!executorsByType.TryGetValue(delivery.ActionType, out var executor))
        {
            outcome = ActionOutcome.Permanent($"No executor for {delivery.ActionType} in this server");
        }
        else
        {
            // An attempt never outlives its lease, or a second worker could start the same delivery meanwhile.
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(TimeSpan.FromSeconds(settings.LeaseSeconds * 0.9));
            try
            {
                outcome = await executor.ExecuteAsync(attempt, limit.Token);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return; // shutting down: the lease lapses and the delivery is attempted again
            }
            catch (OperationCanceledException)
            {
                outcome = ActionOutcome.Transient($"The attempt did not finish within {settings.LeaseSeconds * 0.9:0.#} s");
            }
            catch (Exception e)
            {
                LogAttemptThrew(logger, e, delivery.ActionType, delivery.HandlerId);
                outcome = ActionOutcome.Transient($"Internal error ({e.GetType().Name})");
            }
        }

        await RecordAsync(delivery, outcome, cancellationToken);
    }

    private async Task RecordAsync(ActionDelivery delivery, ActionOutcome outcome, CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SimlaneDb>();
        var now = Clock.NowMs();
        // The claim counted this attempt and started the retry window; the policy decides what comes next
        // (the receiver's Retry-After is honoured when longer than the backoff, up to MaxBackoffSeconds).
        var step = policy.AfterAttempt(delivery.State, outcome.Kind, delivery.Attempts, delivery.RetryWindowStart, now, outcome.RetryAfter, Random.Shared.NextDouble())
            ?? throw new InvalidOperationException($"Delivery {delivery.Id} was attempted while {delivery.State}");
        var (state, next, completed) = (step.State, step.NextAttemptTime, step.CompletedTime);
        var error = outcome.Kind == ActionOutcomeKind.Succeeded ? null : Truncate(outcome.Error);
        using (await db.EnterWriterGateAsync(priority: false, cancellationToken))
        {
            // Only while still ours: a SIM action marks itself succeeded with the SIM change; a lapsed lease belongs to another attempt.
            await db.ActionDeliveries.Where(d => d.Id == delivery.Id && d.LeaseOwner == delivery.LeaseOwner)
                .ExecuteUpdateAsync(
                    s => s.SetProperty(d => d.State, state).SetProperty(d => d.NextAttemptTime, next).SetProperty(d => d.CompletedTime, completed)
                        .SetProperty(d => d.LastError, error).SetProperty(d => d.LastHttpStatus, outcome.HttpStatus)
                        .SetProperty(d => d.LeaseOwner, (string?)null).SetProperty(d => d.LeaseUntil, (long?)null),
                    cancellationToken);
        }

        metrics.DeliveryAttempted(delivery.ActionType, outcome.Kind, state);
        if (outcome.Kind != ActionOutcomeKind.Succeeded)
        {
            LogAttemptFailed(logger, delivery.ActionType, delivery.HandlerId, delivery.DeliveryKey, delivery.Attempts, state, error);
        }
    }

    private static string? Truncate(string? error) => error is { Length: > 1000 } ? error[..1000] : error;

    [LoggerMessage(Level = LogLevel.Error, Message = "Action delivery loop failed; retrying")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "{ActionType} of handler {HandlerId} threw; the attempt counts as a transient failure")]
    private static partial void LogAttemptThrew(ILogger logger, Exception exception, string actionType, string handlerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{ActionType} of handler {HandlerId} (delivery {DeliveryKey}, attempt {Attempts}) failed, now {State}: {Error}")]
    private static partial void LogAttemptFailed(ILogger logger, string actionType, string handlerId, string deliveryKey, int attempts, string state, string? error);
}
