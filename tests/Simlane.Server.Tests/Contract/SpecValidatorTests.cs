using Simlane.Server.Tests.Infrastructure;

namespace Simlane.Server.Tests.Contract;

/// <summary>The contract check must itself be able to fail, or every other test's check is vacuous.</summary>
public sealed class SpecValidatorTests
{
    [Fact]
    public void Find_MatchesConcretePathsToOperations()
    {
        Spec.Find("GET", "/v1/sims/8942310000000000001")!.OperationId.ShouldBe("getSim");
        Spec.Find("POST", "/v1/subscribers/001010000000001/set_to_standby")!.OperationId.ShouldBe("setSubscriberToStandby");
        Spec.Find("GET", "/v1/event_handlers/subscribers/001010000000001")!.OperationId.ShouldBe("listEventHandlersBySubscriber");
        Spec.Find("POST", "/v1/sandbox/init")!.OperationId.ShouldBe("sandboxInitializeOperator");
        Spec.Find("GET", "/v1/not/a/route").ShouldBeNull();
    }

    [Fact]
    public void ResponseSchema_RejectsWrongTypesUnknownPropertiesAndBadEnums()
    {
        var schema = Spec.ResponseSchema(Spec.Find("GET", "/v1/sims/1")!, 200)!;
        schema.Validate("""{"body":{"simId":"1","status":"active","tags":{"name":""}}}""").ShouldBeEmpty();
        schema.Validate("""{"body":{"simId":1}}""").ShouldNotBeEmpty();
        schema.Validate("""{"body":{"simId":"1","terminationEnable":false}}""").ShouldNotBeEmpty();
        schema.Validate("""{"body":{"simId":"1","status":"frozen"}}""").ShouldNotBeEmpty();
        schema.Validate("""{"body":{"simId":"1","profiles":{"x":{"subscribers":{"y":{"status":"bogus"}}}}}}""").ShouldNotBeEmpty();
    }

    [Fact]
    public void ResponseSchema_RelaxesNothingButTheDocumentedExceptions()
    {
        var sim = Spec.ResponseSchema(Spec.Find("GET", "/v1/sims/1")!, 200)!;
        sim.Validate("""{"body":{"profiles":{"x":{"subscribers":{"y":{"status":"suspended"}}}}}}""").ShouldNotBeEmpty();
        sim.Validate("""{"body":{"profiles":{"x":{"subscribers":{"y":{"status":"active"}}}}}}""").ShouldBeEmpty();
        var group = Spec.ResponseSchema(Spec.Find("GET", "/v1/groups/g")!, 200)!;
        group.Validate("""{"body":{"groupId":"g","createdTime":1,"lastModifiedTime":2}}""").ShouldBeEmpty();
        group.Validate("""{"body":{"groupId":"g","createdAt":1}}""").ShouldNotBeEmpty();

        // X1 (decisions.md): null targets and description, as SORACOM's event-handler guide shows.
        var handler = Spec.ResponseSchema(Spec.Find("GET", "/v1/event_handlers/h")!, 200)!;
        const string Rule = "\"ruleConfig\":{\"type\":\"SubscriberDailyTrafficRule\",\"properties\":{\"inactiveTimeoutDateConst\":\"NEVER\",\"runOnceAmongTarget\":";
        const string Head = "{\"body\":{\"handlerId\":\"h\",\"name\":\"n\",\"status\":\"active\",\"actionConfigList\":[],";
        handler.Validate(Head + "\"targetImsi\":null,\"description\":null," + Rule + "\"true\"}}}}").ShouldBeEmpty();
        handler.Validate(Head + "\"targetImsi\":1," + Rule + "\"true\"}}}}").ShouldNotBeEmpty();

        // X2 (decisions.md): runOnceAmongTarget is the string "true"/"false", never a JSON boolean or another word.
        handler.Validate(Head + Rule + "true}}}}").ShouldNotBeEmpty();
        handler.Validate(Head + Rule + "\"yes\"}}}}").ShouldNotBeEmpty();
    }
}
