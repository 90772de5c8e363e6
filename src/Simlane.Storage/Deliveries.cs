using Simlane.Core.Actions;

namespace Simlane.Storage;

/// <summary>
/// One action of one firing, on its way to being carried out (table <c>action_deliveries</c>, issue 6).
/// Written by the rule engine in the firing's transaction, so an acknowledged crossing never loses its
/// actions; carried out by the delivery worker at <see cref="NextAttemptTime"/>, at least once, with
/// <see cref="DeliveryKey"/> as the idempotency key receivers de-duplicate on.
/// </summary>
public sealed class ActionDelivery
{
    public long Id { get; set; }

    /// <summary>The firing (<c>handler_executions.id</c>); deleting it deletes its deliveries.</summary>
    public long ExecutionId { get; set; }

    public required string HandlerId { get; set; }

    public required string OperatorId { get; set; }

    /// <summary>The action's position in the handler's <c>actionConfigList</c> at firing time, from 0.</summary>
    public int ActionIndex { get; set; }

    public required string ActionType { get; set; }

    /// <summary>The action's properties with variables expanded as at firing time, as a JSON object (plus what the executor needs, e.g. the session's IMEI).</summary>
    public required string Properties { get; set; }

    public string? Imsi { get; set; }

    public string? SimId { get; set; }

    /// <summary>Unique, random, stable across retries and redeliveries: sent as <c>X-Simlane-Delivery-Id</c> and as the mail's Message-ID.</summary>
    public required string DeliveryKey { get; set; }

    /// <summary><c>scheduled</c>, <c>succeeded</c>, <c>failed</c>, <c>dead</c> or <c>skipped</c> (NEVER): <see cref="Simlane.Core.Actions.DeliveryStates"/>, moved by <see cref="Simlane.Core.Actions.DeliveryPolicy"/> only.</summary>
    public required string State { get; set; }

    /// <summary>Epoch ms the action was planned for; null for NEVER.</summary>
    public long? DueTime { get; set; }

    /// <summary>Epoch ms of the next attempt while scheduled; null once finished.</summary>
    public long? NextAttemptTime { get; set; }

    /// <summary>Epoch ms the current series of attempts began (the first attempt, or the last manual retry); the retry window counts from it.</summary>
    public long? RetryWindowStart { get; set; }

    public int Attempts { get; set; }

    /// <summary>The last failure's message (never a secret).</summary>
    public string? LastError { get; set; }

    /// <summary>The HTTP status of the last attempt, for web requests and Lambda.</summary>
    public int? LastHttpStatus { get; set; }

    public long? LastAttemptTime { get; set; }

    public long? CompletedTime { get; set; }

    public long CreatedTime { get; set; }

    /// <summary>The worker that holds the delivery (a random token per claim) until <see cref="LeaseUntil"/>; a crash lets the lease lapse and another attempt take it.</summary>
    public string? LeaseOwner { get; set; }

    public long? LeaseUntil { get; set; }

    /// <summary>Sets the fields a <see cref="DeliveryPolicy"/> transition decides (state, next attempt, completion, retry window).</summary>
    public void Apply(DeliveryStep step)
    {
        State = step.State;
        NextAttemptTime = step.NextAttemptTime;
        CompletedTime = step.CompletedTime;
        if (step.RestartRetryWindow)
        {
            RetryWindowStart = null;
        }
    }
}
