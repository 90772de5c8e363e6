using System.Text.Json.Nodes;
using Simlane.Core.Errors;
using Simlane.Core.Handlers;

namespace Simlane.Core.Tests.Handlers;

public class HandlerValidatorTests
{
    private static readonly HandlerLimits Limits = new();

    private static JsonObject Mail() => new()
    {
        ["type"] = "SendMailAction",
        ["properties"] = new JsonObject { ["executionDateTimeConst"] = "IMMEDIATELY", ["to"] = "ops@example.com", ["title"] = "t", ["message"] = "m" },
    };

    private static JsonObject Request(string ruleType, JsonObject properties, string targetField = "targetImsi", JsonArray? actions = null) => new()
    {
        ["name"] = "h",
        ["status"] = "active",
        [targetField] = "T1",
        ["ruleConfig"] = new JsonObject { ["type"] = ruleType, ["properties"] = properties },
        ["actionConfigList"] = actions ?? new JsonArray(Mail()),
    };

    private static JsonObject Daily(JsonNode? limit = null, string timeout = "BEGINNING_OF_NEXT_DAY") => new()
    {
        ["limitTotalTrafficMegaByte"] = limit ?? "10",
        ["inactiveTimeoutDateConst"] = timeout,
    };

    /// <summary>The minimal valid properties of each rule type and a target it accepts.</summary>
    public static TheoryData<string, string, string> MinimalRules() => new()
    {
        { "SubscriberFirstTrafficRule", "{\"inactiveTimeoutDateConst\":\"NEVER\"}", "targetImsi" },
        { "SubscriberDailyTrafficRule", "{\"inactiveTimeoutDateConst\":\"NEVER\",\"limitTotalTrafficMegaByte\":\"1\"}", "targetImsi" },
        { "SubscriberMonthlyTrafficRule", "{\"inactiveTimeoutDateConst\":\"NEVER\",\"limitTotalTrafficMegaByte\":\"1\"}", "targetSimId" },
        { "SubscriberCumulativeTrafficRule", "{\"inactiveTimeoutDateConst\":\"NEVER\",\"limitTotalTrafficMegaByte\":\"1\"}", "targetGroupId" },
        { "SubscriberStatusAttributeRule", "{\"inactiveTimeoutDateConst\":\"IMMEDIATELY\"}", "targetImsi" },
        { "SimStatusAttributeRule", "{\"inactiveTimeoutDateConst\":\"IMMEDIATELY\"}", "targetSimId" },
        { "SubscriberSpeedClassAttributeRule", "{\"inactiveTimeoutDateConst\":\"IMMEDIATELY\"}", "targetImsi" },
        { "SimSpeedClassAttributeRule", "{\"inactiveTimeoutDateConst\":\"IMMEDIATELY\"}", "targetGroupId" },
        { "SubscriberExpiredRule", "{\"inactiveTimeoutDateConst\":\"IMMEDIATELY\"}", "targetOperatorId" },
        { "SimExpiredRule", "{\"inactiveTimeoutDateConst\":\"IMMEDIATELY\"}", "targetSimId" },
        { "SubscriberImeiMismatchedRule", "{\"inactiveTimeoutDateConst\":\"AFTER_ONE_DAY\"}", "targetImsi" },
        { "SimImeiMismatchedRule", "{\"inactiveTimeoutDateConst\":\"AFTER_ONE_DAY\"}", "targetSimId" },
        { "SimDailyTotalTrafficRule", "{\"inactiveTimeoutDateConst\":\"BEGINNING_OF_NEXT_DAY\",\"limitTotalTrafficMegaByte\":\"1\"}", "targetSimId" },
        { "SimMonthlyTotalTrafficRule", "{\"inactiveTimeoutDateConst\":\"BEGINNING_OF_NEXT_MONTH\",\"limitTotalTrafficMegaByte\":\"1\"}", "targetSimId" },
        { "SimCumulativeTotalTrafficRule", "{\"inactiveTimeoutDateConst\":\"AFTER_ONE_DAY\",\"limitTotalTrafficMegaByte\":\"1\"}", "targetOperatorId" },
        { "SimSubscriptionStatusRule", "{\"inactiveTimeoutDateConst\":\"NEVER\"}", "targetSimId" },
        { "DailyTotalTrafficRule", "{\"inactiveTimeoutDateConst\":\"NEVER\",\"limitTotalTrafficMegaByte\":\"1\"}", "targetGroupId" },
        { "MonthlyTotalTrafficRule", "{\"inactiveTimeoutDateConst\":\"NEVER\",\"limitTotalTrafficMegaByte\":\"1\"}", "targetOperatorId" },
        { "MonthlyChargeRule", "{\"inactiveTimeoutDateConst\":\"IMMEDIATELY\",\"limitTotalAmount\":\"1\"}", "targetOperatorId" },
        { "SubscriberSessionStatusRule", "{\"inactiveTimeoutDateConst\":\"IMMEDIATELY\",\"sessionStatus\":\"Created\"}", "targetImsi" },
    };

    [Fact]
    public void Catalogue_HasTheTwentySpecRuleTypesAndTenActions()
    {
        RuleCatalogue.Types.Count.ShouldBe(20);
        ActionCatalogue.Types.Count.ShouldBe(10);
        MinimalRules().Count.ShouldBe(20);
    }

    [Theory]
    [MemberData(nameof(MinimalRules))]
    public void Validate_MinimalRule_IsAccepted(string type, string properties, string target)
    {
        var definition = HandlerValidator.Validate(Request(type, JsonNode.Parse(properties)!.AsObject(), target), Limits);
        definition.RuleType.ShouldBe(type);
        definition.Target.Field.ShouldBe(target);
    }

    [Theory]
    [MemberData(nameof(MinimalRules))]
    public void Validate_EachRequiredPropertyMissing_IsRefusedNamingItAndTheRule(string type, string properties, string target)
    {
        foreach (var required in RuleCatalogue.Types[type].Required)
        {
            var props = JsonNode.Parse(properties)!.AsObject();
            props.Remove(required);
            var e = Should.Throw<SimlaneException>(() => HandlerValidator.Validate(Request(type, props, target), Limits));
            e.Error.ShouldBe(ErrorCodes.InvalidRuleConfig);
            e.Message.ShouldBe($"ruleConfig.properties.{required}: is required ({type})");
        }
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("2147483648")]
    [InlineData("abc")]
    [InlineData("1.5")]
    [InlineData("")]
    [InlineData("99999999999999999999999")]
    public void Validate_TrafficLimitOutOfRange_IsRefused(string limit)
    {
        var e = Should.Throw<SimlaneException>(() => HandlerValidator.Validate(Request("SubscriberDailyTrafficRule", Daily(limit)), Limits));
        e.Error.ShouldBe(ErrorCodes.InvalidRuleConfig);
        e.Message.ShouldBe("ruleConfig.properties.limitTotalTrafficMegaByte: must be an integer from 1 to 2147483647 (SubscriberDailyTrafficRule)");
    }

    [Fact]
    public void Validate_TrafficLimitAsNumbers_IsRefusedOutOfRangeAndNormalisedInRange()
    {
        Should.Throw<SimlaneException>(() => HandlerValidator.Validate(Request("SubscriberDailyTrafficRule", Daily(JsonValue.Create(1.5))), Limits));
        Should.Throw<SimlaneException>(() => HandlerValidator.Validate(Request("SubscriberDailyTrafficRule", Daily(JsonValue.Create(0))), Limits));
        Should.Throw<SimlaneException>(() => HandlerValidator.Validate(Request("SubscriberDailyTrafficRule", Daily(JsonValue.Create(2147483648L))), Limits));
        Should.Throw<SimlaneException>(() => HandlerValidator.Validate(Request("SubscriberDailyTrafficRule", Daily(JsonValue.Create(true))), Limits));
        var max = HandlerValidator.Validate(Request("SubscriberDailyTrafficRule", Daily(JsonValue.Create(2147483647))), Limits);
        max.RuleProperties["limitTotalTrafficMegaByte"]!.GetValue<string>().ShouldBe("2147483647");
        HandlerValidator.Validate(Request("SubscriberDailyTrafficRule", Daily("010")), Limits)
            .RuleProperties["limitTotalTrafficMegaByte"]!.GetValue<string>().ShouldBe("10");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("2147483648")]
    [InlineData("abc")]
    [InlineData("1.5")]
    public void Validate_ChargeLimitOutOfRange_IsRefused(string limit)
    {
        var props = new JsonObject { ["limitTotalAmount"] = limit, ["inactiveTimeoutDateConst"] = "NEVER" };
        var e = Should.Throw<SimlaneException>(() => HandlerValidator.Validate(Request("MonthlyChargeRule", props, "targetOperatorId"), Limits));
        e.Message.ShouldBe("ruleConfig.properties.limitTotalAmount: must be an integer from 1 to 2147483647 (MonthlyChargeRule)");
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("525601")]
    [InlineData("x")]
    public void Validate_InactiveOffsetOutOfRange_IsRefused(string offset)
    {
        var props = Daily();
        props["inactiveTimeoutOffsetMinutes"] = offset;
        var e = Should.Throw<SimlaneException>(() => HandlerValidator.Validate(Request("SubscriberDailyTrafficRule", props), Limits));
        e.Message.ShouldBe("ruleConfig.properties.inactiveTimeoutOffsetMinutes: must be an integer from 0 to 525600 (SubscriberDailyTrafficRule)");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("525600")]
    public void Validate_InactiveOffsetAtBounds_IsAccepted(string offset)
    {
        var props = Daily();
        props["inactiveTimeoutOffsetMinutes"] = JsonValue.Create(int.Parse(offset, System.Globalization.CultureInfo.InvariantCulture));
        HandlerValidator.Validate(Request("SubscriberDailyTrafficRule", props), Limits)
            .RuleProperties["inactiveTimeoutOffsetMinutes"]!.GetValue<string>().ShouldBe(offset);
    }

    [Fact]
    public void Validate_OffsetWithNever_IsRefused()
    {
        var props = Daily(timeout: "NEVER");
        props["inactiveTimeoutOffsetMinutes"] = "0";
        var e = Should.Throw<SimlaneException>(() => HandlerValidator.Validate(Request("SubscriberDailyTrafficRule", props), Limits));
        e.Message.ShouldContain("inactiveTimeoutOffsetMinutes: cannot be given with inactiveTimeoutDateConst NEVER");
    }

    [Theory]
    [InlineData("SubscriberDailyTrafficRule", "targetImsi")]
    [InlineData("SubscriberMonthlyTrafficRule", "targetImsi")]
    [InlineData("SubscriberCumulativeTrafficRule", "targetImsi")]
    [InlineData("SimDailyTotalTrafficRule", "targetSimId")]
    [InlineData("SimMonthlyTotalTrafficRule", "targetSimId")]
    [InlineData("SimCumulativeTotalTrafficRule", "targetSimId")]
    [InlineData("DailyTotalTrafficRule", "targetGroupId")]
    [InlineData("MonthlyTotalTrafficRule", "targetGroupId")]
    [InlineData("SimSubscriptionStatusRule", "targetSimId")]
    [InlineData("DailyTrafficRule", "targetImsi")]
    public void Validate_ImmediatelyOnTrafficRules_IsRefused(string type, string target)
    {
        var props = new JsonObject { ["inactiveTimeoutDateConst"] = "IMMEDIATELY" };
        if (type != "SimSubscriptionStatusRule")
        {
            props["limitTotalTrafficMegaByte"] = "5";
        }

        var e = Should.Throw<SimlaneException>(() => HandlerValidator.Validate(Request(type, props, target), Limits));
        e.Error.ShouldBe(ErrorCodes.InvalidRuleConfig);
        e.Message.ShouldStartWith("ruleConfig.properties.inactiveTimeoutDateConst: 'IMMEDIATELY' is not allowed");
    }

    [Theory]
    [InlineData("IMMEDIATELY")]
    [InlineData("BEGINNING_OF_NEXT_DAY")]
    [InlineData("BEGINNING_OF_NEXT_MONTH")]
    [InlineData("AFTER_ONE_DAY")]
    public void Validate_FirstTrafficWithAnythingButNever_IsRefused(string timeout)
    {
        var props = new JsonObject { ["inactiveTimeoutDateConst"] = timeout };
        var e = Should.Throw<SimlaneException>(() => HandlerValidator.Validate(Request("SubscriberFirstTrafficRule", props), Limits));
        e.Message.ShouldBe($"ruleConfig.properties.inactiveTimeoutDateConst: '{timeout}' is not allowed; use one of NEVER (SubscriberFirstTrafficRule)");
    }

    [Fact]
    public void Validate_FirstTrafficWithOffset_IsRefused()
    {
        var props = new JsonObject { ["inactiveTimeoutDateConst"] = "NEVER", ["inactiveTimeoutOffsetMinutes"] = "5" };
        Should.Throw<SimlaneException>(() => HandlerValidator.Validate(Request("SubscriberFirstTrafficRule", props), Limits))
            .Message.ShouldBe("ruleConfig.properties.inactiveTimeoutOffsetMinutes: not used by SubscriberFirstTrafficRule");
    }

    [Theory]
    [InlineData("inactiveTimeoutDateConst", "SOMETIMES")]
    [InlineData("sourceStatus", "terminated")]
    [InlineData("targetStatus", "deleted")]
    [InlineData("runOnceAmongTarget", "maybe")]
    public void Validate_BadEnumOnStatusRule_IsRefused(string property, string value)
    {
        var props = new JsonObject { ["inactiveTimeoutDateConst"] = "IMMEDIATELY", [property] = value };
        var e = Should.Throw<SimlaneException>(() => HandlerValidator.Validate(Request("SimStatusAttributeRule", props, "targetSimId"), Limits));
        e.Error.ShouldBe(ErrorCodes.InvalidRuleConfig);
        e.Message.ShouldStartWith($"ruleConfig.properties.{property}: ");
        e.Message.ShouldEndWith("(SimStatusAttributeRule)");
    }

    [Fact]
    public void Validate_SpeedClassOtaAndSessionEnums_AreChecked()
    {
        Should.Throw<SimlaneException>(() => HandlerValidator.Validate(Request("SimSpeedClassAttributeRule",
            new JsonObject { ["inactiveTimeoutDateConst"] = "IMMEDIATELY", ["targetSpeedClass"] = "s1.turbo" }, "targetSimId"), Limits));
        Should.Throw<SimlaneException>(() => HandlerValidator.Validate(Request("SimSubscriptionStatusRule",
            new JsonObject { ["inactiveTimeoutDateConst"] = "NEVER", ["targetOtaStatus"] = "delivered" }, "targetSimId"), Limits));
        Should.Throw<SimlaneException>(() => HandlerValidator.Validate(Request("SubscriberSessionStatusRule",
            new JsonObject { ["inactiveTimeoutDateConst"] = "NEVER", ["sessionStatus"] = "Modified" }), Limits));
        var ok = HandlerValidator.Validate(Request("SimSpeedClassAttributeRule",
            new JsonObject { ["inactiveTimeoutDateConst"] = "IMMEDIATELY", ["targetSpeedClass"] = null, ["runOnceAmongTarget"] = true }, "targetSimId"), Limits);
        ok.RuleProperties.ContainsKey("targetSpeedClass").ShouldBeFalse();
        ok.RuleProperties["runOnceAmongTarget"]!.GetValue<string>().ShouldBe("true");
    }

    [Fact]
    public void Validate_HasImei_IsStoredAsBooleanFromStringOrBoolean()
    {
        var fromString = HandlerValidator.Validate(Request("SubscriberSessionStatusRule",
            new JsonObject { ["inactiveTimeoutDateConst"] = "NEVER", ["sessionStatus"] = "Created", ["hasImei"] = "TRUE" }), Limits);
        fromString.RuleProperties["hasImei"]!.GetValue<bool>().ShouldBeTrue();
        var fromBool = HandlerValidator.Validate(Request("SubscriberSessionStatusRule",
            new JsonObject { ["inactiveTimeoutDateConst"] = "NEVER", ["sessionStatus"] = "Deleted", ["hasImei"] = false }), Limits);
        fromBool.RuleProperties["hasImei"]!.GetValue<bool>().ShouldBeFalse();
        Should.Throw<SimlaneException>(() => HandlerValidator.Validate(Request("SubscriberSessionStatusRule",
            new JsonObject { ["inactiveTimeoutDateConst"] = "NEVER", ["sessionStatus"] = "Created", ["hasImei"] = "yes" }), Limits));
    }

    [Fact]
    public void Validate_PropertyNotUsedByTheRule_IsRefusedAndUnknownPropertyDropped()
    {
        var props = Daily();
        props["sourceStatus"] = "active";
        Should.Throw<SimlaneException>(() => HandlerValidator.Validate(Request("SubscriberDailyTrafficRule", props), Limits))
            .Message.ShouldBe("ruleConfig.properties.sourceStatus: not used by SubscriberDailyTrafficRule");
        var unknown = Daily();
        unknown["colour"] = "blue";
        HandlerValidator.Validate(Request("SubscriberDailyTrafficRule", unknown), Limits).RuleProperties.ContainsKey("colour").ShouldBeFalse();
    }

    [Theory]
    [InlineData("DailyTrafficRule", "SubscriberDailyTrafficRule")]
    [InlineData("MonthlyTrafficRule", "SubscriberMonthlyTrafficRule")]
    [InlineData("CumulativeTrafficRule", "SubscriberCumulativeTrafficRule")]
    public void Validate_LegacyRuleType_IsStoredUnderTheCurrentName(string legacy, string current)
    {
        HandlerValidator.Validate(Request(legacy, Daily(JsonValue.Create(1000))), Limits).RuleType.ShouldBe(current);
    }

    [Fact]
    public void Validate_UnknownRuleType_IsRefused()
    {
        Should.Throw<SimlaneException>(() => HandlerValidator.Validate(Request("WeeklyTrafficRule", Daily()), Limits))
            .Message.ShouldBe("ruleConfig.type: 'WeeklyTrafficRule' is not a rule type");
    }

    [Theory]
    [InlineData("DailyTotalTrafficRule", "targetImsi")]
    [InlineData("DailyTotalTrafficRule", "targetSimId")]
    [InlineData("MonthlyTotalTrafficRule", "targetImsi")]
    [InlineData("MonthlyChargeRule", "targetGroupId")]
    [InlineData("MonthlyChargeRule", "targetImsi")]
    [InlineData("SimDailyTotalTrafficRule", "targetImsi")]
    [InlineData("SimStatusAttributeRule", "targetImsi")]
    [InlineData("SimSubscriptionStatusRule", "targetImsi")]
    public void Validate_RuleTargetMismatch_IsRefused(string type, string target)
    {
        var props = new JsonObject { ["inactiveTimeoutDateConst"] = "NEVER", ["limitTotalTrafficMegaByte"] = "1", ["limitTotalAmount"] = "1" };
        var e = Should.Throw<SimlaneException>(() => HandlerValidator.Validate(Request(type, props, target), Limits));
        e.Error.ShouldBe(ErrorCodes.RuleTargetMismatch);
        e.Message.ShouldStartWith($"{target}: {type} cannot target");
    }

    [Fact]
    public void Validate_ZeroOrTwoTargets_IsRefused()
    {
        var none = Request("SubscriberDailyTrafficRule", Daily());
        none.Remove("targetImsi");
        Should.Throw<SimlaneException>(() => HandlerValidator.Validate(none, Limits)).Error.ShouldBe(ErrorCodes.HandlerTargetCount);
        var nulls = Request("SubscriberDailyTrafficRule", Daily());
        nulls["targetSimId"] = null;
        HandlerValidator.Validate(nulls, Limits).Target.ShouldBe(new HandlerTarget(TargetKind.Imsi, "T1"));
        var two = Request("SubscriberDailyTrafficRule", Daily());
        two["targetGroupId"] = "G";
        Should.Throw<SimlaneException>(() => HandlerValidator.Validate(two, Limits)).Message.ShouldContain("got targetImsi, targetGroupId");
    }

    [Theory]
    [InlineData("name", "COM0002")]
    [InlineData("status", "COM0002")]
    [InlineData("ruleConfig", "COM0002")]
    [InlineData("actionConfigList", "COM0002")]
    public void Validate_MissingTopLevelField_IsRefused(string field, string code)
    {
        var request = Request("SubscriberDailyTrafficRule", Daily());
        request.Remove(field);
        var e = Should.Throw<SimlaneException>(() => HandlerValidator.Validate(request, Limits));
        e.Error.Code.ShouldBe(code);
        e.Message.ShouldBe($"{field} is required");
    }

    [Fact]
    public void Validate_BadStatusOrEmptyActions_IsRefused()
    {
        var request = Request("SubscriberDailyTrafficRule", Daily());
        request["status"] = "paused";
        Should.Throw<SimlaneException>(() => HandlerValidator.Validate(request, Limits)).Error.ShouldBe(ErrorCodes.InvalidField);
        Should.Throw<SimlaneException>(() => HandlerValidator.Validate(Request("SubscriberDailyTrafficRule", Daily(), actions: []), Limits))
            .Error.ShouldBe(ErrorCodes.InvalidActionConfig);
    }

    [Fact]
    public void Validate_ActionLimit_FollowsTheConfiguredMaximum()
    {
        var five = new JsonArray([.. Enumerable.Range(0, 5).Select(_ => (JsonNode)Mail())]);
        HandlerValidator.Validate(Request("SubscriberDailyTrafficRule", Daily(), actions: five), Limits).Actions.Count.ShouldBe(5);
        var six = new JsonArray([.. Enumerable.Range(0, 6).Select(_ => (JsonNode)Mail())]);
        Should.Throw<SimlaneException>(() => HandlerValidator.Validate(Request("SubscriberDailyTrafficRule", Daily(), actions: six), Limits))
            .Error.ShouldBe(ErrorCodes.TooManyActions);
        var sixAllowed = new HandlerLimits { MaxActions = 6 };
        HandlerValidator.Validate(Request("SubscriberDailyTrafficRule", Daily(), actions: six.DeepClone().AsArray()), sixAllowed).Actions.Count.ShouldBe(6);
    }

    private static JsonObject Action(string type, JsonObject properties)
    {
        properties.TryAdd("executionDateTimeConst", "IMMEDIATELY");
        return new JsonObject { ["type"] = type, ["properties"] = properties };
    }

    /// <summary>Every action with all its required properties.</summary>
    public static TheoryData<string, string> CompleteActions() => new()
    {
        { "SendMailAction", "{\"to\":\"a@example.com\",\"title\":\"t\",\"message\":\"m\"}" },
        { "SendMailToOperatorAction", "{\"title\":\"t\",\"message\":\"m\"}" },
        { "ChangeSpeedClassAction", "{\"speedClass\":\"s1.minimum\"}" },
        { "ActivationAction", "{}" },
        { "DeactivationAction", "{}" },
        { "StandbyAction", "{}" },
        { "SuspendAction", "{}" },
        { "ExecuteWebRequestAction", "{\"url\":\"https://example.com/${imsi}\",\"httpMethod\":\"POST\",\"contentType\":\"application/json\",\"headers\":{\"X-A\":\"1\"},\"body\":\"{}\"}" },
        { "InvokeAWSLambdaAction", "{\"endpoint\":\"https://lambda.ap-northeast-1.amazonaws.com\",\"functionName\":\"f\",\"credentialsId\":\"c\",\"parameter1\":\"${imsi}\"}" },
    };

    [Theory]
    [MemberData(nameof(CompleteActions))]
    public void Validate_CompleteAction_IsAcceptedAndEachRequiredPropertyIsRequired(string type, string properties)
    {
        var ok = HandlerValidator.Validate(Request("SubscriberDailyTrafficRule", Daily(), actions: [Action(type, JsonNode.Parse(properties)!.AsObject())]), Limits);
        ok.Actions[0]!["type"]!.GetValue<string>().ShouldBe(type);
        foreach (var required in ActionCatalogue.Types[type].Required.Append("executionDateTimeConst"))
        {
            var props = JsonNode.Parse(properties)!.AsObject();
            props["executionDateTimeConst"] = "IMMEDIATELY";
            props.Remove(required);
            var action = new JsonObject { ["type"] = type, ["properties"] = props };
            var e = Should.Throw<SimlaneException>(() => HandlerValidator.Validate(Request("SubscriberDailyTrafficRule", Daily(), actions: [action]), Limits));
            e.Error.ShouldBe(ErrorCodes.InvalidActionConfig);
            e.Message.ShouldBe($"actionConfigList[0].properties.{required}: is required ({type})");
        }
    }

    [Theory]
    [InlineData("executionOffsetMinutes", "-1")]
    [InlineData("executionOffsetMinutes", "525601")]
    [InlineData("executionDateTimeConst", "LATER")]
    public void Validate_BadExecutionTiming_IsRefused(string property, string value)
    {
        var action = Action("ActivationAction", new JsonObject { [property] = value });
        var e = Should.Throw<SimlaneException>(() => HandlerValidator.Validate(Request("SubscriberDailyTrafficRule", Daily(), actions: [action]), Limits));
        e.Message.ShouldStartWith($"actionConfigList[0].properties.{property}: ");
        e.Message.ShouldEndWith("(ActivationAction)");
    }

    [Theory]
    [InlineData("a@example.com,b@example.com")]
    [InlineData("a@example.com;b@example.com")]
    [InlineData("a@example.com b@example.com")]
    [InlineData("not-an-address")]
    public void Validate_SendMailWithSeveralOrBadAddresses_IsRefused(string to)
    {
        var action = Action("SendMailAction", new JsonObject { ["to"] = to, ["title"] = "t", ["message"] = "m" });
        Should.Throw<SimlaneException>(() => HandlerValidator.Validate(Request("SubscriberDailyTrafficRule", Daily(), actions: [action]), Limits))
            .Message.ShouldStartWith("actionConfigList[0].properties.to: must be one e-mail address");
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("DELETE")]
    public void Validate_WebRequestBodyWithoutPostOrPut_IsRefused(string method)
    {
        var action = Action("ExecuteWebRequestAction", new JsonObject
        {
            ["url"] = "https://example.com", ["httpMethod"] = method, ["contentType"] = "text/plain", ["headers"] = new JsonObject(), ["body"] = "x",
        });
        Should.Throw<SimlaneException>(() => HandlerValidator.Validate(Request("SubscriberDailyTrafficRule", Daily(), actions: [action]), Limits))
            .Message.ShouldBe($"actionConfigList[0].properties.body: only allowed with httpMethod POST or PUT, not {method} (ExecuteWebRequestAction)");
    }

    [Fact]
    public void Validate_WebRequestHeaders_AcceptObjectOrJsonStringAndRefuseOthers()
    {
        JsonObject Web(JsonNode headers, string method = "PATCH") => Action("ExecuteWebRequestAction", new JsonObject
        {
            ["url"] = "https://example.com", ["httpMethod"] = method, ["contentType"] = "text/plain", ["headers"] = headers,
        });

        Should.Throw<SimlaneException>(() => HandlerValidator.Validate(Request("SubscriberDailyTrafficRule", Daily(), actions: [Web(new JsonObject())]), Limits))
            .Message.ShouldStartWith("actionConfigList[0].properties.httpMethod: 'PATCH' is not one of GET, POST, PUT, DELETE");
        var fromString = HandlerValidator.Validate(Request("SubscriberDailyTrafficRule", Daily(), actions: [Web("{\"key1\":\"value1\"},{\"key2\":2}", "GET")]), Limits);
        var headers = fromString.Actions[0]!["properties"]!["headers"]!.AsObject();
        headers["key1"]!.GetValue<string>().ShouldBe("value1");
        headers["key2"]!.GetValue<string>().ShouldBe("2");
        Should.Throw<SimlaneException>(() => HandlerValidator.Validate(Request("SubscriberDailyTrafficRule", Daily(), actions: [Web("not json", "GET")]), Limits))
            .Message.ShouldStartWith("actionConfigList[0].properties.headers: ");
        Should.Throw<SimlaneException>(() => HandlerValidator.Validate(Request("SubscriberDailyTrafficRule", Daily(), actions: [Web(new JsonArray(1), "GET")]), Limits));
        var badUrl = Web(new JsonObject(), "GET");
        badUrl["properties"]!["url"] = "ftp://example.com";
        Should.Throw<SimlaneException>(() => HandlerValidator.Validate(Request("SubscriberDailyTrafficRule", Daily(), actions: [badUrl]), Limits))
            .Message.ShouldStartWith("actionConfigList[0].properties.url: ");
    }

    [Fact]
    public void Validate_LambdaDeprecatedKeys_AreNotStored()
    {
        var action = Action("InvokeAWSLambdaAction", new JsonObject
        {
            ["endpoint"] = "https://lambda", ["functionName"] = "f", ["credentialsId"] = "c", ["accessKey"] = "AK", ["secretAccessKey"] = "SK",
        });
        var props = HandlerValidator.Validate(Request("SubscriberDailyTrafficRule", Daily(), actions: [action]), Limits).Actions[0]!["properties"]!.AsObject();
        props.ContainsKey("accessKey").ShouldBeFalse();
        props.ContainsKey("secretAccessKey").ShouldBeFalse();
    }

    [Fact]
    public void Validate_ActionPropertyOfAnotherType_IsRefused()
    {
        var action = Action("ActivationAction", new JsonObject { ["speedClass"] = "s1.fast" });
        Should.Throw<SimlaneException>(() => HandlerValidator.Validate(Request("SubscriberDailyTrafficRule", Daily(), actions: [action]), Limits))
            .Message.ShouldBe("actionConfigList[0].properties.speedClass: not used by ActivationAction");
        var badSpeed = Action("ChangeSpeedClassAction", new JsonObject { ["speedClass"] = "t1.standard" });
        Should.Throw<SimlaneException>(() => HandlerValidator.Validate(Request("SubscriberDailyTrafficRule", Daily(), actions: [badSpeed]), Limits));
        var unknown = new JsonObject { ["type"] = "FaxAction", ["properties"] = new JsonObject() };
        Should.Throw<SimlaneException>(() => HandlerValidator.Validate(Request("SubscriberDailyTrafficRule", Daily(), actions: [unknown]), Limits))
            .Message.ShouldBe("actionConfigList[0].type: 'FaxAction' is not an action type");
    }

    [Theory]
    [InlineData("SubscriberDailyTrafficRule", null)]
    [InlineData("SubscriberSessionStatusRule", null)]
    [InlineData("SubscriberSessionStatusRule", false)]
    public void Validate_ImeiLockWithoutSessionRuleAndHasImei_IsRefused(string rule, bool? hasImei)
    {
        var props = rule == "SubscriberDailyTrafficRule" ? Daily() : new JsonObject { ["inactiveTimeoutDateConst"] = "NEVER", ["sessionStatus"] = "Created" };
        if (hasImei is { } flag)
        {
            props["hasImei"] = flag;
        }

        var e = Should.Throw<SimlaneException>(() => HandlerValidator.Validate(Request(rule, props, actions: [Action("ImeiLockAction", [])]), Limits));
        e.Error.ShouldBe(ErrorCodes.InvalidActionConfig);
        e.Message.ShouldStartWith("actionConfigList[0].type: ImeiLockAction needs ruleConfig.type SubscriberSessionStatusRule with hasImei true");
    }

    [Fact]
    public void Validate_ImeiLockWithSessionRuleAndHasImei_IsAccepted()
    {
        var props = new JsonObject { ["inactiveTimeoutDateConst"] = "IMMEDIATELY", ["sessionStatus"] = "Created", ["hasImei"] = "true" };
        HandlerValidator.Validate(Request("SubscriberSessionStatusRule", props, actions: [Action("ImeiLockAction", [])]), Limits)
            .Actions[0]!["type"]!.GetValue<string>().ShouldBe("ImeiLockAction");
    }
}
