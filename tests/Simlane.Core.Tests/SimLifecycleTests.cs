using Simlane.Core.Errors;
using Simlane.Core.Sims;

namespace Simlane.Core.Tests;

/// <summary>
/// Every (from, to) pair of the 6x6 status table against an expected table written out here by hand
/// (domain.md 3.2, decisions.md row 3), for three kinds of SIM.
/// </summary>
public class SimLifecycleTests
{
    /// <summary>The expected outcome of one request.</summary>
    public enum Outcome
    {
        /// <summary>Status changes.</summary>
        Change,

        /// <summary>Same status: success, nothing recorded.</summary>
        NoChange,

        /// <summary>Refused: TransitionNotAllowed.</summary>
        NotAllowed,

        /// <summary>Refused: StandbyNotSupported.</summary>
        NoStandby,

        /// <summary>Refused: TerminationProtected.</summary>
        Protected,

        /// <summary>Refused: SimTerminated.</summary>
        Terminated,
    }

    private const Outcome C = Outcome.Change;
    private const Outcome N = Outcome.NoChange;
    private const Outcome D = Outcome.NotAllowed;
    private const Outcome S = Outcome.NoStandby;
    private const Outcome P = Outcome.Protected;
    private const Outcome X = Outcome.Terminated;

    private static readonly SimStatus[] Order =
        [SimStatus.Ready, SimStatus.Active, SimStatus.Inactive, SimStatus.Standby, SimStatus.Suspended, SimStatus.Terminated];

    // (a) plan01s: standby supported, termination enabled (protection off).
    // Columns: ready, active, inactive, standby, suspended, terminated.
    private static readonly Outcome[][] StandbyPlanTerminationEnabled =
    [
        /* ready      */ [N, C, C, C, C, C],
        /* active     */ [D, N, C, C, C, C],
        /* inactive   */ [D, C, N, C, C, C],
        /* standby    */ [D, C, C, N, C, C],
        /* suspended  */ [D, C, C, D, N, C],
        /* terminated */ [X, X, X, X, X, X],
    ];

    // (b) plan-D: no standby, termination disabled (protection on, the default).
    private static readonly Outcome[][] PlanDTerminationProtected =
    [
        /* ready      */ [N, C, C, S, C, P],
        /* active     */ [D, N, C, S, C, P],
        /* inactive   */ [D, C, N, S, C, P],
        /* standby    */ [D, C, C, N, C, P],
        /* suspended  */ [D, C, C, D, N, P],
        /* terminated */ [X, X, X, X, X, X],
    ];

    // (c) planArc01 (virtual), termination enabled: only active and terminated can be requested.
    private static readonly Outcome[][] VirtualTerminationEnabled =
    [
        /* ready      */ [D, C, D, D, D, C],
        /* active     */ [D, N, D, D, D, C],
        /* inactive   */ [D, C, D, D, D, C],
        /* standby    */ [D, C, D, D, D, C],
        /* suspended  */ [D, C, D, D, D, C],
        /* terminated */ [X, X, X, X, X, X],
    ];

    // (d) planArc01 (virtual), termination disabled: as (c) but termination is protected.
    private static readonly Outcome[][] VirtualTerminationProtected =
    [
        /* ready      */ [D, C, D, D, D, P],
        /* active     */ [D, N, D, D, D, P],
        /* inactive   */ [D, C, D, D, D, P],
        /* standby    */ [D, C, D, D, D, P],
        /* suspended  */ [D, C, D, D, D, P],
        /* terminated */ [X, X, X, X, X, X],
    ];

    public static TheoryData<SimStatus, SimStatus, Outcome, Outcome, Outcome, Outcome> AllPairs()
    {
        var data = new TheoryData<SimStatus, SimStatus, Outcome, Outcome, Outcome, Outcome>();
        for (var f = 0; f < Order.Length; f++)
        {
            for (var t = 0; t < Order.Length; t++)
            {
                data.Add(
                    Order[f],
                    Order[t],
                    StandbyPlanTerminationEnabled[f][t],
                    PlanDTerminationProtected[f][t],
                    VirtualTerminationEnabled[f][t],
                    VirtualTerminationProtected[f][t]);
            }
        }

        return data;
    }

    [Fact]
    public void AllPairs_CoversEveryStatusPair_ThirtySixCases()
    {
        Order.ShouldBe(Enum.GetValues<SimStatus>(), ignoreOrder: true);
        AllPairs().Count.ShouldBe(36);
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void Decide_StandbyPlanTerminationEnabled_MatchesExpectedTable(
        SimStatus from, SimStatus to, Outcome standbyPlan, Outcome planD, Outcome virtualEnabled, Outcome virtualProtected)
    {
        _ = (planD, virtualEnabled, virtualProtected);
        ShouldDecide(SimLifecycle.Decide(from, to, Plans.Get(Plans.Plan01s), terminationEnabled: true), standbyPlan);
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void Decide_PlanDTerminationProtected_MatchesExpectedTable(
        SimStatus from, SimStatus to, Outcome standbyPlan, Outcome planD, Outcome virtualEnabled, Outcome virtualProtected)
    {
        _ = (standbyPlan, virtualEnabled, virtualProtected);
        ShouldDecide(SimLifecycle.Decide(from, to, Plans.Get("plan-D"), terminationEnabled: false), planD);
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void Decide_VirtualPlanTerminationEnabled_MatchesExpectedTable(
        SimStatus from, SimStatus to, Outcome standbyPlan, Outcome planD, Outcome virtualEnabled, Outcome virtualProtected)
    {
        _ = (standbyPlan, planD, virtualProtected);
        ShouldDecide(SimLifecycle.Decide(from, to, Plans.Get(Plans.PlanArc01), terminationEnabled: true), virtualEnabled);
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void Decide_VirtualPlanTerminationProtected_MatchesExpectedTable(
        SimStatus from, SimStatus to, Outcome standbyPlan, Outcome planD, Outcome virtualEnabled, Outcome virtualProtected)
    {
        _ = (standbyPlan, planD, virtualEnabled);
        ShouldDecide(SimLifecycle.Decide(from, to, Plans.Get(Plans.PlanArc01), terminationEnabled: false), virtualProtected);
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void ChangeStatus_OnSimAggregate_AgreesWithExpectedTable(
        SimStatus from, SimStatus to, Outcome standbyPlan, Outcome planD, Outcome virtualEnabled, Outcome virtualProtected)
    {
        _ = (virtualEnabled, virtualProtected);
        AssertAggregate(TestSims.Create(Plans.Plan01s, from, terminationEnabled: true), to, standbyPlan);
        AssertAggregate(TestSims.Create("plan-D", from, terminationEnabled: false), to, planD);
    }

    [Theory]
    [InlineData(SimStatus.Ready, true)]
    [InlineData(SimStatus.Standby, true)]
    [InlineData(SimStatus.Suspended, true)]
    [InlineData(SimStatus.Active, false)]
    [InlineData(SimStatus.Inactive, false)]
    [InlineData(SimStatus.Terminated, false)]
    public void SetsRenewalFeeTime_EachStatus_TrueOnlyForReadyStandbySuspended(SimStatus status, bool expected) =>
        SimLifecycle.SetsRenewalFeeTime(status).ShouldBe(expected);

    private static void ShouldDecide(TransitionDecision decision, Outcome expected)
    {
        switch (expected)
        {
            case Outcome.Change:
                decision.ShouldBe(TransitionDecision.Change);
                break;
            case Outcome.NoChange:
                decision.ShouldBe(TransitionDecision.Same);
                break;
            default:
                decision.Changes.ShouldBeFalse();
                decision.Error.ShouldBe(ExpectedError(expected));
                break;
        }
    }

    private static ErrorCode ExpectedError(Outcome outcome) => outcome switch
    {
        Outcome.NotAllowed => ErrorCodes.TransitionNotAllowed,
        Outcome.NoStandby => ErrorCodes.StandbyNotSupported,
        Outcome.Protected => ErrorCodes.TerminationProtected,
        Outcome.Terminated => ErrorCodes.SimTerminated,
        _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
    };

    private static void AssertAggregate(Sim sim, SimStatus to, Outcome expected)
    {
        var from = sim.Status;
        switch (expected)
        {
            case Outcome.Change:
                sim.ChangeStatus(to, 5_000).ShouldBeTrue();
                sim.Status.ShouldBe(to);
                sim.PendingHistory.Count.ShouldBe(2);
                break;
            case Outcome.NoChange:
                sim.ChangeStatus(to, 5_000).ShouldBeFalse();
                sim.Status.ShouldBe(from);
                sim.PendingEvents.ShouldBeEmpty();
                sim.PendingHistory.ShouldBeEmpty();
                break;
            default:
                var before = TestSims.Snapshot(sim);
                Should.Throw<SimlaneException>(() => sim.ChangeStatus(to, 5_000)).Error.ShouldBe(ExpectedError(expected));
                TestSims.Snapshot(sim).ShouldBe(before);
                break;
        }
    }
}
