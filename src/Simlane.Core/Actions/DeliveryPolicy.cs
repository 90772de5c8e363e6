namespace Simlane.Core.Actions;

/// <summary>The states of one action delivery (<c>action_deliveries.state</c>, shown as <c>actions[].state</c>).</summary>
public static class DeliveryStates
{
    /// <summary>Waiting for its next attempt (<c>nextAttemptTime</c>); the only state the worker attempts.</summary>
    public const string Scheduled = "scheduled";

    /// <summary>Done; final.</summary>
    public const string Succeeded = "succeeded";

    /// <summary>A permanent failure; attempted again only by a manual retry.</summary>
    public const string Failed = "failed";

    /// <summary>Transient failures outlasted the retry window; attempted again only by a manual retry.</summary>
    public const string Dead = "dead";

    /// <summary>A <c>NEVER</c> action: recorded for the history, never attempted; final.</summary>
    public const string Skipped = "skipped";

    /// <summary>Every state, in the order of <see cref="DeliveryPolicy.Table"/>'s rows.</summary>
    public static readonly IReadOnlyList<string> All = [Scheduled, Succeeded, Failed, Dead, Skipped];
}

/// <summary>How an attempt ended (answered by an action executor).</summary>
public enum ActionOutcomeKind
{
    /// <summary>Done; never attempted again.</summary>
    Succeeded,

    /// <summary>A transient failure (network error, timeout, HTTP 5xx or 429, SMTP 4xx…): try again later, within the retry window.</summary>
    Retry,

    /// <summary>A permanent failure (HTTP 4xx other than 429, refused by the lifecycle, bad configuration): never retried automatically.</summary>
    Failed,
}

/// <summary>What happens to a delivery: the three outcomes of an attempt, and a manual retry through the API.</summary>
public enum DeliveryTrigger
{
    /// <summary>An attempt answered <see cref="ActionOutcomeKind.Succeeded"/>.</summary>
    AttemptSucceeded,

    /// <summary>An attempt answered <see cref="ActionOutcomeKind.Retry"/>.</summary>
    AttemptTransient,

    /// <summary>An attempt answered <see cref="ActionOutcomeKind.Failed"/>.</summary>
    AttemptFailed,

    /// <summary><c>POST …/actions/{index}/retry</c>.</summary>
    RetryRequested,
}

/// <summary>What the table says about one (state, trigger) pair.</summary>
public enum DeliveryRule
{
    /// <summary>Not possible from this state: the worker attempts only scheduled deliveries; only dead or failed ones can be retried.</summary>
    Refuse,

    /// <summary>To <see cref="DeliveryStates.Succeeded"/>, completed now.</summary>
    Succeed,

    /// <summary>To <see cref="DeliveryStates.Failed"/>, completed now.</summary>
    Fail,

    /// <summary>Back to <see cref="DeliveryStates.Scheduled"/> after the backoff, or <see cref="DeliveryStates.Dead"/> once the retry window has passed.</summary>
    BackoffOrDead,

    /// <summary>To <see cref="DeliveryStates.Scheduled"/> now, with a fresh retry window (a manual retry).</summary>
    ScheduleNow,
}

/// <summary>
/// The fields of a delivery a transition sets. <see cref="RestartRetryWindow"/> true means the retry window
/// counts again from the next attempt (the worker sets its start when it claims a delivery without one).
/// </summary>
public readonly record struct DeliveryStep(string State, long? NextAttemptTime, long? CompletedTime, bool RestartRetryWindow = false)
{
    /// <summary>True once the delivery is no longer scheduled.</summary>
    public bool Finished => State != DeliveryStates.Scheduled;
}

/// <summary>
/// The one delivery state machine (issue 6, consolidated in issue 18): which trigger moves a delivery from
/// which state to which, and the backoff between attempts, as data and pure functions. The delivery worker,
/// the retry endpoint, the SIM actions and the planner all ask it; none of them decides a state by itself.
/// The limits are the <c>Simlane:Delivery</c> settings (docs/actions.md); the defaults are SORACOM-silent
/// choices of ours (24 h window, 30 s first retry doubling up to 1 h).
/// </summary>
/// <param name="RetryWindowMinutes">How long transient failures are retried, counted from the series' first attempt.</param>
/// <param name="InitialBackoffSeconds">The first retry's delay before jitter; each further one doubles it.</param>
/// <param name="MaxBackoffSeconds">The longest delay between two attempts (also caps a receiver's Retry-After).</param>
public sealed record DeliveryPolicy(int RetryWindowMinutes = 1440, int InitialBackoffSeconds = 30, int MaxBackoffSeconds = 3600)
{
    public const int MaxRetryWindowMinutes = 525600;
    public const int MinInitialBackoffSeconds = 1;
    public const int MaxDelaySeconds = 86400;

    /// <summary>The largest exponent of the doubling: far beyond any cap, small enough never to overflow.</summary>
    public const int MaxDoublings = 30;

    private const DeliveryRule R = DeliveryRule.Refuse;
    private const DeliveryRule S = DeliveryRule.Succeed;
    private const DeliveryRule F = DeliveryRule.Fail;
    private const DeliveryRule B = DeliveryRule.BackoffOrDead;
    private const DeliveryRule N = DeliveryRule.ScheduleNow;

    /// <summary>Rows: <see cref="DeliveryStates.All"/>; columns: <see cref="DeliveryTrigger"/> in declaration order.</summary>
    private static readonly DeliveryRule[,] Table =
    {
        //                  succeeded transient failed retry
        /* scheduled */ { S, B, F, R },
        /* succeeded */ { R, R, R, R },
        /* failed    */ { R, R, R, N },
        /* dead      */ { R, R, R, N },
        /* skipped   */ { R, R, R, R },
    };

    /// <summary>The policy with the defaults.</summary>
    public static readonly DeliveryPolicy Default = new();

    /// <summary>The rule for one (state, trigger) pair; an unknown state refuses everything.</summary>
    public static DeliveryRule Rule(string state, DeliveryTrigger trigger)
    {
        var row = IndexOf(state);
        return row < 0 ? DeliveryRule.Refuse : Table[row, (int)trigger];
    }

    /// <summary>The trigger an attempt's outcome is.</summary>
    public static DeliveryTrigger TriggerOf(ActionOutcomeKind outcome) => outcome switch
    {
        ActionOutcomeKind.Succeeded => DeliveryTrigger.AttemptSucceeded,
        ActionOutcomeKind.Failed => DeliveryTrigger.AttemptFailed,
        ActionOutcomeKind.Retry => DeliveryTrigger.AttemptTransient,
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Unknown outcome"),
    };

    /// <summary>The state a new delivery starts in: scheduled for its due time, or skipped (completed now) for <c>NEVER</c> (no due time).</summary>
    public static DeliveryStep Planned(long? dueTime, long now) => dueTime is { } due
        ? new DeliveryStep(DeliveryStates.Scheduled, due, null)
        : new DeliveryStep(DeliveryStates.Skipped, null, now);

    /// <summary>True for the states a manual retry accepts (dead and failed).</summary>
    public static bool IsRetryable(string state) => Rule(state, DeliveryTrigger.RetryRequested) == DeliveryRule.ScheduleNow;

    /// <summary>A manual retry: scheduled now with a fresh retry window; null when the state refuses it.</summary>
    public static DeliveryStep? Retry(string state, long now) => IsRetryable(state)
        ? new DeliveryStep(DeliveryStates.Scheduled, now, null, RestartRetryWindow: true)
        : null;

    /// <summary>
    /// The step after one attempt of a delivery in <paramref name="state"/> (the worker attempts only scheduled
    /// ones; null for any other state). A transient failure is dead once <paramref name="now"/> is
    /// <see cref="RetryWindowMinutes"/> or more after <paramref name="retryWindowStart"/> (null: this attempt
    /// began the window), otherwise scheduled again after <see cref="RetryDelay"/>.
    /// </summary>
    /// <param name="state">The delivery's state when the attempt began (the worker claims only scheduled ones).</param>
    /// <param name="outcome">How the attempt ended.</param>
    /// <param name="attempts">The attempts made so far, this one included (1 after the first).</param>
    /// <param name="retryWindowStart">Epoch ms the current series of attempts began; null when this attempt began it.</param>
    /// <param name="now">Epoch ms the attempt ended, by the server's clock.</param>
    /// <param name="retryAfter">A delay the receiver asked for, if any.</param>
    /// <param name="random">A random number in [0, 1) for the jitter.</param>
    public DeliveryStep? AfterAttempt(string state, ActionOutcomeKind outcome, int attempts, long? retryWindowStart, long now, TimeSpan? retryAfter, double random) =>
        Rule(state, TriggerOf(outcome)) switch
        {
            DeliveryRule.Succeed => new DeliveryStep(DeliveryStates.Succeeded, null, now),
            DeliveryRule.Fail => new DeliveryStep(DeliveryStates.Failed, null, now),
            DeliveryRule.BackoffOrDead when now - (retryWindowStart ?? now) >= RetryWindowMinutes * 60_000L => new DeliveryStep(DeliveryStates.Dead, null, now),
            DeliveryRule.BackoffOrDead => new DeliveryStep(DeliveryStates.Scheduled, now + (long)RetryDelay(attempts, retryAfter, random).TotalMilliseconds, null),
            _ => null,
        };

    /// <summary>
    /// The delay before attempt <paramref name="attempts"/>+1: exponential with "equal jitter" (half fixed, half
    /// random): <c>min(MaxBackoffSeconds, InitialBackoffSeconds × 2^(attempts−1))</c>, half of it plus a random half.
    /// </summary>
    public TimeSpan Backoff(int attempts, double random)
    {
        var exponent = Math.Clamp((long)attempts - 1, 0, MaxDoublings);
        var full = Math.Min((double)MaxBackoffSeconds, InitialBackoffSeconds * Math.Pow(2, exponent));
        var jitter = double.IsNaN(random) ? 0 : Math.Clamp(random, 0, 1);
        return TimeSpan.FromSeconds((full / 2) + (full / 2 * jitter));
    }

    /// <summary>The backoff, or the receiver's Retry-After when longer, that capped at <see cref="MaxBackoffSeconds"/>.</summary>
    public TimeSpan RetryDelay(int attempts, TimeSpan? retryAfter, double random) => TimeSpan.FromMilliseconds(Math.Max(
        Backoff(attempts, random).TotalMilliseconds,
        Math.Min(retryAfter?.TotalMilliseconds ?? 0, MaxBackoffSeconds * 1000.0)));

    /// <summary>The limits that are out of range, as (setting, min, max) triples; empty when the policy is usable.</summary>
    public IReadOnlyList<(string Name, int Value, int Min, int Max)> OutOfRange()
    {
        var problems = new List<(string, int, int, int)>();
        Check(RetryWindowMinutes, 0, MaxRetryWindowMinutes, nameof(RetryWindowMinutes));
        Check(InitialBackoffSeconds, MinInitialBackoffSeconds, MaxDelaySeconds, nameof(InitialBackoffSeconds));
        Check(MaxBackoffSeconds, InitialBackoffSeconds, MaxDelaySeconds, nameof(MaxBackoffSeconds));
        return problems;

        void Check(int value, int min, int max, string name)
        {
            if (value < min || value > max)
            {
                problems.Add((name, value, min, max));
            }
        }
    }

    private static int IndexOf(string state)
    {
        for (var i = 0; i < DeliveryStates.All.Count; i++)
        {
            if (string.Equals(DeliveryStates.All[i], state, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
