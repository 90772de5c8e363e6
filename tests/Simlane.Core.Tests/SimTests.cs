using Simlane.Core.Errors;
using Simlane.Core.Events;
using Simlane.Core.Sims;

namespace Simlane.Core.Tests;

public class SimTests
{
    private const long Now = 1_800_000_000_000;

    // ---- ChangeStatus: events and history ----

    [Fact]
    public void ChangeStatus_ReadyToActive_RecordsOneSimEventPlusOnePerImsiWithOldAndNew()
    {
        var sim = TestSims.Create(status: SimStatus.Ready);

        sim.ChangeStatus(SimStatus.Active, Now).ShouldBeTrue();

        sim.Status.ShouldBe(SimStatus.Active);
        sim.LastModifiedTime.ShouldBe(Now);
        sim.PendingEvents.Count.ShouldBe(3);
        sim.PendingEvents.Count(e => e.Imsi is null).ShouldBe(1);
        sim.PendingEvents.Where(e => e.Imsi is not null).Select(e => e.Imsi)
            .ShouldBe([TestSims.PrimaryImsi, TestSims.SecondaryImsi], ignoreOrder: true);
        foreach (var e in sim.PendingEvents)
        {
            e.Type.ShouldBe(DomainEventTypes.StatusChanged);
            e.OldValue.ShouldBe("ready");
            e.NewValue.ShouldBe("active");
            e.OperatorId.ShouldBe(TestSims.OperatorId);
            e.SimId.ShouldBe(TestSims.SimId);
            e.OccurredTime.ShouldBe(Now);
        }
    }

    [Fact]
    public void ChangeStatus_ReadyToActive_RecordsOneHistoryRowPerImsi()
    {
        var sim = TestSims.Create(status: SimStatus.Ready);

        sim.ChangeStatus(SimStatus.Active, Now);

        sim.PendingHistory.Count.ShouldBe(2);
        sim.PendingHistory.Select(h => h.Imsi).ShouldBe([TestSims.PrimaryImsi, TestSims.SecondaryImsi], ignoreOrder: true);
        var primary = sim.PendingHistory.Single(h => h.IsPrimary);
        primary.Imsi.ShouldBe(TestSims.PrimaryImsi);
        primary.Status.ShouldBe("active");
        primary.AppliedTime.ShouldBe(Now);
        primary.SpeedClass.ShouldBe(SpeedClasses.S1Standard);
        primary.Subscription.ShouldBe(Plans.Plan01s);
        sim.PendingHistory.ShouldAllBe(h => h.PrimaryImsi == TestSims.PrimaryImsi && h.SimId == TestSims.SimId);
    }

    [Fact]
    public void ChangeStatus_SingleImsi_RecordsTwoEventsAndOneHistoryRow()
    {
        var sim = TestSims.Create(status: SimStatus.Active, secondary: false);

        sim.ChangeStatus(SimStatus.Inactive, Now);

        sim.PendingEvents.Count.ShouldBe(2);
        sim.PendingHistory.Count.ShouldBe(1);
    }

    [Theory]
    [InlineData(SimStatus.Ready)]
    [InlineData(SimStatus.Active)]
    [InlineData(SimStatus.Inactive)]
    [InlineData(SimStatus.Standby)]
    [InlineData(SimStatus.Suspended)]
    public void ChangeStatus_SameStatus_ReturnsFalseAndRecordsNothing(SimStatus status)
    {
        var sim = TestSims.Create(status: status);
        var before = TestSims.Snapshot(sim);

        sim.ChangeStatus(status, Now).ShouldBeFalse();

        TestSims.Snapshot(sim).ShouldBe(before);
        sim.PendingEvents.ShouldBeEmpty();
        sim.PendingHistory.ShouldBeEmpty();
    }

    [Fact]
    public void ChangeStatus_TerminateWhileProtected_ThrowsAndLeavesSnapshotUnchanged()
    {
        var sim = TestSims.Create(status: SimStatus.Active, terminationEnabled: false);
        sim.ExpiryTime = Now + 1000;
        sim.ExpiryAction = "suspend";
        var before = TestSims.Snapshot(sim);

        Should.Throw<SimlaneException>(() => sim.ChangeStatus(SimStatus.Terminated, Now)).Error.ShouldBe(ErrorCodes.TerminationProtected);

        TestSims.Snapshot(sim).ShouldBe(before);
        sim.PendingEvents.ShouldBeEmpty();
        sim.PendingHistory.ShouldBeEmpty();
    }

    [Fact]
    public void ChangeStatus_StandbyOnPlanD_ThrowsAndLeavesSnapshotUnchanged()
    {
        var sim = TestSims.Create("plan-D", SimStatus.Active);
        var before = TestSims.Snapshot(sim);

        Should.Throw<SimlaneException>(() => sim.ChangeStatus(SimStatus.Standby, Now)).Error.ShouldBe(ErrorCodes.StandbyNotSupported);

        TestSims.Snapshot(sim).ShouldBe(before);
    }

    [Fact]
    public void ChangeStatus_SuspendedToStandby_ThrowsTransitionNotAllowedAndChangesNothing()
    {
        var sim = TestSims.Create(status: SimStatus.Suspended);
        var before = TestSims.Snapshot(sim);

        Should.Throw<SimlaneException>(() => sim.ChangeStatus(SimStatus.Standby, Now)).Error.ShouldBe(ErrorCodes.TransitionNotAllowed);

        TestSims.Snapshot(sim).ShouldBe(before);
    }

    [Fact]
    public void ChangeStatus_Terminate_ClearsExpiry()
    {
        var sim = TestSims.Create(status: SimStatus.Active, terminationEnabled: true);
        sim.ExpiryTime = Now + 60_000;
        sim.ExpiryAction = "deactivate";

        sim.ChangeStatus(SimStatus.Terminated, Now).ShouldBeTrue();

        sim.Status.ShouldBe(SimStatus.Terminated);
        sim.ExpiryTime.ShouldBeNull();
        sim.ExpiryAction.ShouldBeNull();
    }

    [Theory]
    [InlineData(SimStatus.Active, SimStatus.Standby, true)]
    [InlineData(SimStatus.Active, SimStatus.Suspended, true)]
    [InlineData(SimStatus.Active, SimStatus.Inactive, false)]
    [InlineData(SimStatus.Ready, SimStatus.Active, false)]
    [InlineData(SimStatus.Standby, SimStatus.Active, false)]
    [InlineData(SimStatus.Active, SimStatus.Terminated, false)]
    public void ChangeStatus_Target_SetsRenewalFeeStatusSetTimeOnlyForReadyStandbySuspended(SimStatus from, SimStatus to, bool set)
    {
        var sim = TestSims.Create(status: from, terminationEnabled: true);
        sim.RenewalFeeStatusSetTime = 42;

        sim.ChangeStatus(to, Now);

        sim.RenewalFeeStatusSetTime.ShouldBe(set ? Now : 42);
    }

    // ---- TerminateByExpiry ----

    [Fact]
    public void TerminateByExpiry_ProtectionOn_TerminatesAnyway()
    {
        var sim = TestSims.Create(status: SimStatus.Active, terminationEnabled: false);
        sim.ExpiryTime = Now;
        sim.ExpiryAction = "terminate";

        sim.TerminateByExpiry(Now).ShouldBeTrue();

        sim.Status.ShouldBe(SimStatus.Terminated);
        sim.ExpiryTime.ShouldBeNull();
        sim.ExpiryAction.ShouldBeNull();
        sim.PendingEvents.Count.ShouldBe(3);
        sim.PendingEvents.ShouldAllBe(e => e.Type == DomainEventTypes.StatusChanged && e.OldValue == "active" && e.NewValue == "terminated");
        sim.PendingHistory.Count.ShouldBe(2);
    }

    [Fact]
    public void TerminateByExpiry_AlreadyTerminated_ReturnsFalseAndChangesNothing()
    {
        var sim = TestSims.Create(status: SimStatus.Terminated);
        var before = TestSims.Snapshot(sim);

        sim.TerminateByExpiry(Now).ShouldBeFalse();

        TestSims.Snapshot(sim).ShouldBe(before);
    }

    // ---- Speed class ----

    [Theory]
    [InlineData(Plans.Plan01s, SpeedClasses.S1Minimum)]
    [InlineData(Plans.Plan01s, SpeedClasses.S1Slow)]
    [InlineData(Plans.Plan01s, SpeedClasses.S1Fast)]
    [InlineData(Plans.Plan01s, SpeedClasses.S1FourXFast)]
    [InlineData("plan01s-low_data_volume", SpeedClasses.S1Minimum)]
    [InlineData("planXM1", SpeedClasses.S1FourXFast)]
    [InlineData("planX3", SpeedClasses.S1Slow)]
    [InlineData("planP1", SpeedClasses.S1Fast)]
    [InlineData("plan-D", SpeedClasses.S1Minimum)]
    [InlineData("plan-K", SpeedClasses.S1Fast)]
    [InlineData("plan-K2", SpeedClasses.S1FourXFast)]
    [InlineData("plan-US", SpeedClasses.S1FourXFast)]
    [InlineData("plan-US", SpeedClasses.S1EightXFast)]
    [InlineData("plan-DU", SpeedClasses.U1Slow)]
    public void UpdateSpeedClass_ValidForPlan_ChangesAndRecordsEventAndHistory(string plan, string speedClass)
    {
        var sim = TestSims.Create(plan, SimStatus.Active);
        var old = sim.SpeedClass;

        sim.UpdateSpeedClass(speedClass, Now);

        sim.SpeedClass.ShouldBe(speedClass);
        sim.LastModifiedTime.ShouldBe(Now);
        sim.PendingEvents.Count.ShouldBe(3);
        sim.PendingEvents.ShouldAllBe(e => e.Type == DomainEventTypes.SpeedClassChanged && e.OldValue == old && e.NewValue == speedClass);
        sim.PendingHistory.Count.ShouldBe(2);
        sim.PendingHistory.ShouldAllBe(h => h.SpeedClass == speedClass);
    }

    [Theory]
    [InlineData(Plans.Plan01s, SpeedClasses.S1EightXFast)]
    [InlineData(Plans.Plan01s, SpeedClasses.U1Standard)]
    [InlineData(Plans.Plan01s, SpeedClasses.U1Slow)]
    [InlineData(Plans.Plan01s, SpeedClasses.T1Standard)]
    [InlineData(Plans.Plan01s, "s1.turbo")]
    [InlineData(Plans.Plan01s, "S1.FAST")]
    [InlineData(Plans.Plan01s, "")]
    [InlineData("plan-D", SpeedClasses.S1EightXFast)]
    [InlineData("plan-US", SpeedClasses.U1Slow)]
    [InlineData("plan-DU", SpeedClasses.S1Standard)]
    [InlineData("plan-DU", SpeedClasses.S1EightXFast)]
    [InlineData("plan-KM1", SpeedClasses.S1Standard)]
    [InlineData("plan-KM1", SpeedClasses.T1Standard)]
    [InlineData("plan-KM1", SpeedClasses.U1Standard)]
    [InlineData(Plans.PlanArc01, SpeedClasses.S1Standard)]
    [InlineData(Plans.PlanArc01, SpeedClasses.ArcStandard)]
    public void UpdateSpeedClass_InvalidForPlan_ThrowsSpeedClassInvalidAndChangesNothing(string plan, string speedClass)
    {
        var sim = TestSims.Create(plan, SimStatus.Active);
        var before = TestSims.Snapshot(sim);

        Should.Throw<SimlaneException>(() => sim.UpdateSpeedClass(speedClass, Now)).Error.ShouldBe(ErrorCodes.SpeedClassInvalid);

        TestSims.Snapshot(sim).ShouldBe(before);
    }

    [Fact]
    public void UpdateSpeedClass_SameClass_RecordsNothing()
    {
        var sim = TestSims.Create(status: SimStatus.Active);
        var before = TestSims.Snapshot(sim);

        sim.UpdateSpeedClass(SpeedClasses.S1Standard, Now);

        TestSims.Snapshot(sim).ShouldBe(before);
    }

    // ---- IMEI lock ----

    [Theory]
    [InlineData("123456789012345")]
    [InlineData("000000000000000")]
    [InlineData("123456789012345|ANONYMOUS")]
    public void SetImeiLock_ValidValue_SetsLockAndRecordsEvent(string imei)
    {
        var sim = TestSims.Create(status: SimStatus.Active);

        sim.SetImeiLock(imei, Now);

        sim.ImeiLock.ShouldBe(imei);
        sim.LastModifiedTime.ShouldBe(Now);
        sim.PendingEvents.Count.ShouldBe(3);
        sim.PendingEvents.ShouldAllBe(e => e.Type == DomainEventTypes.ImeiLockChanged && e.OldValue == null && e.NewValue == imei);
    }

    [Theory]
    [InlineData("12345678901234")]
    [InlineData("1234567890123456")]
    [InlineData("12345678901234A")]
    [InlineData("abcdefghijklmno")]
    [InlineData("123456789012345|anonymous")]
    [InlineData("123456789012345|Anonymous")]
    [InlineData("123456789012345|")]
    [InlineData("123456789012345ANONYMOUS")]
    [InlineData("|ANONYMOUS")]
    [InlineData("")]
    [InlineData(" 123456789012345")]
    [InlineData("123456789012345 ")]
    [InlineData("123456789012345\n")]
    [InlineData("123456789012345|ANONYMOUS\n")]
    [InlineData("１２３４５６７８９０１２３４５")]
    [InlineData("١٢٣٤٥٦٧٨٩٠١٢٣٤٥")]
    public void SetImeiLock_MalformedValue_ThrowsImeiInvalidAndChangesNothing(string imei)
    {
        var sim = TestSims.Create(status: SimStatus.Active);
        sim.ImeiLock = "111111111111111";
        var before = TestSims.Snapshot(sim);

        Should.Throw<SimlaneException>(() => sim.SetImeiLock(imei, Now)).Error.ShouldBe(ErrorCodes.ImeiInvalid);

        TestSims.Snapshot(sim).ShouldBe(before);
    }

    [Fact]
    public void SetImeiLock_SameValue_RecordsNothing()
    {
        var sim = TestSims.Create(status: SimStatus.Active);
        sim.ImeiLock = "123456789012345";
        var before = TestSims.Snapshot(sim);

        sim.SetImeiLock("123456789012345", Now);

        TestSims.Snapshot(sim).ShouldBe(before);
    }

    [Fact]
    public void UnsetImeiLock_Locked_ClearsLockAndRecordsEvent()
    {
        var sim = TestSims.Create(status: SimStatus.Active);
        sim.ImeiLock = "123456789012345";

        sim.UnsetImeiLock(Now);

        sim.ImeiLock.ShouldBeNull();
        sim.PendingEvents.ShouldAllBe(e => e.Type == DomainEventTypes.ImeiLockChanged && e.OldValue == "123456789012345" && e.NewValue == null);
        sim.PendingEvents.Count.ShouldBe(3);
    }

    // ---- Tags ----

    [Fact]
    public void PutTags_NewAndExistingNames_UpsertsAndKeepsOthers()
    {
        var sim = TestSims.Create();
        sim.PutTags([new("env", "prod")], Now);

        sim.PutTags([new("name", "renamed"), new("room", ""), new("with/slash %", "x")], Now + 1);

        sim.TagValue("name").ShouldBe("renamed");
        sim.TagValue("env").ShouldBe("prod");
        sim.TagValue("room").ShouldBe("");
        sim.TagValue("with/slash %").ShouldBe("x");
        sim.Tags.Count.ShouldBe(4);
        sim.Tags.Count(t => t.Name == "name").ShouldBe(1);
        sim.LastModifiedTime.ShouldBe(Now + 1);
    }

    [Fact]
    public void DeleteTag_Existing_RemovesOnlyThatTag()
    {
        var sim = TestSims.Create();
        sim.PutTags([new("env", "prod")], Now);

        sim.DeleteTag("env", Now + 1);

        sim.TagValue("env").ShouldBeNull();
        sim.TagValue("name").ShouldBe("device-1");
        sim.LastModifiedTime.ShouldBe(Now + 1);
    }

    [Fact]
    public void DeleteTag_Unknown_ThrowsTagNotFoundAndChangesNothing()
    {
        var sim = TestSims.Create();
        var before = TestSims.Snapshot(sim);

        Should.Throw<SimlaneException>(() => sim.DeleteTag("missing", Now)).Error.ShouldBe(ErrorCodes.TagNotFound);

        TestSims.Snapshot(sim).ShouldBe(before);
    }

    // ---- Terminated SIMs ----

    public static TheoryData<string> Mutators() =>
    [
        "ChangeStatus(active)", "ChangeStatus(terminated)", "SetTerminationEnabled(false)", "SetTerminationEnabled(true)",
        "UpdateSpeedClass", "SetGroup", "UnsetGroup", "SetImeiLock", "UnsetImeiLock", "PutTags", "DeleteTag",
    ];

    [Theory]
    [MemberData(nameof(Mutators))]
    public void Mutator_TerminatedSim_ThrowsSimTerminatedAndChangesNothing(string mutator)
    {
        var sim = TestSims.Create(status: SimStatus.Terminated, terminationEnabled: true);
        sim.GroupId = "group-1";
        sim.ImeiLock = "123456789012345";
        var before = TestSims.Snapshot(sim);
        Action act = mutator switch
        {
            "ChangeStatus(active)" => () => sim.ChangeStatus(SimStatus.Active, Now),
            "ChangeStatus(terminated)" => () => sim.ChangeStatus(SimStatus.Terminated, Now),
            "SetTerminationEnabled(false)" => () => sim.SetTerminationEnabled(false, Now),
            "SetTerminationEnabled(true)" => () => sim.SetTerminationEnabled(true, Now),
            "UpdateSpeedClass" => () => sim.UpdateSpeedClass(SpeedClasses.S1Fast, Now),
            "SetGroup" => () => sim.SetGroup("group-2", Now),
            "UnsetGroup" => () => sim.UnsetGroup(Now),
            "SetImeiLock" => () => sim.SetImeiLock("999999999999999", Now),
            "UnsetImeiLock" => () => sim.UnsetImeiLock(Now),
            "PutTags" => () => sim.PutTags([new("env", "prod")], Now),
            "DeleteTag" => () => sim.DeleteTag("name", Now),
            _ => throw new ArgumentOutOfRangeException(nameof(mutator)),
        };

        Should.Throw<SimlaneException>(act).Error.ShouldBe(ErrorCodes.SimTerminated);

        TestSims.Snapshot(sim).ShouldBe(before);
    }

    // ---- Termination protection, group ----

    [Fact]
    public void SetTerminationEnabled_Toggle_RecordsEventWithOldAndNew()
    {
        var sim = TestSims.Create(status: SimStatus.Active, terminationEnabled: false);

        sim.SetTerminationEnabled(true, Now);

        sim.TerminationEnabled.ShouldBeTrue();
        sim.PendingEvents.Count.ShouldBe(3);
        sim.PendingEvents.ShouldAllBe(e => e.Type == DomainEventTypes.TerminationEnabledChanged && e.OldValue == "false" && e.NewValue == "true");
        sim.PendingHistory.ShouldBeEmpty();
    }

    [Fact]
    public void SetTerminationEnabled_SameValue_RecordsNothing()
    {
        var sim = TestSims.Create(status: SimStatus.Active, terminationEnabled: true);
        var before = TestSims.Snapshot(sim);

        sim.SetTerminationEnabled(true, Now);

        TestSims.Snapshot(sim).ShouldBe(before);
    }

    [Fact]
    public void SetGroupThenUnsetGroup_RecordsGroupChangedEventsAndHistory()
    {
        var sim = TestSims.Create(status: SimStatus.Active);

        sim.SetGroup("group-1", Now);
        sim.UnsetGroup(Now + 1).ShouldBeTrue();

        sim.GroupId.ShouldBeNull();
        sim.PendingEvents.Count.ShouldBe(6);
        sim.PendingEvents.Take(3).ShouldAllBe(e => e.Type == DomainEventTypes.GroupChanged && e.OldValue == null && e.NewValue == "group-1");
        sim.PendingEvents.Skip(3).ShouldAllBe(e => e.Type == DomainEventTypes.GroupChanged && e.OldValue == "group-1" && e.NewValue == null);
        sim.PendingHistory.Count.ShouldBe(4);
        sim.UnsetGroup(Now + 2).ShouldBeFalse();
        sim.PendingEvents.Count.ShouldBe(6);
    }

    // ---- Registration and inventory ----

    [Fact]
    public void Register_InventorySim_SetsOperatorAndRecordsRegisteredEvent()
    {
        var sim = TestSims.Create(operatorId: null);

        sim.Register(TestSims.OperatorId, Now);

        sim.OperatorId.ShouldBe(TestSims.OperatorId);
        sim.RegisteredTime.ShouldBe(Now);
        sim.PendingEvents.Count.ShouldBe(3);
        sim.PendingEvents.ShouldAllBe(e => e.Type == DomainEventTypes.Registered && e.OldValue == null && e.NewValue == TestSims.OperatorId);
    }

    [Fact]
    public void Register_Twice_ThrowsAlreadyRegisteredAndChangesNothing()
    {
        var sim = TestSims.Create(operatorId: null);
        sim.Register(TestSims.OperatorId, Now);
        var before = TestSims.Snapshot(sim);

        Should.Throw<SimlaneException>(() => sim.Register("OP0099999999", Now + 1)).Error.ShouldBe(ErrorCodes.AlreadyRegistered);

        TestSims.Snapshot(sim).ShouldBe(before);
        sim.OperatorId.ShouldBe(TestSims.OperatorId);
    }

    [Fact]
    public void Mutators_InventorySimWithoutOperator_RecordNoEvents()
    {
        var sim = TestSims.Create(operatorId: null, status: SimStatus.Ready, terminationEnabled: false);

        sim.ChangeStatus(SimStatus.Active, Now);
        sim.UpdateSpeedClass(SpeedClasses.S1Fast, Now);
        sim.SetGroup("group-1", Now);
        sim.SetImeiLock("123456789012345", Now);
        sim.SetTerminationEnabled(true, Now);
        sim.TerminateByExpiry(Now);

        sim.Status.ShouldBe(SimStatus.Terminated);
        sim.PendingEvents.ShouldBeEmpty();
    }
}
