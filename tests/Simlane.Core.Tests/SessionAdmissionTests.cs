using Simlane.Core.Errors;
using Simlane.Core.Events;
using Simlane.Core.Sims;

namespace Simlane.Core.Tests;

/// <summary>Imei.Satisfies and Sim.AdmitSession / AddSubscription / ReportOta, without a database.</summary>
public class SessionAdmissionTests
{
    private const long Now = 1_800_000_000_000;
    private const string Imei = "490154203237518";
    private const string OtherImei = "356938035643809";

    [Theory]
    [InlineData(Imei, Imei, true)]
    [InlineData(Imei, OtherImei, false)]
    [InlineData(Imei, null, false)]
    [InlineData(Imei, "", false)]
    [InlineData(Imei, "000000000000000", false)]
    [InlineData(Imei + "|ANONYMOUS", Imei, true)]
    [InlineData(Imei + "|ANONYMOUS", OtherImei, false)]
    [InlineData(Imei + "|ANONYMOUS", null, true)]
    [InlineData(Imei + "|ANONYMOUS", "000000000000000", true)]
    [InlineData(Imei, "4901542032375101", true)] // IMEISV: TAC and serial number match, software version 01
    [InlineData(Imei, "490154203237510", true)] // the check digit is not compared
    [InlineData(Imei, "4901542032375201", false)]
    [InlineData(Imei + "|ANONYMOUS", "4901542032375199", true)]
    [InlineData(Imei + "|ANONYMOUS", "3569380356438001", false)]
    [InlineData(Imei + "|ANONYMOUS", "0000000000000000", true)]
    [InlineData(Imei, "49015420323751", false)] // 14 digits: neither an IMEI nor an IMEISV
    [InlineData(Imei, "4901542032375x1", false)]
    public void Satisfies_LockAndReportedImei(string imeiLock, string? reported, bool expected) =>
        Sims.Imei.Satisfies(imeiLock, reported).ShouldBe(expected);

    [Theory]
    [InlineData("4901542032375101", "490154203237518")] // IMEISV -> IMEI with its Luhn digit
    [InlineData("3569380356438001", "356938035643809")]
    [InlineData("490154203237518", "490154203237518")]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("0000000000000000", null)]
    public void TryNormalize_ImeiOrImeisv_GivesFifteenDigits(string? reported, string? expected)
    {
        Sims.Imei.TryNormalize(reported, out var imei).ShouldBeTrue();
        imei.ShouldBe(expected);
    }

    [Theory]
    [InlineData("1234")]
    [InlineData("49015420323751012")]
    [InlineData("49015420323751ab")]
    public void TryNormalize_Malformed_IsRefused(string reported) => Sims.Imei.TryNormalize(reported, out _).ShouldBeFalse();

    [Theory]
    [InlineData(SimStatus.Ready)]
    [InlineData(SimStatus.Standby)]
    public void AdmitSession_ReadyOrStandby_MovesToActiveWithEventsAndHistory(SimStatus status)
    {
        var sim = TestSims.Create(status: status);

        sim.AdmitSession(TestSims.PrimaryImsi, Imei, Now).ShouldBeNull();

        sim.Status.ShouldBe(SimStatus.Active);
        sim.PendingEvents.Where(e => e.Type == DomainEventTypes.StatusChanged).ShouldAllBe(e => e.NewValue == "active");
        sim.PendingEvents.Count(e => e.Type == DomainEventTypes.StatusChanged).ShouldBe(3);
        sim.PendingHistory.Count.ShouldBe(2);
    }

    [Theory]
    [InlineData(SimStatus.Inactive, "inactive")]
    [InlineData(SimStatus.Suspended, "suspended")]
    [InlineData(SimStatus.Terminated, "terminated")]
    public void AdmitSession_StatusWithoutData_RefusesAndChangesNothing(SimStatus status, string reason)
    {
        var sim = TestSims.Create(status: status);
        var before = TestSims.Snapshot(sim);

        sim.AdmitSession(TestSims.PrimaryImsi, Imei, Now).ShouldBe(reason);

        TestSims.Snapshot(sim).ShouldBe(before);
    }

    [Fact]
    public void AdmitSession_ExpiryDueButNotApplied_RefusesExpired()
    {
        var sim = TestSims.Create();
        sim.ExpiryTime = Now;

        sim.AdmitSession(TestSims.PrimaryImsi, Imei, Now).ShouldBe("expired");
        sim.Status.ShouldBe(SimStatus.Ready);
    }

    [Fact]
    public void AdmitSession_ImeiMismatch_RecordsImeiMismatchedForSimAndEachImsi()
    {
        var sim = TestSims.Create();
        sim.ImeiLock = Imei;

        sim.AdmitSession(TestSims.PrimaryImsi, OtherImei, Now).ShouldBe("imei_mismatch");

        sim.Status.ShouldBe(SimStatus.Ready);
        sim.PendingEvents.ShouldAllBe(e => e.Type == DomainEventTypes.ImeiMismatched && e.OldValue == Imei && e.NewValue == OtherImei);
        sim.PendingEvents.Select(e => e.Imsi).ShouldBe([null, TestSims.PrimaryImsi, TestSims.SecondaryImsi]);
    }

    [Fact]
    public void AdmitSession_SecondaryNotYetProvisioned_RefusesInactive()
    {
        var sim = TestSims.Create();
        sim.Subscriptions.Single(s => !s.IsPrimary).SecondaryStatus = "shipped";

        sim.AdmitSession(TestSims.SecondaryImsi, Imei, Now).ShouldBe("inactive");
    }

    /// <summary>
    /// Every combination of the facts the rules read: the facts alone give AdmitSession's answer, and say it changes the
    /// SIM exactly when it does (a reader that decides from the facts falls back to the SIM only then).
    /// </summary>
    [Fact]
    public void Facts_DecideAsAdmitSession_AndWritesIsTrueExactlyWhenItChangesTheSim()
    {
        var cases = 0;
        foreach (var status in Enum.GetValues<SimStatus>())
        {
            foreach (var secondary in new[] { false, true })
            {
                foreach (var secondaryStatus in new[] { "shipped", "delivered", "ready", "active", "terminated" })
                {
                    foreach (var expiry in new long?[] { null, Now, Now + 1 })
                    {
                        foreach (var (imeiLock, reported) in new (string?, string?)[] { (null, Imei), (Imei, Imei), (Imei, OtherImei), (Imei + "|ANONYMOUS", null) })
                        {
                            var sim = TestSims.Create(status: status);
                            sim.ExpiryTime = expiry;
                            sim.ImeiLock = imeiLock;
                            sim.Subscriptions.Single(s => !s.IsPrimary).SecondaryStatus = secondaryStatus;
                            var imsi = secondary ? TestSims.SecondaryImsi : TestSims.PrimaryImsi;
                            var facts = SessionAdmissionFacts.Of(sim, sim.Subscriptions.Single(s => s.Imsi == imsi));
                            var before = TestSims.Snapshot(sim);

                            var refusal = sim.AdmitSession(imsi, reported, Now);

                            var label = $"{status} secondary={secondary}/{secondaryStatus} expiry={expiry} lock={imeiLock} imei={reported}";
                            facts.Decide(reported, Now).ShouldBe(refusal, label);
                            facts.Writes(refusal).ShouldBe(TestSims.Snapshot(sim) != before || sim.PendingEvents.Count > 0, label);
                            cases++;
                        }
                    }
                }
            }
        }

        cases.ShouldBe(Enum.GetValues<SimStatus>().Length * 2 * 5 * 3 * 4);
    }

    [Fact]
    public void AddSubscription_SingleCarrierPlan_Refuses()
    {
        var sim = TestSims.Create(plan: "plan-D", secondary: false);

        Should.Throw<SimlaneException>(() => sim.AddSubscription(TestSims.SimId, "planX3", "001010000000099", null, Now))
            .Error.ShouldBe(ErrorCodes.SubscriptionIncompatible);
        sim.Subscriptions.Count.ShouldBe(1);
    }

    [Fact]
    public void ReportOta_Finished_MakesTheSubscriptionReady()
    {
        var sim = TestSims.Create();
        var secondary = sim.Subscriptions.Single(s => !s.IsPrimary);
        secondary.SecondaryStatus = "shipped";

        sim.ReportOta(TestSims.SecondaryImsi, "finished", Now).SecondaryStatus.ShouldBe("ready");
        sim.ReportOta(TestSims.SecondaryImsi, "failed", Now).SecondaryStatus.ShouldBe("ready");
        sim.ReportOta(TestSims.SecondaryImsi, "started", Now).SecondaryStatus.ShouldBe("shipped");
        sim.PendingEvents.Where(e => e.Imsi == null).Select(e => e.NewValue).ShouldBe(["finished", "failed", "started"]);
    }
}
