using Simlane.Core.Errors;

namespace Simlane.Core.Sims;

/// <summary>What the transition table says about one (from, to) pair.</summary>
public enum TransitionRule
{
    /// <summary>The change is made.</summary>
    Allow,

    /// <summary>Same status: answered with success, but nothing is written (no history row, no event).</summary>
    NoChange,

    /// <summary>Allowed only when the SIM's plan supports standby.</summary>
    AllowIfStandbySupported,

    /// <summary>Allowed only when termination protection is off (<c>terminationEnabled</c> true).</summary>
    AllowIfTerminationEnabled,

    /// <summary>Refused with 400: the move is not part of the lifecycle.</summary>
    Deny,

    /// <summary>Refused with 400: the SIM is terminated, and terminated is final.</summary>
    DenyTerminated,
}

/// <summary>The outcome of asking the table about one concrete request.</summary>
/// <param name="Changes">True when the status changes and a history row and an event must be written.</param>
/// <param name="Error">Set when the request is refused; nothing may be written then.</param>
public readonly record struct TransitionDecision(bool Changes, ErrorCode? Error)
{
    public static readonly TransitionDecision Change = new(true, null);
    public static readonly TransitionDecision Same = new(false, null);

    public static TransitionDecision Refuse(ErrorCode error) => new(false, error);
}

/// <summary>
/// The SIM lifecycle as one explicit table (domain.md 3.2 with decisions.md 3). Rows are the current
/// status, columns the requested one. There is no API that requests <c>ready</c>; its column exists so
/// that every pair has an answer.
/// </summary>
public static class SimLifecycle
{
    private const TransitionRule A = TransitionRule.Allow;
    private const TransitionRule N = TransitionRule.NoChange;
    private const TransitionRule S = TransitionRule.AllowIfStandbySupported;
    private const TransitionRule T = TransitionRule.AllowIfTerminationEnabled;
    private const TransitionRule D = TransitionRule.Deny;
    private const TransitionRule X = TransitionRule.DenyTerminated;

    // Column order: Ready, Active, Inactive, Standby, Suspended, Terminated (the SimStatus order).
    private static readonly TransitionRule[,] Table =
    {
        /* ready     */ { N, A, A, S, A, T },
        /* active    */ { D, N, A, S, A, T },
        /* inactive  */ { D, A, N, S, A, T },
        /* standby   */ { D, A, A, N, A, T },
        /* suspended */ { D, A, A, D, N, T },
        /* terminated*/ { X, X, X, X, X, X },
    };

    /// <summary>The raw table entry for a pair.</summary>
    public static TransitionRule RuleFor(SimStatus from, SimStatus to) => Table[(int)from, (int)to];

    /// <summary>
    /// Decides a status request. Virtual SIMs only know <c>active</c> and <c>terminated</c>, so any other
    /// target is refused for them.
    /// </summary>
    public static TransitionDecision Decide(SimStatus from, SimStatus to, Plan plan, bool terminationEnabled)
    {
        var rule = RuleFor(from, to);
        if (plan.IsVirtual && rule != TransitionRule.DenyTerminated && to is not (SimStatus.Active or SimStatus.Terminated))
        {
            return TransitionDecision.Refuse(ErrorCodes.TransitionNotAllowed);
        }

        return rule switch
        {
            TransitionRule.Allow => TransitionDecision.Change,
            TransitionRule.NoChange => TransitionDecision.Same,
            TransitionRule.AllowIfStandbySupported => plan.SupportsStandby
                ? TransitionDecision.Change
                : TransitionDecision.Refuse(ErrorCodes.StandbyNotSupported),
            TransitionRule.AllowIfTerminationEnabled => terminationEnabled
                ? TransitionDecision.Change
                : TransitionDecision.Refuse(ErrorCodes.TerminationProtected),
            TransitionRule.DenyTerminated => TransitionDecision.Refuse(ErrorCodes.SimTerminated),
            _ => TransitionDecision.Refuse(ErrorCodes.TransitionNotAllowed),
        };
    }

    /// <summary>True for the statuses that (re)start SORACOM's renewal-fee clock.</summary>
    public static bool SetsRenewalFeeTime(SimStatus status) =>
        status is SimStatus.Ready or SimStatus.Standby or SimStatus.Suspended;
}
