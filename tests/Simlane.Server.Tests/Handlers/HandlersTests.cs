using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Simlane.Server.Tests.Gateway;
using Simlane.Server.Tests.Infrastructure;
using Simlane.Storage;

namespace Simlane.Server.Tests.Handlers;

/// <summary><c>/v1/event_handlers</c>: the API and its validation (domain.md 2.6, 5 rows 7–22).</summary>
public abstract class HandlersTests(ServerFixture server)
{
    private static JsonObject Mail(string to = "ops@example.com") => new()
    {
        ["type"] = "SendMailAction",
        ["properties"] = new JsonObject { ["executionDateTimeConst"] = "IMMEDIATELY", ["to"] = to, ["title"] = "Traffic alert", ["message"] = "IMSI ${imsi}" },
    };

    private static JsonObject Daily(string limit = "10") => new()
    {
        ["type"] = "SubscriberDailyTrafficRule",
        ["properties"] = new JsonObject { ["limitTotalTrafficMegaByte"] = limit, ["inactiveTimeoutDateConst"] = "BEGINNING_OF_NEXT_DAY", ["inactiveTimeoutOffsetMinutes"] = "5" },
    };

    private static JsonObject Handler(string targetField, string target, JsonObject? rule = null, JsonArray? actions = null, string name = "daily 10 MiB mail") => new()
    {
        ["name"] = name,
        ["status"] = "active",
        [targetField] = target,
        ["ruleConfig"] = rule ?? Daily(),
        ["actionConfigList"] = actions ?? new JsonArray(Mail()),
    };

    private static JsonObject Rule(string type, string properties) => new() { ["type"] = type, ["properties"] = JsonNode.Parse(properties) };

    private static async Task<string> CreateAsync(ApiClient op, JsonObject body) =>
        (await op.PostAsync("/v1/event_handlers", body)).ShouldBe(HttpStatusCode.Created).Str("handlerId");

    private async Task<(ApiClient Op, string Imsi, string SimId)> OperatorWithSimAsync()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        return (op, sim.PrimaryImsi(), sim.Str("simId"));
    }

    private SimlaneDb Db() => DatabaseOptions.Parse(server.Database.ConnectionString).CreateContext();

    private static async Task ShouldHaveNoHandlersAsync(ApiClient op) =>
        (await op.GetAsync("/v1/event_handlers")).ShouldBe(HttpStatusCode.OK).Array.Count.ShouldBe(0);

    [Fact]
    public async Task CreateEventHandler_MinimalRequest_Answers201WithTheModelAndGetReturnsIt()
    {
        var (op, imsi, _) = await OperatorWithSimAsync();
        var body = Handler("targetImsi", imsi);
        body["ruleConfig"]!["properties"]!["limitTotalTrafficMegaByte"] = 10;
        var created = (await op.PostAsync("/v1/event_handlers", body)).ShouldBe(HttpStatusCode.Created);
        var id = created.Str("handlerId");
        Guid.TryParse(id, out _).ShouldBeTrue();
        created.Str("targetImsi").ShouldBe(imsi);
        // Unused targets and a missing description are JSON null, as SORACOM lists them (decisions.md S26).
        foreach (var name in new[] { "targetSimId", "targetGroupId", "targetOperatorId", "description" })
        {
            created.Json.AsObject().ContainsKey(name).ShouldBeTrue(name);
            created.Json[name].ShouldBeNull(name);
        }
        created.Json["ruleConfig"]!["properties"]!["limitTotalTrafficMegaByte"]!.GetValue<string>().ShouldBe("10");
        created.Json["actionConfigList"]![0]!["properties"]!["to"]!.GetValue<string>().ShouldBe("ops@example.com");

        var got = (await op.GetAsync($"/v1/event_handlers/{id}")).ShouldBe(HttpStatusCode.OK);
        got.Json.ToJsonString().ShouldBe(created.Json.ToJsonString());
    }

    /// <summary>
    /// Every createEventHandler example of SORACOM's spec is accepted, with real targets in place of the
    /// placeholders — except example 01, whose SendMailToOperatorAction omits the executionDateTimeConst
    /// the spec itself marks required.
    /// </summary>
    [Fact]
    public async Task CreateEventHandler_SpecExamples_AreAccepted()
    {
        var (op, imsi, simId) = await OperatorWithSimAsync();
        var examples = Spec.Find("POST", "/v1/event_handlers")!.Node["requestBody"]!["content"]!["application/json"]!["examples"]!.AsObject();
        examples.Count.ShouldBe(21);
        foreach (var (name, example) in examples)
        {
            var body = example!["value"]!.DeepClone().AsObject();
            foreach (var (field, value) in new[] { ("targetImsi", imsi), ("targetSimId", simId), ("targetOperatorId", op.OperatorId!) })
            {
                if (body.ContainsKey(field))
                {
                    body[field] = value;
                }
            }

            var response = await op.PostAsync("/v1/event_handlers", body);
            if (name.StartsWith("(01)", StringComparison.Ordinal))
            {
                response.ShouldBe(HttpStatusCode.BadRequest, "EHM0004").Str("message")
                    .ShouldBe("actionConfigList[2].properties.executionDateTimeConst: is required (SendMailToOperatorAction)");
            }
            else
            {
                response.ShouldBe(HttpStatusCode.Created);
                response.Json["ruleConfig"]!["type"]!.GetValue<string>().ShouldBe(body["ruleConfig"]!["type"]!.GetValue<string>(), name);
            }
        }
    }

    [Fact]
    public async Task SdkGoScenario_CreateListGetUpdateDelete_Works()
    {
        var (op, imsi, _) = await OperatorWithSimAsync();
        var actions = new JsonArray(
            new JsonObject { ["type"] = "ActivationAction", ["properties"] = new JsonObject { ["executionDateTimeConst"] = "IMMEDIATELY" } },
            new JsonObject { ["type"] = "DeactivationAction", ["properties"] = new JsonObject { ["executionDateTimeConst"] = "BEGINNING_OF_NEXT_DAY" } },
            new JsonObject { ["type"] = "ChangeSpeedClassAction", ["properties"] = new JsonObject { ["executionDateTimeConst"] = "IMMEDIATELY", ["speedClass"] = "s1.minimum" } },
            new JsonObject { ["type"] = "SendMailToOperatorAction", ["properties"] = new JsonObject { ["executionDateTimeConst"] = "IMMEDIATELY", ["title"] = "t", ["message"] = "m" } },
            new JsonObject
            {
                ["type"] = "ExecuteWebRequestAction",
                ["properties"] = new JsonObject
                {
                    ["executionDateTimeConst"] = "IMMEDIATELY", ["url"] = "https://example.com/hook", ["httpMethod"] = "POST",
                    ["contentType"] = "application/json", ["headers"] = "{\"X-Token\":\"abc\"}", ["body"] = "{\"imsi\":\"${imsi}\"}",
                },
            });
        var body = Handler("targetImsi", imsi, Rule("DailyTrafficRule", "{\"limitTotalTrafficMegaByte\":\"1000\",\"inactiveTimeoutDateConst\":\"BEGINNING_OF_NEXT_DAY\"}"), actions, "sdk test");
        body["description"] = "from the Go SDK";
        var created = (await op.PostAsync("/v1/event_handlers", body)).ShouldBe(HttpStatusCode.Created);
        var id = created.Str("handlerId");
        created.Json["ruleConfig"]!["type"]!.GetValue<string>().ShouldBe("SubscriberDailyTrafficRule");
        created.Json["actionConfigList"]!.AsArray().Count.ShouldBe(5);
        created.Json["actionConfigList"]![4]!["properties"]!["headers"]!["X-Token"]!.GetValue<string>().ShouldBe("abc");

        (await op.GetAsync("/v1/event_handlers")).ShouldBe(HttpStatusCode.OK).Array.Select(h => h!["handlerId"]!.GetValue<string>()).ShouldBe([id]);
        (await op.GetAsync($"/v1/event_handlers/subscribers/{imsi}")).ShouldBe(HttpStatusCode.OK).Array.Select(h => h!["handlerId"]!.GetValue<string>()).ShouldBe([id]);
        var got = (await op.GetAsync($"/v1/event_handlers/{id}")).ShouldBe(HttpStatusCode.OK).Json.AsObject();

        got["name"] = "sdk test (renamed)";
        var updated = (await op.PutAsync($"/v1/event_handlers/{id}", got)).ShouldBe(HttpStatusCode.OK);
        updated.Str("name").ShouldBe("sdk test (renamed)");
        updated.Str("handlerId").ShouldBe(id);
        (await op.GetAsync($"/v1/event_handlers/{id}")).ShouldBe(HttpStatusCode.OK).Str("name").ShouldBe("sdk test (renamed)");

        (await op.DeleteAsync($"/v1/event_handlers/{id}")).ShouldBe(HttpStatusCode.NoContent);
        (await op.GetAsync($"/v1/event_handlers/{id}")).ShouldBe(HttpStatusCode.NotFound, "EHM0001");
        (await op.DeleteAsync($"/v1/event_handlers/{id}")).ShouldBe(HttpStatusCode.NotFound, "EHM0001");
        await ShouldHaveNoHandlersAsync(op);
    }

    [Fact]
    public async Task ListEventHandlers_TargetFilter_AnswersOnlyThatKind()
    {
        var (op, imsi, simId) = await OperatorWithSimAsync();
        var group = (await op.PostAsync("/v1/groups", new { })).ShouldBe(HttpStatusCode.Created).Str("groupId");
        var byImsi = await CreateAsync(op, Handler("targetImsi", imsi));
        var bySim = await CreateAsync(op, Handler("targetSimId", simId));
        var byGroup = await CreateAsync(op, Handler("targetGroupId", group));
        var byOperator = await CreateAsync(op, Handler("targetOperatorId", op.OperatorId!));

        async Task<List<string>> ListAsync(string query) =>
            [.. (await op.GetAsync("/v1/event_handlers" + query)).ShouldBe(HttpStatusCode.OK).Array.Select(h => h!["handlerId"]!.GetValue<string>())];

        (await ListAsync("")).ShouldBe([byImsi, bySim, byGroup, byOperator], ignoreOrder: true);
        (await ListAsync("?target=imsi")).ShouldBe([byImsi]);
        (await ListAsync("?target=sim")).ShouldBe([bySim]);
        (await ListAsync("?target=group")).ShouldBe([byGroup]);
        (await ListAsync("?target=operator")).ShouldBe([byOperator]);
        (await op.GetAsync("/v1/event_handlers?target=tag")).ShouldBe(HttpStatusCode.BadRequest, "COM0007");

        var other = await server.NewOperatorAsync();
        await ShouldHaveNoHandlersAsync(other);
    }

    [Fact]
    public async Task HandlerById_UnknownOrForeign_LooksMissing()
    {
        var (owner, imsi, _) = await OperatorWithSimAsync();
        var foreign = await CreateAsync(owner, Handler("targetImsi", imsi));
        var op = await server.NewOperatorAsync();
        var unknown = Guid.NewGuid().ToString();
        foreach (var id in new[] { unknown, foreign })
        {
            (await op.GetAsync($"/v1/event_handlers/{id}")).ShouldBe(HttpStatusCode.NotFound, "EHM0001");
            (await op.PutAsync($"/v1/event_handlers/{id}", Handler("targetOperatorId", op.OperatorId!))).ShouldBe(HttpStatusCode.BadRequest, "EHM0002");
            (await op.DeleteAsync($"/v1/event_handlers/{id}")).ShouldBe(HttpStatusCode.NotFound, "EHM0001");
            (await op.DeleteAsync($"/v1/event_handlers/{id}/subscribers/{imsi}/ignore")).ShouldBe(HttpStatusCode.NotFound, "EHM0001");
            (await op.PostAsync($"/v1/event_handlers/{id}/subscribers/{imsi}/ignore")).ShouldBe(HttpStatusCode.NotFound, "EHM0001");
            (await op.GetAsync($"/v1/event_handlers/{id}/executions")).ShouldBe(HttpStatusCode.NotFound, "EHM0001");
        }

        (await owner.GetAsync($"/v1/event_handlers/{foreign}")).ShouldBe(HttpStatusCode.OK);
    }

    /// <summary>domain.md 5 rows 9–16 and 21–22: each refused with 400 and nothing created.</summary>
    [Theory]
    [InlineData("SubscriberDailyTrafficRule", "{\"limitTotalTrafficMegaByte\":\"0\",\"inactiveTimeoutDateConst\":\"NEVER\"}", "limitTotalTrafficMegaByte")]
    [InlineData("SubscriberDailyTrafficRule", "{\"limitTotalTrafficMegaByte\":\"-1\",\"inactiveTimeoutDateConst\":\"NEVER\"}", "limitTotalTrafficMegaByte")]
    [InlineData("SubscriberDailyTrafficRule", "{\"limitTotalTrafficMegaByte\":\"2147483648\",\"inactiveTimeoutDateConst\":\"NEVER\"}", "limitTotalTrafficMegaByte")]
    [InlineData("SubscriberDailyTrafficRule", "{\"limitTotalTrafficMegaByte\":\"abc\",\"inactiveTimeoutDateConst\":\"NEVER\"}", "limitTotalTrafficMegaByte")]
    [InlineData("SubscriberDailyTrafficRule", "{\"limitTotalTrafficMegaByte\":\"1.5\",\"inactiveTimeoutDateConst\":\"NEVER\"}", "limitTotalTrafficMegaByte")]
    [InlineData("SubscriberDailyTrafficRule", "{\"limitTotalTrafficMegaByte\":1.5,\"inactiveTimeoutDateConst\":\"NEVER\"}", "limitTotalTrafficMegaByte")]
    [InlineData("SubscriberMonthlyTrafficRule", "{\"limitTotalTrafficMegaByte\":\"5\",\"inactiveTimeoutDateConst\":\"AFTER_ONE_DAY\",\"inactiveTimeoutOffsetMinutes\":\"-1\"}", "inactiveTimeoutOffsetMinutes")]
    [InlineData("SubscriberMonthlyTrafficRule", "{\"limitTotalTrafficMegaByte\":\"5\",\"inactiveTimeoutDateConst\":\"AFTER_ONE_DAY\",\"inactiveTimeoutOffsetMinutes\":\"525601\"}", "inactiveTimeoutOffsetMinutes")]
    [InlineData("SubscriberMonthlyTrafficRule", "{\"limitTotalTrafficMegaByte\":\"5\",\"inactiveTimeoutDateConst\":\"NEVER\",\"inactiveTimeoutOffsetMinutes\":\"5\"}", "inactiveTimeoutOffsetMinutes")]
    [InlineData("SubscriberCumulativeTrafficRule", "{\"limitTotalTrafficMegaByte\":\"5\",\"inactiveTimeoutDateConst\":\"IMMEDIATELY\"}", "inactiveTimeoutDateConst")]
    [InlineData("SubscriberFirstTrafficRule", "{\"inactiveTimeoutDateConst\":\"BEGINNING_OF_NEXT_DAY\"}", "inactiveTimeoutDateConst")]
    [InlineData("SubscriberFirstTrafficRule", "{\"inactiveTimeoutDateConst\":\"IMMEDIATELY\"}", "inactiveTimeoutDateConst")]
    [InlineData("SubscriberFirstTrafficRule", "{\"inactiveTimeoutDateConst\":\"BEGINNING_OF_NEXT_MONTH\"}", "inactiveTimeoutDateConst")]
    [InlineData("SubscriberFirstTrafficRule", "{\"inactiveTimeoutDateConst\":\"AFTER_ONE_DAY\"}", "inactiveTimeoutDateConst")]
    [InlineData("SubscriberDailyTrafficRule", "{\"limitTotalTrafficMegaByte\":\"5\",\"inactiveTimeoutDateConst\":\"TOMORROW\"}", "inactiveTimeoutDateConst")]
    [InlineData("SubscriberDailyTrafficRule", "{\"limitTotalTrafficMegaByte\":\"5\"}", "inactiveTimeoutDateConst")]
    [InlineData("SubscriberDailyTrafficRule", "{\"inactiveTimeoutDateConst\":\"NEVER\"}", "limitTotalTrafficMegaByte")]
    [InlineData("SubscriberSessionStatusRule", "{\"inactiveTimeoutDateConst\":\"NEVER\"}", "sessionStatus")]
    [InlineData("SubscriberStatusAttributeRule", "{\"inactiveTimeoutDateConst\":\"NEVER\",\"sourceStatus\":\"terminated\"}", "sourceStatus")]
    [InlineData("SubscriberSpeedClassAttributeRule", "{\"inactiveTimeoutDateConst\":\"NEVER\",\"targetSpeedClass\":\"s9.warp\"}", "targetSpeedClass")]
    public async Task CreateEventHandler_InvalidRule_Answers400NamingThePropertyAndRule(string type, string properties, string property)
    {
        var (op, imsi, _) = await OperatorWithSimAsync();
        var error = (await op.PostAsync("/v1/event_handlers", Handler("targetImsi", imsi, Rule(type, properties)))).ShouldBe(HttpStatusCode.BadRequest, "EHM0003");
        error.Str("message").ShouldStartWith($"ruleConfig.properties.{property}: ");
        error.Str("message").ShouldEndWith($"({type})");
        await ShouldHaveNoHandlersAsync(op);
    }

    [Fact]
    public async Task CreateEventHandler_ChargeLimitOutOfRangeOrUnknownType_Answers400()
    {
        var (op, _, _) = await OperatorWithSimAsync();
        foreach (var amount in new[] { "0", "2147483648" })
        {
            (await op.PostAsync("/v1/event_handlers", Handler("targetOperatorId", op.OperatorId!, Rule("MonthlyChargeRule", $"{{\"limitTotalAmount\":\"{amount}\",\"inactiveTimeoutDateConst\":\"NEVER\"}}"))))
                .ShouldBe(HttpStatusCode.BadRequest, "EHM0003").Str("message").ShouldStartWith("ruleConfig.properties.limitTotalAmount: must be an integer from 1 to 2147483647");
        }

        (await op.PostAsync("/v1/event_handlers", Handler("targetOperatorId", op.OperatorId!, Rule("HourlyTrafficRule", "{\"inactiveTimeoutDateConst\":\"NEVER\"}"))))
            .ShouldBe(HttpStatusCode.BadRequest, "EHM0003");
        await ShouldHaveNoHandlersAsync(op);
    }

    /// <summary>domain.md 5 row 13: IMMEDIATELY is refused on every traffic rule and on SimSubscriptionStatusRule.</summary>
    [Theory]
    [InlineData("SubscriberDailyTrafficRule")]
    [InlineData("SubscriberMonthlyTrafficRule")]
    [InlineData("SubscriberCumulativeTrafficRule")]
    [InlineData("SimDailyTotalTrafficRule")]
    [InlineData("SimMonthlyTotalTrafficRule")]
    [InlineData("SimCumulativeTotalTrafficRule")]
    [InlineData("DailyTotalTrafficRule")]
    [InlineData("MonthlyTotalTrafficRule")]
    [InlineData("SimSubscriptionStatusRule")]
    public async Task CreateEventHandler_ImmediatelyOnATrafficOrSubscriptionStatusRule_Answers400(string type)
    {
        var (op, _, _) = await OperatorWithSimAsync();
        var properties = type == "SimSubscriptionStatusRule"
            ? "{\"inactiveTimeoutDateConst\":\"IMMEDIATELY\"}"
            : "{\"limitTotalTrafficMegaByte\":\"5\",\"inactiveTimeoutDateConst\":\"IMMEDIATELY\"}";
        var error = (await op.PostAsync("/v1/event_handlers", Handler("targetOperatorId", op.OperatorId!, Rule(type, properties)))).ShouldBe(HttpStatusCode.BadRequest, "EHM0003");
        error.Str("message").ShouldStartWith("ruleConfig.properties.inactiveTimeoutDateConst: 'IMMEDIATELY' is not allowed");
        error.Str("message").ShouldEndWith($"({type})");
        await ShouldHaveNoHandlersAsync(op);
    }

    /// <summary>domain.md 5 row 16: a MonthlyChargeRule without its limit.</summary>
    [Fact]
    public async Task CreateEventHandler_ChargeRuleWithoutLimit_Answers400()
    {
        var (op, _, _) = await OperatorWithSimAsync();
        (await op.PostAsync("/v1/event_handlers", Handler("targetOperatorId", op.OperatorId!, Rule("MonthlyChargeRule", "{\"inactiveTimeoutDateConst\":\"NEVER\"}"))))
            .ShouldBe(HttpStatusCode.BadRequest, "EHM0003").Str("message").ShouldBe("ruleConfig.properties.limitTotalAmount: is required (MonthlyChargeRule)");
        await ShouldHaveNoHandlersAsync(op);
    }

    [Theory]
    [InlineData("name", "COM0002")]
    [InlineData("status", "COM0002")]
    [InlineData("ruleConfig", "COM0002")]
    [InlineData("actionConfigList", "COM0002")]
    public async Task CreateEventHandler_MissingRequiredField_Answers400(string field, string code)
    {
        var (op, imsi, _) = await OperatorWithSimAsync();
        var body = Handler("targetImsi", imsi);
        body.Remove(field);
        (await op.PostAsync("/v1/event_handlers", body)).ShouldBe(HttpStatusCode.BadRequest, code).Str("message").ShouldBe($"{field} is required");
        body = Handler("targetImsi", imsi, actions: []);
        (await op.PostAsync("/v1/event_handlers", body)).ShouldBe(HttpStatusCode.BadRequest, "EHM0004");
        (await op.SendRawAsync(HttpMethod.Post, "/v1/event_handlers", "[]")).ShouldBe(HttpStatusCode.BadRequest, "COM0001");
        (await op.SendRawAsync(HttpMethod.Post, "/v1/event_handlers", "{")).ShouldBe(HttpStatusCode.BadRequest, "COM0001");
        await ShouldHaveNoHandlersAsync(op);
    }

    [Fact]
    public async Task CreateEventHandler_ZeroOrTwoTargets_Answers400()
    {
        var (op, imsi, simId) = await OperatorWithSimAsync();
        var none = Handler("targetImsi", imsi);
        none.Remove("targetImsi");
        (await op.PostAsync("/v1/event_handlers", none)).ShouldBe(HttpStatusCode.BadRequest, "EHM0005");
        var two = Handler("targetImsi", imsi);
        two["targetSimId"] = simId;
        (await op.PostAsync("/v1/event_handlers", two)).ShouldBe(HttpStatusCode.BadRequest, "EHM0005");
        await ShouldHaveNoHandlersAsync(op);
    }

    /// <summary>decisions.md S27: an unknown or foreign target is 400 EHM0006 naming the field, alike for both.</summary>
    [Fact]
    public async Task CreateEventHandler_UnknownOrForeignTarget_Answers400NamingTheField()
    {
        var (op, _, _) = await OperatorWithSimAsync();
        var (other, otherImsi, otherSim) = await OperatorWithSimAsync();
        var otherGroup = (await other.PostAsync("/v1/groups", new { })).ShouldBe(HttpStatusCode.Created).Str("groupId");
        var cases = new (string Field, string Foreign, string Unknown)[]
        {
            ("targetImsi", otherImsi, "001019999999999"),
            ("targetSimId", otherSim, "8942310000000000000"),
            ("targetGroupId", otherGroup, Guid.NewGuid().ToString()),
            ("targetOperatorId", other.OperatorId!, "OP9999999999"),
        };
        foreach (var (field, foreign, unknown) in cases)
        {
            var rule = field == "targetOperatorId" || field == "targetGroupId" ? Rule("DailyTotalTrafficRule", "{\"limitTotalTrafficMegaByte\":\"1\",\"inactiveTimeoutDateConst\":\"NEVER\"}") : null;
            var a = (await op.PostAsync("/v1/event_handlers", Handler(field, foreign, (JsonObject?)rule?.DeepClone()))).ShouldBe(HttpStatusCode.BadRequest, "EHM0006");
            var b = (await op.PostAsync("/v1/event_handlers", Handler(field, unknown, (JsonObject?)rule?.DeepClone()))).ShouldBe(HttpStatusCode.BadRequest, "EHM0006");
            a.Str("message").ShouldStartWith($"{field}: ");
            a.Str("message").Replace(foreign, "X", StringComparison.Ordinal).ShouldBe(b.Str("message").Replace(unknown, "X", StringComparison.Ordinal));
        }

        await ShouldHaveNoHandlersAsync(op);
    }

    [Fact]
    public async Task CreateEventHandler_SecondaryImsiTarget_Answers400AndItsSimIsCoveredInstead()
    {
        var (op, _, simId) = await OperatorWithSimAsync();
        var profile = (await op.PostAsync($"/v1/sims/{simId}/profiles/{simId}/add_subscription", new { subscription = "planX3", type = "cellular" })).ShouldBe(HttpStatusCode.OK);
        var secondary = profile.Json["subscribers"]!.AsObject().Single(s => s.Value!["subscription"]!.GetValue<string>() == "planX3").Key;
        (await op.PostAsync("/v1/event_handlers", Handler("targetImsi", secondary))).ShouldBe(HttpStatusCode.BadRequest, "EHM0006")
            .Str("message").ShouldStartWith("targetImsi: ");
        var bySim = await CreateAsync(op, Handler("targetSimId", simId));
        (await op.GetAsync($"/v1/event_handlers/subscribers/{secondary}")).ShouldBe(HttpStatusCode.OK)
            .Array.Select(h => h!["handlerId"]!.GetValue<string>()).ShouldBe([bySim]);
    }

    [Theory]
    [InlineData("DailyTotalTrafficRule", "targetImsi")]
    [InlineData("MonthlyTotalTrafficRule", "targetSimId")]
    [InlineData("MonthlyChargeRule", "targetGroupId")]
    [InlineData("SimCumulativeTotalTrafficRule", "targetImsi")]
    public async Task CreateEventHandler_RuleTargetMismatch_Answers400(string type, string field)
    {
        var (op, imsi, simId) = await OperatorWithSimAsync();
        var group = (await op.PostAsync("/v1/groups", new { })).ShouldBe(HttpStatusCode.Created).Str("groupId");
        var target = field switch { "targetImsi" => imsi, "targetSimId" => simId, _ => group };
        var props = type == "MonthlyChargeRule" ? "{\"limitTotalAmount\":\"1\",\"inactiveTimeoutDateConst\":\"NEVER\"}" : "{\"limitTotalTrafficMegaByte\":\"1\",\"inactiveTimeoutDateConst\":\"NEVER\"}";
        (await op.PostAsync("/v1/event_handlers", Handler(field, target, Rule(type, props)))).ShouldBe(HttpStatusCode.BadRequest, "EHM0007")
            .Str("message").ShouldStartWith($"{field}: {type} cannot target");
        await ShouldHaveNoHandlersAsync(op);
    }

    [Fact]
    public async Task CreateEventHandler_SixActions_Answers400()
    {
        var (op, imsi, _) = await OperatorWithSimAsync();
        var six = new JsonArray([.. Enumerable.Range(0, 6).Select(_ => (JsonNode)Mail())]);
        (await op.PostAsync("/v1/event_handlers", Handler("targetImsi", imsi, actions: six))).ShouldBe(HttpStatusCode.BadRequest, "EHM0008");
        await ShouldHaveNoHandlersAsync(op);
    }

    [Fact]
    public async Task CreateEventHandler_EleventhForTheSameTarget_Answers400()
    {
        var (op, imsi, simId) = await OperatorWithSimAsync();
        for (var i = 0; i < 10; i++)
        {
            await CreateAsync(op, Handler("targetImsi", imsi, name: $"h{i}"));
        }

        (await op.PostAsync("/v1/event_handlers", Handler("targetImsi", imsi))).ShouldBe(HttpStatusCode.BadRequest, "EHM0009");

        // Another target still has room; moving a handler onto the full target by PUT is refused too.
        var onSim = await CreateAsync(op, Handler("targetSimId", simId));
        (await op.PutAsync($"/v1/event_handlers/{onSim}", Handler("targetImsi", imsi))).ShouldBe(HttpStatusCode.BadRequest, "EHM0009");

        // Updating one of the ten in place is fine.
        var first = (await op.GetAsync("/v1/event_handlers?target=imsi")).ShouldBe(HttpStatusCode.OK).Array[0]!["handlerId"]!.GetValue<string>();
        (await op.PutAsync($"/v1/event_handlers/{first}", Handler("targetImsi", imsi, name: "renamed"))).ShouldBe(HttpStatusCode.OK);
        (await op.GetAsync("/v1/event_handlers?target=imsi")).ShouldBe(HttpStatusCode.OK).Array.Count.ShouldBe(10);
    }

    public static TheoryData<string, string> InvalidActions() => new()
    {
        { "{\"type\":\"ImeiLockAction\",\"properties\":{\"executionDateTimeConst\":\"IMMEDIATELY\"}}", "actionConfigList[0].type" },
        { "{\"type\":\"ExecuteWebRequestAction\",\"properties\":{\"executionDateTimeConst\":\"IMMEDIATELY\",\"httpMethod\":\"GET\",\"contentType\":\"text/plain\",\"headers\":{}}}", "actionConfigList[0].properties.url" },
        { "{\"type\":\"ExecuteWebRequestAction\",\"properties\":{\"executionDateTimeConst\":\"IMMEDIATELY\",\"url\":\"https://x\",\"contentType\":\"text/plain\",\"headers\":{}}}", "actionConfigList[0].properties.httpMethod" },
        { "{\"type\":\"ExecuteWebRequestAction\",\"properties\":{\"executionDateTimeConst\":\"IMMEDIATELY\",\"url\":\"https://x\",\"httpMethod\":\"GET\",\"headers\":{}}}", "actionConfigList[0].properties.contentType" },
        { "{\"type\":\"ExecuteWebRequestAction\",\"properties\":{\"executionDateTimeConst\":\"IMMEDIATELY\",\"url\":\"https://x\",\"httpMethod\":\"GET\",\"contentType\":\"text/plain\"}}", "actionConfigList[0].properties.headers" },
        { "{\"type\":\"ExecuteWebRequestAction\",\"properties\":{\"executionDateTimeConst\":\"IMMEDIATELY\",\"url\":\"https://x\",\"httpMethod\":\"DELETE\",\"contentType\":\"text/plain\",\"headers\":{},\"body\":\"b\"}}", "actionConfigList[0].properties.body" },
        { "{\"type\":\"InvokeAWSLambdaAction\",\"properties\":{\"executionDateTimeConst\":\"IMMEDIATELY\",\"functionName\":\"f\",\"credentialsId\":\"c\"}}", "actionConfigList[0].properties.endpoint" },
        { "{\"type\":\"InvokeAWSLambdaAction\",\"properties\":{\"executionDateTimeConst\":\"IMMEDIATELY\",\"endpoint\":\"https://l\",\"credentialsId\":\"c\"}}", "actionConfigList[0].properties.functionName" },
        { "{\"type\":\"InvokeAWSLambdaAction\",\"properties\":{\"executionDateTimeConst\":\"IMMEDIATELY\",\"endpoint\":\"https://l\",\"functionName\":\"f\"}}", "actionConfigList[0].properties.credentialsId" },
        { "{\"type\":\"SendMailAction\",\"properties\":{\"executionDateTimeConst\":\"IMMEDIATELY\",\"to\":\"a@example.com,b@example.com\",\"title\":\"t\",\"message\":\"m\"}}", "actionConfigList[0].properties.to" },
        { "{\"type\":\"ChangeSpeedClassAction\",\"properties\":{\"executionDateTimeConst\":\"IMMEDIATELY\"}}", "actionConfigList[0].properties.speedClass" },
        { "{\"type\":\"ActivationAction\",\"properties\":{}}", "actionConfigList[0].properties.executionDateTimeConst" },
        { "{\"type\":\"ActivationAction\",\"properties\":{\"executionDateTimeConst\":\"TOMORROW\"}}", "actionConfigList[0].properties.executionDateTimeConst" },
        { "{\"type\":\"SendSmsAction\",\"properties\":{\"executionDateTimeConst\":\"IMMEDIATELY\"}}", "actionConfigList[0].type" },
        { "{\"type\":\"ActivationAction\",\"properties\":{\"executionDateTimeConst\":\"IMMEDIATELY\",\"executionOffsetMinutes\":\"525601\"}}", "actionConfigList[0].properties.executionOffsetMinutes" },
        { "{\"type\":\"ActivationAction\",\"properties\":{\"executionDateTimeConst\":\"IMMEDIATELY\",\"executionOffsetMinutes\":\"-1\"}}", "actionConfigList[0].properties.executionOffsetMinutes" },
    };

    [Theory]
    [MemberData(nameof(InvalidActions))]
    public async Task CreateEventHandler_InvalidAction_Answers400NamingTheProperty(string action, string path)
    {
        var (op, imsi, _) = await OperatorWithSimAsync();
        (await op.PostAsync("/v1/event_handlers", Handler("targetImsi", imsi, actions: [JsonNode.Parse(action)])))
            .ShouldBe(HttpStatusCode.BadRequest, "EHM0004").Str("message").ShouldStartWith(path + ": ");
        await ShouldHaveNoHandlersAsync(op);
    }

    [Fact]
    public async Task CreateEventHandler_ImeiLockWithSessionRule_NeedsHasImeiTrue()
    {
        var (op, imsi, _) = await OperatorWithSimAsync();
        var imeiLock = new JsonObject { ["type"] = "ImeiLockAction", ["properties"] = new JsonObject { ["executionDateTimeConst"] = "IMMEDIATELY" } };
        (await op.PostAsync("/v1/event_handlers", Handler("targetImsi", imsi,
            Rule("SubscriberSessionStatusRule", "{\"sessionStatus\":\"Created\",\"hasImei\":false,\"inactiveTimeoutDateConst\":\"IMMEDIATELY\"}"), [imeiLock.DeepClone()])))
            .ShouldBe(HttpStatusCode.BadRequest, "EHM0004");
        var created = (await op.PostAsync("/v1/event_handlers", Handler("targetImsi", imsi,
            Rule("SubscriberSessionStatusRule", "{\"sessionStatus\":\"Created\",\"hasImei\":\"true\",\"inactiveTimeoutDateConst\":\"IMMEDIATELY\"}"), [imeiLock])))
            .ShouldBe(HttpStatusCode.Created);
        created.Json["ruleConfig"]!["properties"]!["hasImei"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task CreateEventHandler_EveryRuleTypeWithAnAllowedTarget_Answers201()
    {
        var (op, imsi, simId) = await OperatorWithSimAsync();
        var group = (await op.PostAsync("/v1/groups", new { })).ShouldBe(HttpStatusCode.Created).Str("groupId");
        var rules = new (string Type, string Properties, string Field, string Target)[]
        {
            ("SubscriberFirstTrafficRule", "{\"inactiveTimeoutDateConst\":\"NEVER\"}", "targetImsi", imsi),
            ("SubscriberDailyTrafficRule", "{\"limitTotalTrafficMegaByte\":1,\"inactiveTimeoutDateConst\":\"BEGINNING_OF_NEXT_DAY\",\"inactiveTimeoutOffsetMinutes\":0}", "targetImsi", imsi),
            ("SubscriberMonthlyTrafficRule", "{\"limitTotalTrafficMegaByte\":\"2147483647\",\"inactiveTimeoutDateConst\":\"BEGINNING_OF_NEXT_MONTH\"}", "targetSimId", simId),
            ("SubscriberCumulativeTrafficRule", "{\"limitTotalTrafficMegaByte\":\"1\",\"inactiveTimeoutDateConst\":\"AFTER_ONE_DAY\",\"inactiveTimeoutOffsetMinutes\":\"525600\"}", "targetGroupId", group),
            ("SubscriberStatusAttributeRule", "{\"sourceStatus\":\"ready\",\"targetStatus\":\"terminated\",\"inactiveTimeoutDateConst\":\"IMMEDIATELY\"}", "targetOperatorId", op.OperatorId!),
            ("SimStatusAttributeRule", "{\"targetStatus\":\"active\",\"inactiveTimeoutDateConst\":\"IMMEDIATELY\",\"runOnceAmongTarget\":true}", "targetSimId", simId),
            ("SubscriberSpeedClassAttributeRule", "{\"targetSpeedClass\":\"s1.fast\",\"inactiveTimeoutDateConst\":\"NEVER\"}", "targetImsi", imsi),
            ("SimSpeedClassAttributeRule", "{\"targetSpeedClass\":null,\"inactiveTimeoutDateConst\":\"IMMEDIATELY\"}", "targetSimId", simId),
            ("SubscriberExpiredRule", "{\"inactiveTimeoutDateConst\":\"IMMEDIATELY\"}", "targetImsi", imsi),
            ("SimExpiredRule", "{\"inactiveTimeoutDateConst\":\"IMMEDIATELY\",\"runOnceAmongTarget\":\"false\"}", "targetGroupId", group),
            ("SubscriberImeiMismatchedRule", "{\"inactiveTimeoutDateConst\":\"IMMEDIATELY\"}", "targetImsi", imsi),
            ("SimImeiMismatchedRule", "{\"inactiveTimeoutDateConst\":\"IMMEDIATELY\"}", "targetOperatorId", op.OperatorId!),
            ("SimDailyTotalTrafficRule", "{\"limitTotalTrafficMegaByte\":\"1\",\"inactiveTimeoutDateConst\":\"BEGINNING_OF_NEXT_DAY\"}", "targetSimId", simId),
            ("SimMonthlyTotalTrafficRule", "{\"limitTotalTrafficMegaByte\":\"1\",\"inactiveTimeoutDateConst\":\"BEGINNING_OF_NEXT_MONTH\"}", "targetSimId", simId),
            ("SimCumulativeTotalTrafficRule", "{\"limitTotalTrafficMegaByte\":\"1\",\"inactiveTimeoutDateConst\":\"AFTER_ONE_DAY\"}", "targetSimId", simId),
            ("SimSubscriptionStatusRule", "{\"targetOtaStatus\":\"finished\",\"inactiveTimeoutDateConst\":\"NEVER\"}", "targetSimId", simId),
            ("DailyTotalTrafficRule", "{\"limitTotalTrafficMegaByte\":\"100\",\"inactiveTimeoutDateConst\":\"BEGINNING_OF_NEXT_DAY\",\"runOnceAmongTarget\":\"true\"}", "targetGroupId", group),
            ("MonthlyTotalTrafficRule", "{\"limitTotalTrafficMegaByte\":\"100\",\"inactiveTimeoutDateConst\":\"BEGINNING_OF_NEXT_MONTH\"}", "targetOperatorId", op.OperatorId!),
            ("MonthlyChargeRule", "{\"limitTotalAmount\":1000,\"inactiveTimeoutDateConst\":\"BEGINNING_OF_NEXT_MONTH\"}", "targetOperatorId", op.OperatorId!),
            ("SubscriberSessionStatusRule", "{\"sessionStatus\":\"Deleted\",\"inactiveTimeoutDateConst\":\"IMMEDIATELY\"}", "targetImsi", imsi),
        };
        foreach (var (type, properties, field, target) in rules)
        {
            var created = (await op.PostAsync("/v1/event_handlers", Handler(field, target, Rule(type, properties)))).ShouldBe(HttpStatusCode.Created);
            created.Json["ruleConfig"]!["type"]!.GetValue<string>().ShouldBe(type);
        }

        (await op.GetAsync("/v1/event_handlers")).ShouldBe(HttpStatusCode.OK).Array.Count.ShouldBe(20);
    }

    /// <summary>decisions.md 5: rule or target changes bump the rule generation; name/description/actions/status keep it.</summary>
    [Fact]
    public async Task UpdateEventHandler_RuleGeneration_GrowsOnlyOnRuleOrTargetChanges()
    {
        var (op, imsi, simId) = await OperatorWithSimAsync();
        var id = await CreateAsync(op, Handler("targetImsi", imsi));

        async Task<int> GenerationAsync()
        {
            await using var db = Db();
            return (await db.EventHandlers.AsNoTracking().SingleAsync(h => h.HandlerId == id)).RuleGeneration;
        }

        (await GenerationAsync()).ShouldBe(1);

        var cosmetic = Handler("targetImsi", imsi, actions: [Mail("other@example.com")], name: "renamed");
        cosmetic["description"] = "now with a description";
        cosmetic["status"] = "inactive";
        var updated = (await op.PutAsync($"/v1/event_handlers/{id}", cosmetic)).ShouldBe(HttpStatusCode.OK);
        updated.Str("description").ShouldBe("now with a description");
        updated.Str("status").ShouldBe("inactive");
        (await GenerationAsync()).ShouldBe(1);

        // The same rule with its properties reordered and as numbers is the same rule.
        var reordered = Handler("targetImsi", imsi, Rule("SubscriberDailyTrafficRule", "{\"inactiveTimeoutOffsetMinutes\":5,\"inactiveTimeoutDateConst\":\"BEGINNING_OF_NEXT_DAY\",\"limitTotalTrafficMegaByte\":10}"));
        (await op.PutAsync($"/v1/event_handlers/{id}", reordered)).ShouldBe(HttpStatusCode.OK);
        (await GenerationAsync()).ShouldBe(1);

        (await op.PutAsync($"/v1/event_handlers/{id}", Handler("targetImsi", imsi, Daily("20")))).ShouldBe(HttpStatusCode.OK)
            .Json["ruleConfig"]!["properties"]!["limitTotalTrafficMegaByte"]!.GetValue<string>().ShouldBe("20");
        (await GenerationAsync()).ShouldBe(2);

        var moved = (await op.PutAsync($"/v1/event_handlers/{id}", Handler("targetSimId", simId, Daily("20")))).ShouldBe(HttpStatusCode.OK);
        moved.Str("targetSimId").ShouldBe(simId);
        moved.Json.AsObject().ContainsKey("targetImsi").ShouldBeTrue();
        moved.Json["targetImsi"].ShouldBeNull();
        (await GenerationAsync()).ShouldBe(3);

        (await op.PutAsync($"/v1/event_handlers/{id}", Handler("targetSimId", simId, Rule("SubscriberMonthlyTrafficRule", "{\"limitTotalTrafficMegaByte\":\"20\",\"inactiveTimeoutDateConst\":\"BEGINNING_OF_NEXT_DAY\",\"inactiveTimeoutOffsetMinutes\":\"5\"}"))))
            .ShouldBe(HttpStatusCode.OK);
        (await GenerationAsync()).ShouldBe(4);

        // An invalid update changes nothing.
        (await op.PutAsync($"/v1/event_handlers/{id}", Handler("targetSimId", simId, Daily("0")))).ShouldBe(HttpStatusCode.BadRequest, "EHM0003");
        (await GenerationAsync()).ShouldBe(4);
        (await op.GetAsync($"/v1/event_handlers/{id}")).ShouldBe(HttpStatusCode.OK).Json["ruleConfig"]!["type"]!.GetValue<string>().ShouldBe("SubscriberMonthlyTrafficRule");
    }

    [Fact]
    public async Task IgnoreEventHandler_SetUpdateAndDelete_WorkAndAreIdempotent()
    {
        var (op, imsi, _) = await OperatorWithSimAsync();
        var id = await CreateAsync(op, Handler("targetOperatorId", op.OperatorId!));
        var path = $"/v1/event_handlers/{id}/subscribers/{imsi}/ignore";

        (await op.DeleteAsync(path)).ShouldBe(HttpStatusCode.NotFound, "EHM0010");
        (await op.PostAsync(path)).ShouldBe(HttpStatusCode.OK);
        (await op.PostAsync(path)).ShouldBe(HttpStatusCode.OK);

        async Task<HandlerIgnore?> IgnoreAsync()
        {
            await using var db = Db();
            return await db.HandlerIgnores.AsNoTracking().SingleOrDefaultAsync(i => i.HandlerId == id && i.Imsi == imsi);
        }

        var plain = await IgnoreAsync();
        plain.ShouldNotBeNull();
        plain.Until.ShouldBeNull();

        var until = server.Clock.GetUtcNow().AddDays(7).ToUnixTimeMilliseconds();
        (await op.PostAsync(path, new { until, reason = "maintenance" })).ShouldBe(HttpStatusCode.OK);
        var timed = await IgnoreAsync();
        timed!.Until.ShouldBe(until);
        timed.Reason.ShouldBe("maintenance");
        timed.CreatedTime.ShouldBe(plain.CreatedTime);

        var past = server.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        (await op.PostAsync(path, new { until = past })).ShouldBe(HttpStatusCode.BadRequest, "EHM0011");
        (await op.SendRawAsync(HttpMethod.Post, path, "{\"until\":\"soon\"}")).ShouldBe(HttpStatusCode.BadRequest, "COM0001");

        (await op.DeleteAsync(path)).ShouldBe(HttpStatusCode.NoContent);
        (await IgnoreAsync()).ShouldBeNull();
        (await op.DeleteAsync(path)).ShouldBe(HttpStatusCode.NotFound, "EHM0010");
    }

    [Fact]
    public async Task IgnoreEventHandler_UnknownOrForeignImsi_Answers404()
    {
        var (op, _, _) = await OperatorWithSimAsync();
        var (_, foreignImsi, _) = await OperatorWithSimAsync();
        var id = await CreateAsync(op, Handler("targetOperatorId", op.OperatorId!));
        foreach (var imsi in new[] { foreignImsi, "001019999999999" })
        {
            (await op.PostAsync($"/v1/event_handlers/{id}/subscribers/{imsi}/ignore")).ShouldBe(HttpStatusCode.NotFound, "SEM0002");
            (await op.DeleteAsync($"/v1/event_handlers/{id}/subscribers/{imsi}/ignore")).ShouldBe(HttpStatusCode.NotFound, "SEM0002");
        }
    }

    [Fact]
    public async Task DeleteEventHandler_RemovesItsIgnoresAndExecutions()
    {
        var (op, imsi, simId) = await OperatorWithSimAsync();
        var id = await CreateAsync(op, Handler("targetImsi", imsi));
        (await op.PostAsync($"/v1/event_handlers/{id}/subscribers/{imsi}/ignore")).ShouldBe(HttpStatusCode.OK);
        await AddExecutionsAsync(id, op.OperatorId!, imsi, simId, 1);
        (await op.DeleteAsync($"/v1/event_handlers/{id}")).ShouldBe(HttpStatusCode.NoContent);
        await using var db = Db();
        (await db.HandlerIgnores.CountAsync(i => i.HandlerId == id)).ShouldBe(0);
        (await db.HandlerExecutions.CountAsync(e => e.HandlerId == id)).ShouldBe(0);
    }

    /// <summary>decisions.md 10: the IMSI itself, its SIM, its group and its operator.</summary>
    [Fact]
    public async Task ListEventHandlersBySubscriber_CoversImsiSimGroupAndOperator()
    {
        var (op, imsi, simId) = await OperatorWithSimAsync();
        var other = await op.CreateRegisteredSimAsync();
        var group = (await op.PostAsync("/v1/groups", new { })).ShouldBe(HttpStatusCode.Created).Str("groupId");
        var otherGroup = (await op.PostAsync("/v1/groups", new { })).ShouldBe(HttpStatusCode.Created).Str("groupId");
        (await op.PostAsync($"/v1/sims/{simId}/set_group", new { groupId = group })).ShouldBe(HttpStatusCode.OK);

        var byImsi = await CreateAsync(op, Handler("targetImsi", imsi));
        var bySim = await CreateAsync(op, Handler("targetSimId", simId));
        var byGroup = await CreateAsync(op, Handler("targetGroupId", group));
        var byOperator = await CreateAsync(op, Handler("targetOperatorId", op.OperatorId!));
        await CreateAsync(op, Handler("targetImsi", other.PrimaryImsi()));
        await CreateAsync(op, Handler("targetSimId", other.Str("simId")));
        await CreateAsync(op, Handler("targetGroupId", otherGroup));

        var listed = (await op.GetAsync($"/v1/event_handlers/subscribers/{imsi}")).ShouldBe(HttpStatusCode.OK);
        listed.Array.Select(h => h!["handlerId"]!.GetValue<string>()).ShouldBe([byImsi, bySim, byGroup, byOperator], ignoreOrder: true);

        var (_, foreignImsi, _) = await OperatorWithSimAsync();
        (await op.GetAsync($"/v1/event_handlers/subscribers/{foreignImsi}")).ShouldBe(HttpStatusCode.NotFound, "SEM0002");
        (await op.GetAsync("/v1/event_handlers/subscribers/001019999999999")).ShouldBe(HttpStatusCode.NotFound, "SEM0002");
    }

    private async Task AddExecutionsAsync(string handlerId, string operatorId, string imsi, string simId, int count, bool simLevel = false)
    {
        await using var db = Db();
        for (var i = 0; i < count; i++)
        {
            db.HandlerExecutions.Add(new HandlerExecution
            {
                HandlerId = handlerId,
                OperatorId = operatorId,
                UnitKey = simLevel ? simId : imsi,
                Imsi = simLevel ? null : imsi,
                SimId = simId,
                RuleType = "SubscriberDailyTrafficRule",
                ObservedValue = (10_485_761 + i).ToString(System.Globalization.CultureInfo.InvariantCulture),
                Threshold = "10485760",
                WindowStart = 1_700_000_000_000,
                WindowEnd = 1_700_086_400_000,
                FiredTime = 1_700_000_100_000 + i,
                PlannedActions = "[{\"type\":\"SendMailAction\",\"dueTime\":1700000100000}]",
            });
        }

        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task Executions_NewestFirstAndPaged_ForHandlerAndSubscriber()
    {
        var (op, imsi, simId) = await OperatorWithSimAsync();
        var id = await CreateAsync(op, Handler("targetImsi", imsi));
        (await op.GetAsync($"/v1/event_handlers/{id}/executions")).ShouldBe(HttpStatusCode.OK).Array.Count.ShouldBe(0);
        (await op.GetAsync($"/v1/event_handlers/subscribers/{imsi}/executions")).ShouldBe(HttpStatusCode.OK).Array.Count.ShouldBe(0);

        await AddExecutionsAsync(id, op.OperatorId!, imsi, simId, 3);
        await AddExecutionsAsync(id, op.OperatorId!, imsi, simId, 1, simLevel: true);

        var seen = new List<long>();
        string? next = null;
        do
        {
            var page = (await op.GetAsync($"/v1/event_handlers/{id}/executions?limit=3" + (next is null ? "" : $"&last_evaluated_key={next}"))).ShouldBe(HttpStatusCode.OK);
            seen.AddRange(page.Array.Select(e => long.Parse(e!["executionId"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)));
            next = page.Header("x-soracom-next-key");
        }
        while (next is not null);
        seen.Count.ShouldBe(4);
        seen.ShouldBe(seen.OrderDescending().ToList());

        var bySubscriber = (await op.GetAsync($"/v1/event_handlers/subscribers/{imsi}/executions")).ShouldBe(HttpStatusCode.OK).Array;
        bySubscriber.Count.ShouldBe(4);
        bySubscriber[0]!["imsi"].ShouldBeNull();
        bySubscriber[1]!["observedValue"]!.GetValue<string>().ShouldBe("10485763");
        bySubscriber[1]!["plannedActions"]![0]!["type"]!.GetValue<string>().ShouldBe("SendMailAction");

        var other = await server.NewOperatorAsync();
        (await other.GetAsync($"/v1/event_handlers/subscribers/{imsi}/executions")).ShouldBe(HttpStatusCode.NotFound, "SEM0002");
        (await op.GetAsync($"/v1/event_handlers/{id}/executions?last_evaluated_key=abc")).ShouldBe(HttpStatusCode.BadRequest, "COM0012");
    }
}

public sealed class HandlersTests_Sqlite(SqliteServer server) : HandlersTests(server), IClassFixture<SqliteServer>;

public sealed class HandlersTests_Postgres(PostgresServer server) : HandlersTests(server), IClassFixture<PostgresServer>;
