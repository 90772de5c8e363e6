using Simlane.Core.Engine;
using Simlane.Core.Events;
using Simlane.Core.Handlers;

namespace Simlane.Core.Tests.Engine;

public class HandlerIndexTests
{
    private static readonly IndexedHandler OnImsi = new("h-imsi", "op", RuleCatalogue.SubscriberDailyTraffic, TargetKind.Imsi, "001");
    private static readonly IndexedHandler OnSim = new("h-sim", "op", RuleCatalogue.SimDailyTotalTraffic, TargetKind.Sim, "sim1");
    private static readonly IndexedHandler OnGroup = new("h-group", "op", RuleCatalogue.SimStatusAttribute, TargetKind.Group, "g1");
    private static readonly IndexedHandler OnOperator = new("h-op", "op", RuleCatalogue.SubscriberStatusAttribute, TargetKind.Operator, "op");
    private static readonly IndexedHandler GroupTotal = new("h-total", "op", RuleCatalogue.DailyTotalTraffic, TargetKind.Group, "g2");
    private static readonly IndexedHandler Charge = new("h-charge", "op", RuleCatalogue.MonthlyCharge, TargetKind.Operator, "op");
    private static readonly IndexedHandler Foreign = new("h-foreign", "other", RuleCatalogue.SubscriberDailyTraffic, TargetKind.Operator, "other");

    private static readonly HandlerIndex Index = new([OnImsi, OnSim, OnGroup, OnOperator, GroupTotal, Charge, Foreign]);

    private static string[] Ids(string type, EventUnit unit) => [.. Index.Candidates(type, unit).Select(h => h.HandlerId).Order(StringComparer.Ordinal)];

    [Fact]
    public void Usage_OfThePrimaryImsi_ReachesImsiSimAndAggregateHandlers()
    {
        Ids(DomainEventTypes.UsageRecorded, new EventUnit("op", "sim1", "001", "g1", true)).ShouldBe(["h-imsi", "h-sim", "h-total"]);
    }

    [Fact]
    public void Usage_OfASecondaryImsi_SkipsSubscriberRules()
    {
        Ids(DomainEventTypes.UsageRecorded, new EventUnit("op", "sim1", "001", "g1", false)).ShouldBe(["h-sim", "h-total"]);
    }

    [Fact]
    public void Usage_OfAnotherImsiAndSim_ReachesOnlyAggregates()
    {
        Ids(DomainEventTypes.UsageRecorded, new EventUnit("op", "sim9", "009", null, true)).ShouldBe(["h-total"]);
    }

    [Fact]
    public void StatusChange_SimLevelRowReachesSimRules_ImsiRowReachesSubscriberRules()
    {
        Ids(DomainEventTypes.StatusChanged, new EventUnit("op", "sim1", null, "g1", false)).ShouldBe(["h-group"]);
        Ids(DomainEventTypes.StatusChanged, new EventUnit("op", "sim1", "001", "g1", true)).ShouldBe(["h-op"]);
        Ids(DomainEventTypes.StatusChanged, new EventUnit("op", "sim1", null, "g9", false)).ShouldBeEmpty();
    }

    [Fact]
    public void MonthlyCharge_ReachesTheOperatorsChargeRule()
    {
        Ids(DomainEventTypes.MonthlyChargeAggregated, new EventUnit("op", null, null, null, false)).ShouldBe(["h-charge"]);
        Ids(DomainEventTypes.MonthlyChargeAggregated, new EventUnit("other", null, null, null, false)).ShouldBeEmpty();
    }

    [Fact]
    public void MayMatch_IsFalseOnlyWhenNoGroupOrPrimaryFlagCouldGiveCandidates()
    {
        string[] types = [.. typeof(DomainEventTypes).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!)];
        string?[] groups = [null, "g1", "g2", "g9"];
        var screened = 0;
        foreach (var type in types)
        {
            foreach (var (operatorId, simId, imsi) in new[] { ("op", "sim1", "001"), ("op", "sim1", (string?)null), ("op", "sim9", "009"), ("other", "sim5", "005"), ("nobody", "sim7", "007") })
            {
                var anyCandidate = groups.Any(g => new[] { true, false }.Any(primary => Index.Candidates(type, new EventUnit(operatorId, simId, imsi, g, primary)).Count > 0));
                var mayMatch = Index.MayMatch(type, operatorId, simId, imsi);
                if (anyCandidate)
                {
                    mayMatch.ShouldBeTrue($"{type} {operatorId}/{simId}/{imsi} has candidates");
                }

                screened += mayMatch ? 0 : 1;
            }
        }

        // The screen must also let the engine skip something: most of these events have no handler at all.
        screened.ShouldBeGreaterThan(types.Length);
    }

    [Fact]
    public void MayMatch_OfAnOperatorWithOnlyImsiHandlers_IsFalseForOtherImsis()
    {
        var index = new HandlerIndex([new IndexedHandler("h", "op", RuleCatalogue.SubscriberDailyTraffic, TargetKind.Imsi, "001")]);
        index.MayMatch(DomainEventTypes.UsageRecorded, "op", "sim1", "001").ShouldBeTrue();
        index.MayMatch(DomainEventTypes.UsageRecorded, "op", "sim2", "002").ShouldBeFalse();
        index.MayMatch(DomainEventTypes.FirstTraffic, "op", "sim1", "001").ShouldBeFalse();
    }

    [Fact]
    public void UnrelatedEvents_ReachNothing()
    {
        Ids(DomainEventTypes.GroupChanged, new EventUnit("op", "sim1", "001", "g1", true)).ShouldBeEmpty();
    }

    [Theory]
    [InlineData(RuleCatalogue.SubscriberSessionStatus, DomainEventTypes.SessionCreated, false, true, true)]
    [InlineData(RuleCatalogue.SubscriberSessionStatus, DomainEventTypes.SessionDeleted, false, true, true)]
    [InlineData(RuleCatalogue.SubscriberSessionStatus, DomainEventTypes.SessionCreated, true, false, false)]
    [InlineData(RuleCatalogue.SimSubscriptionStatus, DomainEventTypes.OtaStatusChanged, true, false, true)]
    [InlineData(RuleCatalogue.SimExpired, DomainEventTypes.Expired, true, false, true)]
    [InlineData(RuleCatalogue.SubscriberExpired, DomainEventTypes.Expired, true, false, false)]
    [InlineData(RuleCatalogue.SimImeiMismatched, DomainEventTypes.ImeiMismatched, true, false, true)]
    [InlineData(RuleCatalogue.SubscriberFirstTraffic, DomainEventTypes.FirstTraffic, false, true, true)]
    [InlineData(RuleCatalogue.SubscriberFirstTraffic, DomainEventTypes.UsageRecorded, false, true, false)]
    public void Listens_MatchesRuleToEventAndLevel(string rule, string type, bool simLevel, bool primary, bool expected) =>
        HandlerIndex.Listens(rule, type, simLevel, primary).ShouldBe(expected);
}
