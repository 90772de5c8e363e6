using System.Text.Json.Nodes;
using Simlane.Core.Engine;
using Simlane.Core.Events;
using Simlane.Core.Handlers;
using Simlane.Core.Sims;

namespace Simlane.Core.Tests.Engine;

/// <summary>The action planner: due times for every execution time, variable expansion, properties left as stored.</summary>
public class ActionPlannerTests
{
    /// <summary>2026-03-10T12:00:00Z.</summary>
    private const long T0 = 1_773_144_000_000;

    private static readonly VariableContext Context = new() { Imsi = "001010000000001", SimId = "sim1", OperatorId = "op", MatchTime = T0 };

    private static HandlerAction Action(string type, string when, int offset, JsonObject? properties = null)
    {
        var all = properties ?? [];
        all[ActionCatalogue.ExecutionDateTimeConst] = when;
        return new HandlerAction(type, when, offset, all);
    }

    [Theory]
    [InlineData(Timings.Immediately, 0, T0)]
    [InlineData(Timings.Immediately, 10, T0 + 600_000)]
    [InlineData(Timings.BeginningOfNextDay, 0, 1_773_187_200_000)]
    [InlineData(Timings.BeginningOfNextDay, 90, 1_773_187_200_000 + 5_400_000)]
    [InlineData(Timings.BeginningOfNextMonth, 0, 1_775_001_600_000)]
    [InlineData(Timings.AfterOneDay, 0, T0 + 86_400_000)]
    [InlineData(Timings.AfterOneDay, 1, T0 + 86_400_000 + 60_000)]
    public void DueTime_PerExecutionTime(string when, int offset, long due)
    {
        var planned = ActionPlanner.Plan([Action(ActionCatalogue.Activation, when, offset)], T0, Context);
        planned.Single()!["dueTime"]!.GetValue<long>().ShouldBe(due);
        planned[0]!["type"]!.GetValue<string>().ShouldBe(ActionCatalogue.Activation);
    }

    [Fact]
    public void Never_IsPlannedWithoutADueTime()
    {
        var planned = ActionPlanner.Plan([Action(ActionCatalogue.Suspend, Timings.Never, 0)], T0, Context);
        planned.Single()!.AsObject().ContainsKey("dueTime").ShouldBeTrue();
        planned[0]!["dueTime"].ShouldBeNull();
    }

    [Fact]
    public void Variables_AreExpandedInTheExpandedProperties_Only()
    {
        var mail = Action(ActionCatalogue.SendMail, Timings.Immediately, 0, new JsonObject
        {
            ["to"] = "${imsi}@example.com", ["title"] = "SIM ${simId}", ["message"] = "${imsi} on ${date} ${unknown}",
        });
        var web = Action(ActionCatalogue.ExecuteWebRequest, Timings.Immediately, 0, new JsonObject
        {
            ["url"] = "https://example.com/${operatorId}", ["httpMethod"] = "POST", ["contentType"] = "application/${imsi}",
            ["headers"] = new JsonObject { ["X-Imsi"] = "${imsi}" }, ["body"] = "{\"sim\":\"${simId}\"}",
        });
        var planned = ActionPlanner.Plan([mail, web], T0, Context);
        var m = planned[0]!["properties"]!;
        m["to"]!.GetValue<string>().ShouldBe("${imsi}@example.com", "to is not expanded");
        m["title"]!.GetValue<string>().ShouldBe("SIM sim1");
        m["message"]!.GetValue<string>().ShouldBe("001010000000001 on 2026/3/10 ${unknown}");
        var w = planned[1]!["properties"]!;
        w["url"]!.GetValue<string>().ShouldBe("https://example.com/op");
        w["contentType"]!.GetValue<string>().ShouldBe("application/${imsi}", "contentType is not expanded");
        w["headers"]!["X-Imsi"]!.GetValue<string>().ShouldBe("001010000000001");
        w["body"]!.GetValue<string>().ShouldBe("{\"sim\":\"sim1\"}");
        w["executionDateTimeConst"]!.GetValue<string>().ShouldBe(Timings.Immediately);

        // The typed action (cached by the engine) is never changed by planning.
        mail.Properties["title"]!.GetValue<string>().ShouldBe("SIM ${simId}");
    }

    [Fact]
    public void ExpandedProperties_AreTheDocumentedOnes()
    {
        ActionPlanner.ExpandedProperties.Order(StringComparer.Ordinal).ShouldBe(
            ["body", "headers", "message", "parameter1", "parameter2", "parameter3", "parameter4", "parameter5", "title", "url"]);
    }

    private static TypedHandler Handler(string type, string properties) => RuleEvaluatorTests.Handler(type, properties);

    [Fact]
    public void Variables_StatusRule_FillsStatus_NotSpeedClass()
    {
        var handler = Handler(RuleCatalogue.SimStatusAttribute, """{"inactiveTimeoutDateConst":"NEVER"}""");
        var firing = RuleEvaluator.Evaluate(handler, new EventObservation(DomainEventTypes.StatusChanged, null, "sim1", "001", "active", "suspended", T0), null, [], T0, false)!;
        var sim = new Sim { SimId = "sim1", OperatorId = "op", SpeedClass = "s1.fast", Type = "virtual", ModuleType = "virtual", Tags = [new SimTag { SimId = "sim1", Name = "room", Value = "101" }] };
        var variables = ActionPlanner.Variables(handler, firing, sim, "001", "jp");
        (variables.OldStatus, variables.NewStatus).ShouldBe(("active", "suspended"));
        (variables.OldSpeedClass, variables.NewSpeedClass, variables.SessionStatus, variables.OtaStatus).ShouldBe((null, null, null, null));
        variables.Imsi.ShouldBe("001", "a SIM-level firing names the primary IMSI");
        (variables.SimId, variables.OperatorId, variables.Coverage, variables.PrimaryImsi, variables.MatchTime).ShouldBe(("sim1", "op", "jp", "001", T0));
        variables.Tags!["room"].ShouldBe("101");
    }

    [Fact]
    public void Variables_SpeedClassAndSession()
    {
        var speed = Handler(RuleCatalogue.SubscriberSpeedClassAttribute, """{"inactiveTimeoutDateConst":"NEVER"}""");
        var changed = RuleEvaluator.Evaluate(speed, new EventObservation(DomainEventTypes.SpeedClassChanged, "002", "sim1", "001", "s1.slow", "s1.fast", T0), null, [], T0, false)!;
        var v = ActionPlanner.Variables(speed, changed, null, "001", "g");
        (v.OldSpeedClass, v.NewSpeedClass, v.OldStatus, v.Imsi, v.Tags).ShouldBe(("s1.slow", "s1.fast", null, "002", null));

        var session = Handler(RuleCatalogue.SubscriberSessionStatus, """{"inactiveTimeoutDateConst":"NEVER","sessionStatus":"Created"}""");
        var created = RuleEvaluator.Evaluate(session, new EventObservation(DomainEventTypes.SessionCreated, "001", "sim1", "001", null, "352099001761481", T0), null, [], T0, false)!;
        var s = ActionPlanner.Variables(session, created, null, "001", "g");
        (s.SessionStatus, s.Imei).ShouldBe(("Created", "352099001761481"));
    }

    [Theory]
    [InlineData("finished", "001010000000009")]
    [InlineData("started", "001")]
    [InlineData("failed", "001")]
    public void Variables_Ota_ImsiIsTheAddedOneOnceFinished(string status, string imsi)
    {
        var handler = Handler(RuleCatalogue.SimSubscriptionStatus, """{"inactiveTimeoutDateConst":"NEVER"}""");
        var firing = RuleEvaluator.Evaluate(handler, new EventObservation(DomainEventTypes.OtaStatusChanged, null, "sim1", "001", "001010000000009", status, T0), null, [], T0, false)!;
        var sim = new Sim
        {
            SimId = "sim1", OperatorId = "op", SpeedClass = "s1.fast", Type = "virtual", ModuleType = "virtual",
            Subscriptions = [new Subscription { Imsi = "001", SimId = "sim1", Iccid = "1", Plan = "plan01s", IsPrimary = true }, new Subscription { Imsi = "001010000000009", SimId = "sim1", Iccid = "2", Plan = "planX3", IsPrimary = false }],
        };
        var v = ActionPlanner.Variables(handler, firing, sim, "001", "g");
        (v.OtaStatus, v.Subscription, v.Imsi).ShouldBe((status, "planX3", imsi));
    }
}
