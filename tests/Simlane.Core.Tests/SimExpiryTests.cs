using Simlane.Core.Errors;
using Simlane.Core.Events;
using Simlane.Core.Sims;

namespace Simlane.Core.Tests;

public class SimExpiryTests
{
    private const long Now = 1_800_000_000_000;

    [Fact]
    public void SetExpiry_FutureTime_SetsTimeAndAction()
    {
        var sim = TestSims.Create();
        sim.SetExpiry(Now + 1, ExpiryActions.Suspend, Now);
        sim.ExpiryTime.ShouldBe(Now + 1);
        sim.ExpiryAction.ShouldBe(ExpiryActions.Suspend);
        sim.LastModifiedTime.ShouldBe(Now);
        sim.PendingEvents.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void SetExpiry_NowOrPast_ThrowsAndChangesNothing(long delta)
    {
        var sim = TestSims.Create();
        var before = TestSims.Snapshot(sim);
        Should.Throw<SimlaneException>(() => sim.SetExpiry(Now + delta, null, Now)).Error.ShouldBe(ErrorCodes.ExpiryTimeInPast);
        TestSims.Snapshot(sim).ShouldBe(before);
    }

    [Fact]
    public void SetExpiry_UnknownAction_Throws()
    {
        var sim = TestSims.Create();
        Should.Throw<SimlaneException>(() => sim.SetExpiry(Now + 1, "explode", Now)).Error.ShouldBe(ErrorCodes.InvalidField);
        sim.ExpiryTime.ShouldBeNull();
    }

    [Fact]
    public void SetExpiry_TerminateWithProtectionOn_Throws_AndWithProtectionOffIsAccepted()
    {
        var protectedSim = TestSims.Create(terminationEnabled: false);
        Should.Throw<SimlaneException>(() => protectedSim.SetExpiry(Now + 1, ExpiryActions.Terminate, Now)).Error.ShouldBe(ErrorCodes.ExpiryTerminateProtected);
        protectedSim.ExpiryTime.ShouldBeNull();

        var open = TestSims.Create(terminationEnabled: true);
        open.SetExpiry(Now + 1, ExpiryActions.Terminate, Now);
        open.ExpiryAction.ShouldBe(ExpiryActions.Terminate);
    }

    [Fact]
    public void SetExpiry_OnTerminatedSim_Throws()
    {
        var sim = TestSims.Create(status: SimStatus.Terminated);
        Should.Throw<SimlaneException>(() => sim.SetExpiry(Now + 1, null, Now)).Error.ShouldBe(ErrorCodes.SimTerminated);
        Should.Throw<SimlaneException>(() => sim.UnsetExpiry(Now)).Error.ShouldBe(ErrorCodes.SimTerminated);
    }

    [Fact]
    public void UnsetExpiry_WhenNoneSet_ThrowsExpiryNotSet_OtherwiseClearsBoth()
    {
        var sim = TestSims.Create();
        Should.Throw<SimlaneException>(() => sim.UnsetExpiry(Now)).Error.ShouldBe(ErrorCodes.ExpiryNotSet);
        sim.SetExpiry(Now + 10, ExpiryActions.Deactivate, Now);
        sim.UnsetExpiry(Now + 1);
        sim.ExpiryTime.ShouldBeNull();
        sim.ExpiryAction.ShouldBeNull();
    }

    [Fact]
    public void Expire_BeforeTheTime_DoesNothing()
    {
        var sim = TestSims.Create();
        sim.SetExpiry(Now + 10, ExpiryActions.Suspend, Now);
        sim.Expire(Now + 9).ShouldBeNull();
        sim.ExpiryTime.ShouldBe(Now + 10);
        sim.Status.ShouldBe(SimStatus.Ready);
        sim.PendingEvents.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(ExpiryActions.DoNothing, SimStatus.Active)]
    [InlineData(ExpiryActions.DeleteSession, SimStatus.Active)]
    [InlineData(ExpiryActions.Deactivate, SimStatus.Inactive)]
    [InlineData(ExpiryActions.Suspend, SimStatus.Suspended)]
    [InlineData(null, SimStatus.Active)]
    public void Expire_AtTheTime_RecordsExpiredAndAppliesTheAction(string? action, SimStatus expected)
    {
        var sim = TestSims.Create(status: SimStatus.Active, secondary: false);
        sim.SetExpiry(Now + 10, action, Now);

        sim.Expire(Now + 10).ShouldBe(action ?? ExpiryActions.DoNothing);

        sim.Status.ShouldBe(expected);
        sim.ExpiryTime.ShouldBeNull();
        sim.ExpiryAction.ShouldBeNull();
        var expired = sim.PendingEvents.Where(e => e.Type == DomainEventTypes.Expired).ToList();
        expired.Count.ShouldBe(2);
        expired.ShouldAllBe(e => e.OldValue == (Now + 10).ToString(System.Globalization.CultureInfo.InvariantCulture) && e.NewValue == (action ?? ExpiryActions.DoNothing));
        sim.PendingEvents.Count(e => e.Type == DomainEventTypes.StatusChanged).ShouldBe(expected == SimStatus.Active ? 0 : 2);
        sim.PendingHistory.Count.ShouldBe(expected == SimStatus.Active ? 0 : 1);
    }

    [Fact]
    public void Expire_Terminate_TerminatesEvenWithProtectionSwitchedBackOn()
    {
        var sim = TestSims.Create(status: SimStatus.Active, terminationEnabled: true);
        sim.SetExpiry(Now + 10, ExpiryActions.Terminate, Now);
        sim.SetTerminationEnabled(false, Now + 1);

        sim.Expire(Now + 10);

        sim.Status.ShouldBe(SimStatus.Terminated);
        sim.TerminationEnabled.ShouldBeFalse();
    }

    [Fact]
    public void Expire_StatusTheLifecycleRefuses_IsSkippedButExpiredIsRecorded()
    {
        var sim = TestSims.Create(plan: Plans.PlanArc01, status: SimStatus.Active, secondary: false);
        sim.SetExpiry(Now + 10, ExpiryActions.Deactivate, Now);

        sim.Expire(Now + 10).ShouldBe(ExpiryActions.Deactivate);

        sim.Status.ShouldBe(SimStatus.Active);
        sim.ExpiryTime.ShouldBeNull();
        sim.PendingEvents.ShouldAllBe(e => e.Type == DomainEventTypes.Expired);
    }

    [Fact]
    public void Expire_SameStatusAction_ChangesNothingButRecordsExpired()
    {
        var sim = TestSims.Create(status: SimStatus.Suspended, secondary: false);
        sim.SetExpiry(Now + 10, ExpiryActions.Suspend, Now);
        sim.Expire(Now + 10);
        sim.Status.ShouldBe(SimStatus.Suspended);
        sim.PendingEvents.ShouldAllBe(e => e.Type == DomainEventTypes.Expired);
        sim.PendingHistory.ShouldBeEmpty();
    }

    [Fact]
    public void Terminate_ClearsAPendingExpiry()
    {
        var sim = TestSims.Create(status: SimStatus.Active, terminationEnabled: true);
        sim.SetExpiry(Now + 10, ExpiryActions.Suspend, Now);
        sim.ChangeStatus(SimStatus.Terminated, Now + 1);
        sim.ExpiryTime.ShouldBeNull();
        sim.Expire(Now + 10).ShouldBeNull();
    }
}
