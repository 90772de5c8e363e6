using System.Net;
using System.Text.Json.Nodes;
using Simlane.Core.Handlers;
using Simlane.Server.Tests.Infrastructure;

namespace Simlane.Server.Tests.Handlers;

/// <summary><c>GET /v1/event_handler_catalogue</c>: Core's catalogue as the console reads it (docs/api.md, "Catalogue").</summary>
public abstract class HandlerCatalogueTests(ServerFixture server)
{
    private static string[] Strings(JsonNode? node) => [.. node!.AsArray().Select(n => n!.GetValue<string>())];

    [Fact]
    public async Task Catalogue_AnswersEveryRuleTypeWithItsCoreRecord()
    {
        var op = await server.NewOperatorAsync();
        var catalogue = (await op.GetAsync("/v1/event_handler_catalogue")).ShouldBe(HttpStatusCode.OK).Json;

        catalogue["defaultRuleType"]!.GetValue<string>().ShouldBe(RuleCatalogue.Default);
        Strings(catalogue["timings"]).ShouldBe(Timings.All);
        catalogue["maxOffsetMinutes"]!.GetValue<int>().ShouldBe(Timings.MaxOffsetMinutes);
        catalogue["maxActions"]!.GetValue<int>().ShouldBe(new HandlerLimits().MaxActions);
        catalogue["legacyRuleTypes"]!["DailyTrafficRule"]!.GetValue<string>().ShouldBe(RuleCatalogue.SubscriberDailyTraffic);

        var rules = catalogue["rules"]!.AsObject();
        rules.Select(r => r.Key).ShouldBe(RuleCatalogue.Types.Keys);
        foreach (var (name, spec) in RuleCatalogue.Types)
        {
            var rule = rules[name]!;
            Strings(rule["required"]).ShouldBe(spec.Required, name);
            Strings(rule["optional"]).ShouldBe(spec.Optional, name);
            Strings(rule["timeouts"]).ShouldBe(spec.Timeouts, name);
            Strings(rule["targets"]).ShouldBe(spec.Targets.Select(TargetKinds.Name), name);
            Strings(rule["events"]).ShouldBe(spec.Events, name);
            rule["standing"]!.GetValue<bool>().ShouldBe(spec.Standing, name);
            (rule["counter"] is null).ShouldBe(spec.Counter is null, name);
        }

        var daily = rules[RuleCatalogue.SubscriberDailyTraffic]!;
        daily["level"]!.GetValue<string>().ShouldBe("subscriber");
        daily["condition"]!.GetValue<string>().ShouldBe("counter");
        daily["counter"]!["scope"]!.GetValue<string>().ShouldBe("imsi");
        daily["counter"]!["period"]!.GetValue<string>().ShouldBe("day");
        rules[RuleCatalogue.MonthlyCharge]!["condition"]!.GetValue<string>().ShouldBe("charge");
    }

    [Fact]
    public async Task Catalogue_AnswersEveryActionTypeAndPropertyLimit()
    {
        var op = await server.NewOperatorAsync();
        var catalogue = (await op.GetAsync("/v1/event_handler_catalogue")).ShouldBe(HttpStatusCode.OK).Json;

        var actions = catalogue["actions"]!.AsObject();
        actions.Select(a => a.Key).ShouldBe(ActionCatalogue.Types.Keys);
        foreach (var (name, spec) in ActionCatalogue.Types)
        {
            Strings(actions[name]!["required"]).ShouldBe(spec.Required, name);
            Strings(actions[name]!["optional"]).ShouldBe(spec.Optional, name);
        }

        actions[ActionCatalogue.ImeiLock]!["needsRule"]!["type"]!.GetValue<string>().ShouldBe(RuleCatalogue.SubscriberSessionStatus);
        actions[ActionCatalogue.ImeiLock]!["needsRule"]!["property"]!.GetValue<string>().ShouldBe(RuleCatalogue.HasImei);

        var limit = catalogue["ruleProperties"]![RuleCatalogue.LimitTotalTrafficMegaByte]!;
        limit["kind"]!.GetValue<string>().ShouldBe("wholeNumber");
        limit["min"]!.GetValue<long>().ShouldBe(1);
        limit["max"]!.GetValue<long>().ShouldBe(int.MaxValue);
        Strings(catalogue["ruleProperties"]![RuleCatalogue.SessionStatus]!["allowed"]).ShouldBe(["Created", "Deleted"]);
        Strings(catalogue["actionProperties"]!["speedClass"]!["allowed"]).ShouldBe(Simlane.Core.Sims.SpeedClasses.Requestable);
    }

    [Fact]
    public async Task Catalogue_NeedsAuthentication()
    {
        (await server.Anonymous().GetAsync("/v1/event_handler_catalogue")).ShouldBe(HttpStatusCode.Unauthorized);
    }
}

public sealed class HandlerCatalogueTests_Sqlite(SqliteServer server) : HandlerCatalogueTests(server), IClassFixture<SqliteServer>;

public sealed class HandlerCatalogueTests_Postgres(PostgresServer server) : HandlerCatalogueTests(server), IClassFixture<PostgresServer>;
