using Simlane.Core.Events;
using Simlane.Core.Handlers;
using Simlane.Core.Usage;

namespace Simlane.Core.Tests.Handlers;

/// <summary>
/// The rule-type records are the one place rule semantics live (docs/engine.md): these tests pin each record's
/// event, unit level, condition and counter, which the index, the engine and the dry run read.
/// </summary>
public class RuleCatalogueTests
{
    public static TheoryData<string, string, EventRows, UnitLevel, RuleCondition> Semantics => new()
    {
        { RuleCatalogue.SubscriberFirstTraffic, DomainEventTypes.FirstTraffic, EventRows.PrimaryImsi, UnitLevel.Subscriber, RuleCondition.Event },
        { RuleCatalogue.SubscriberDailyTraffic, DomainEventTypes.UsageRecorded, EventRows.PrimaryImsi, UnitLevel.Subscriber, RuleCondition.Counter },
        { RuleCatalogue.SubscriberMonthlyTraffic, DomainEventTypes.UsageRecorded, EventRows.PrimaryImsi, UnitLevel.Subscriber, RuleCondition.Counter },
        { RuleCatalogue.SubscriberCumulativeTraffic, DomainEventTypes.UsageRecorded, EventRows.PrimaryImsi, UnitLevel.Subscriber, RuleCondition.Counter },
        { RuleCatalogue.SubscriberStatusAttribute, DomainEventTypes.StatusChanged, EventRows.PrimaryImsi, UnitLevel.Subscriber, RuleCondition.Event },
        { RuleCatalogue.SimStatusAttribute, DomainEventTypes.StatusChanged, EventRows.SimLevel, UnitLevel.Sim, RuleCondition.Event },
        { RuleCatalogue.SubscriberSpeedClassAttribute, DomainEventTypes.SpeedClassChanged, EventRows.PrimaryImsi, UnitLevel.Subscriber, RuleCondition.Event },
        { RuleCatalogue.SimSpeedClassAttribute, DomainEventTypes.SpeedClassChanged, EventRows.SimLevel, UnitLevel.Sim, RuleCondition.Event },
        { RuleCatalogue.SubscriberExpired, DomainEventTypes.Expired, EventRows.PrimaryImsi, UnitLevel.Subscriber, RuleCondition.Event },
        { RuleCatalogue.SimExpired, DomainEventTypes.Expired, EventRows.SimLevel, UnitLevel.Sim, RuleCondition.Event },
        { RuleCatalogue.SubscriberImeiMismatched, DomainEventTypes.ImeiMismatched, EventRows.PrimaryImsi, UnitLevel.Subscriber, RuleCondition.Event },
        { RuleCatalogue.SimImeiMismatched, DomainEventTypes.ImeiMismatched, EventRows.SimLevel, UnitLevel.Sim, RuleCondition.Event },
        { RuleCatalogue.SimDailyTotalTraffic, DomainEventTypes.UsageRecorded, EventRows.AnyImsi, UnitLevel.Sim, RuleCondition.Counter },
        { RuleCatalogue.SimMonthlyTotalTraffic, DomainEventTypes.UsageRecorded, EventRows.AnyImsi, UnitLevel.Sim, RuleCondition.Counter },
        { RuleCatalogue.SimCumulativeTotalTraffic, DomainEventTypes.UsageRecorded, EventRows.AnyImsi, UnitLevel.Sim, RuleCondition.Counter },
        { RuleCatalogue.SimSubscriptionStatus, DomainEventTypes.OtaStatusChanged, EventRows.SimLevel, UnitLevel.Sim, RuleCondition.Event },
        { RuleCatalogue.DailyTotalTraffic, DomainEventTypes.UsageRecorded, EventRows.AnyImsi, UnitLevel.Aggregate, RuleCondition.Counter },
        { RuleCatalogue.MonthlyTotalTraffic, DomainEventTypes.UsageRecorded, EventRows.AnyImsi, UnitLevel.Aggregate, RuleCondition.Counter },
        { RuleCatalogue.MonthlyCharge, DomainEventTypes.MonthlyChargeAggregated, EventRows.Any, UnitLevel.Aggregate, RuleCondition.Charge },
        { RuleCatalogue.SubscriberSessionStatus, DomainEventTypes.SessionCreated, EventRows.PrimaryImsi, UnitLevel.Subscriber, RuleCondition.Event },
    };

    [Theory]
    [MemberData(nameof(Semantics))]
    public void EachRuleType_ListensToItsEvent_AtItsUnitLevel(string name, string eventType, EventRows rows, UnitLevel level, RuleCondition condition)
    {
        var spec = RuleCatalogue.Types[name];
        spec.Events.ShouldContain(eventType);
        spec.Rows.ShouldBe(rows);
        spec.Level.ShouldBe(level);
        spec.Condition.ShouldBe(condition);
        spec.Standing.ShouldBe(condition != RuleCondition.Event);
    }

    [Fact]
    public void TheTable_CoversEveryRuleType()
    {
        Semantics.Select(row => (string)row[0]).ShouldBe(RuleCatalogue.Types.Keys, ignoreOrder: true);
    }

    [Theory]
    [InlineData(RuleCatalogue.SubscriberDailyTraffic, CounterScope.Imsi, UsagePeriod.Day)]
    [InlineData(RuleCatalogue.SubscriberMonthlyTraffic, CounterScope.Imsi, UsagePeriod.Month)]
    [InlineData(RuleCatalogue.SubscriberCumulativeTraffic, CounterScope.Imsi, UsagePeriod.AllTime)]
    [InlineData(RuleCatalogue.SimDailyTotalTraffic, CounterScope.Sim, UsagePeriod.Day)]
    [InlineData(RuleCatalogue.SimMonthlyTotalTraffic, CounterScope.Sim, UsagePeriod.Month)]
    [InlineData(RuleCatalogue.SimCumulativeTotalTraffic, CounterScope.Sim, UsagePeriod.AllTime)]
    [InlineData(RuleCatalogue.DailyTotalTraffic, CounterScope.Target, UsagePeriod.Day)]
    [InlineData(RuleCatalogue.MonthlyTotalTraffic, CounterScope.Target, UsagePeriod.Month)]
    public void TrafficRules_NameTheirCounter(string name, CounterScope scope, UsagePeriod period)
    {
        RuleCatalogue.Types[name].Counter.ShouldBe(new RuleCounter(scope, period));
        RuleCatalogue.Types[name].Required.ShouldContain(RuleCatalogue.LimitTotalTrafficMegaByte);
        RuleCatalogue.IsTrafficRule(name).ShouldBeTrue();
    }

    [Fact]
    public void OnlyCounterRules_HaveACounter_AndOnlyTheyTakeATrafficLimit()
    {
        foreach (var spec in RuleCatalogue.Types.Values)
        {
            (spec.Counter is not null).ShouldBe(spec.Condition == RuleCondition.Counter, spec.Name);
            spec.Accepts(RuleCatalogue.LimitTotalTrafficMegaByte).ShouldBe(spec.Condition == RuleCondition.Counter, spec.Name);
        }
    }

    [Fact]
    public void AggregateRules_TargetOnlyGroupsOrTheOperator()
    {
        foreach (var spec in RuleCatalogue.Types.Values.Where(s => s.Level == UnitLevel.Aggregate))
        {
            spec.Targets.ShouldAllBe(t => t == TargetKind.Group || t == TargetKind.Operator, spec.Name);
        }
    }

    [Theory]
    [InlineData(RuleCatalogue.SubscriberStatusAttribute, RuleVariables.Status)]
    [InlineData(RuleCatalogue.SimStatusAttribute, RuleVariables.Status)]
    [InlineData(RuleCatalogue.SubscriberSpeedClassAttribute, RuleVariables.SpeedClass)]
    [InlineData(RuleCatalogue.SimSpeedClassAttribute, RuleVariables.SpeedClass)]
    [InlineData(RuleCatalogue.SimSubscriptionStatus, RuleVariables.Subscription)]
    [InlineData(RuleCatalogue.SubscriberSessionStatus, RuleVariables.SessionStatus)]
    [InlineData(RuleCatalogue.SubscriberDailyTraffic, RuleVariables.None)]
    [InlineData(RuleCatalogue.SimExpired, RuleVariables.None)]
    public void RuleSpecificVariables_ComeFromTheRecord(string name, RuleVariables variables)
    {
        RuleCatalogue.Types[name].Variables.ShouldBe(variables);
    }

    [Fact]
    public void SessionRule_ListensToCreatedAndDeleted()
    {
        var spec = RuleCatalogue.Types[RuleCatalogue.SubscriberSessionStatus];
        spec.Listens(DomainEventTypes.SessionDeleted, simLevel: false, primaryImsi: true).ShouldBeTrue();
        spec.Listens(DomainEventTypes.SessionDeleted, simLevel: false, primaryImsi: false).ShouldBeFalse();
        spec.Listens(DomainEventTypes.SessionDeleted, simLevel: true, primaryImsi: false).ShouldBeFalse();
    }

    [Fact]
    public void Rows_DecideWhichEventRowsAreRead()
    {
        var total = RuleCatalogue.Types[RuleCatalogue.SimDailyTotalTraffic];
        total.Listens(DomainEventTypes.UsageRecorded, simLevel: false, primaryImsi: false).ShouldBeTrue();
        total.Listens(DomainEventTypes.UsageRecorded, simLevel: true, primaryImsi: false).ShouldBeFalse();
        var simStatus = RuleCatalogue.Types[RuleCatalogue.SimStatusAttribute];
        simStatus.Listens(DomainEventTypes.StatusChanged, simLevel: true, primaryImsi: false).ShouldBeTrue();
        simStatus.Listens(DomainEventTypes.StatusChanged, simLevel: false, primaryImsi: true).ShouldBeFalse();
        RuleCatalogue.Types[RuleCatalogue.MonthlyCharge].Listens(DomainEventTypes.MonthlyChargeAggregated, simLevel: true, primaryImsi: false).ShouldBeTrue();
    }

    [Fact]
    public void Get_RefusesAnUnknownRuleType_AndResolvesLegacyNames()
    {
        Should.Throw<ArgumentException>(() => RuleCatalogue.Get("NoSuchRule"));
        RuleCatalogue.Get("DailyTrafficRule").Name.ShouldBe(RuleCatalogue.SubscriberDailyTraffic);
    }
}
