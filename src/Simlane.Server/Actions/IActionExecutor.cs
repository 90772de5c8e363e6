using System.Text.Json.Nodes;
using Simlane.Core.Actions;

namespace Simlane.Server.Actions;

/// <summary>
/// One attempt to carry out one action of one firing (issue 6). The delivery pipeline builds it from the
/// durable delivery row: <see cref="Properties"/> are the action's properties with the variables already
/// expanded as they were at firing time.
/// </summary>
/// <param name="DeliveryId">The delivery row's id.</param>
/// <param name="DeliveryKey">
/// The idempotency key: stable across retries and redeliveries after a crash, unique per (firing, action).
/// Web requests send it as <c>X-Simlane-Delivery-Id</c>, mail as its Message-ID, so receivers can de-duplicate.
/// </param>
/// <param name="OperatorId">The handler's operator.</param>
/// <param name="HandlerId">The handler that fired.</param>
/// <param name="ExecutionId">The firing (<c>handler_executions.id</c>).</param>
/// <param name="ActionType">The <c>ActionConfig.type</c>.</param>
/// <param name="Properties">The action's properties, variables expanded.</param>
/// <param name="Imsi">The IMSI the firing names (the primary IMSI for SIM-level firings), if any.</param>
/// <param name="SimId">The SIM the firing names, if any.</param>
/// <param name="Attempt">1 for the first attempt.</param>
/// <param name="Now">Epoch ms by the server's clock (the sandbox clock in sandbox mode).</param>
public sealed record ActionAttempt(
    long DeliveryId,
    string DeliveryKey,
    string OperatorId,
    string HandlerId,
    long ExecutionId,
    string ActionType,
    JsonObject Properties,
    string? Imsi,
    string? SimId,
    int Attempt,
    long Now);

/// <summary>The result of one attempt.</summary>
/// <param name="Kind">Succeeded, retry later, or failed for good.</param>
/// <param name="Error">What went wrong, for the history; never contains a secret.</param>
/// <param name="HttpStatus">The HTTP status the receiver answered, for web requests and Lambda.</param>
/// <param name="RetryAfter">A delay the receiver asked for (Retry-After), if any.</param>
public sealed record ActionOutcome(ActionOutcomeKind Kind, string? Error = null, int? HttpStatus = null, TimeSpan? RetryAfter = null)
{
    public static ActionOutcome Success(int? httpStatus = null) => new(ActionOutcomeKind.Succeeded, HttpStatus: httpStatus);

    public static ActionOutcome Transient(string error, int? httpStatus = null, TimeSpan? retryAfter = null) =>
        new(ActionOutcomeKind.Retry, error, httpStatus, retryAfter);

    public static ActionOutcome Permanent(string error, int? httpStatus = null) => new(ActionOutcomeKind.Failed, error, httpStatus);
}

/// <summary>
/// Carries out the actions of the types it names. Registered as singletons; the delivery worker picks the
/// executor by <see cref="ActionAttempt.ActionType"/>. An executor must not throw for a failed delivery: it
/// answers a <see cref="ActionOutcome"/> (the worker treats an unexpected exception as <see cref="ActionOutcomeKind.Retry"/>).
/// </summary>
public interface IActionExecutor
{
    /// <summary>The <c>ActionConfig.type</c> values this executor handles.</summary>
    IReadOnlyCollection<string> ActionTypes { get; }

    Task<ActionOutcome> ExecuteAsync(ActionAttempt attempt, CancellationToken cancellationToken);
}
