using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Simlane.Server.Infrastructure;
using Simlane.Server.Tests.Engine;
using Simlane.Server.Tests.Gateway;
using Simlane.Server.Tests.Infrastructure;

namespace Simlane.Server.Tests.Contract;

/// <summary>
/// Issue 12.1, one test per bad input: each answers a clear 4xx with SORACOM's error body (the
/// ContractValidatingHandler fails any 5xx or other body) and changes nothing.
/// </summary>
public abstract class BadInputTests(ServerFixture server)
{
    /// <summary>Bodies every JSON reader must refuse with 400 COM0001, as raw bytes.</summary>
    public static TheoryData<string, string> MalformedBodies => new()
    {
        { "invalid UTF-8", "[{\"tagName\":\"a\",\"tagValue\":\"\u00ff\u00fe\"}]" },
        { "lone surrogate", "[{\"tagName\":\"a\",\"tagValue\":\"\\ud800\"}]" },
        { "lone low surrogate", "[{\"tagName\":\"\\udc00x\",\"tagValue\":\"v\"}]" },
        { "duplicate keys", "[{\"tagName\":\"a\",\"tagName\":\"b\",\"tagValue\":\"v\"}]" },
        { "duplicate nested keys", "[{\"tagName\":\"a\",\"tagValue\":\"v\",\"x\":{\"k\":1,\"k\":2}}]" },
        { "duplicate keys, one escaped", "[{\"tagName\":\"a\",\"tag\\u004eame\":\"b\",\"tagValue\":\"v\"}]" },
        { "duplicate keys among many", "[{\"tagName\":\"a\",\"tagValue\":\"v\",\"x\":{" + string.Concat(Enumerable.Range(0, 40).Select(i => $"\"k{i}\":{i},")) + "\"k7\":0}}]" },
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task PutTags_MalformedBody_Answers400Com0001_OnSimsSubscribersAndGroups_AndChangesNothing(string what, string body)
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var simId = sim.Str("simId");
        var imsi = sim.PrimaryImsi();
        var groupId = (await op.PostAsync("/v1/groups", new { tags = new { name = "g" } })).ShouldBe(HttpStatusCode.Created).Str("groupId");
        var bytes = Bytes(what, body);

        foreach (var path in new[] { $"/v1/sims/{simId}/tags", $"/v1/subscribers/{imsi}/tags", $"/v1/groups/{groupId}/tags" })
        {
            (await SendBytesAsync(op, HttpMethod.Put, path, bytes)).ShouldBe(HttpStatusCode.BadRequest, "COM0001");
        }

        (await op.GetAsync($"/v1/sims/{simId}")).Json["tags"]!.AsObject().Select(t => t.Key).ShouldBe(["name"]);
        (await op.GetAsync($"/v1/groups/{groupId}")).Json["tags"]!.AsObject().Select(t => t.Key).ShouldBe(["name"]);
    }

    [Theory]
    [InlineData("""[{"key":"useCustomDns","value":true,"key":"other"}]""")]
    [InlineData("""[{"key":"metadata","value":{"enabled":true,"enabled":false}}]""")]
    public async Task PutGroupConfiguration_DuplicateKeys_Answers400_IsNotStored_AndTheNamespaceStaysUsable(string body)
    {
        var op = await server.NewOperatorAsync();
        var groupId = (await op.PostAsync("/v1/groups", new { })).ShouldBe(HttpStatusCode.Created).Str("groupId");
        var path = $"/v1/groups/{groupId}/configuration/SoracomAir";

        (await op.SendRawAsync(HttpMethod.Put, path, body)).ShouldBe(HttpStatusCode.BadRequest, "COM0001");
        (await op.GetAsync($"/v1/groups/{groupId}")).Json["configuration"]!.AsObject().Count.ShouldBe(0);

        var valid = (await op.PutAsync(path, JsonNode.Parse("""[{"key":"metadata","value":{"enabled":true}}]"""))).ShouldBe(HttpStatusCode.OK);
        valid.Json["configuration"]!["SoracomAir"]!["metadata"]!["enabled"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task EventHandlerAndCredentialBodies_Malformed_Answer400Com0001_AndCreateNothing(string what, string body)
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var handlerId = await op.CreateHandlerAsync("targetImsi", sim.PrimaryImsi(), "SubscriberDailyTrafficRule",
            """{"limitTotalTrafficMegaByte":"10","inactiveTimeoutDateConst":"BEGINNING_OF_NEXT_DAY"}""");
        var bytes = Bytes(what, body);

        (await SendBytesAsync(op, HttpMethod.Post, "/v1/event_handlers", bytes)).ShouldBe(HttpStatusCode.BadRequest, "COM0001");
        (await SendBytesAsync(op, HttpMethod.Post, "/v1/event_handlers/dry_run", bytes)).ShouldBe(HttpStatusCode.BadRequest, "COM0001");
        (await SendBytesAsync(op, HttpMethod.Put, $"/v1/event_handlers/{handlerId}", bytes)).ShouldBe(HttpStatusCode.BadRequest, "COM0001");
        (await SendBytesAsync(op, HttpMethod.Post, "/v1/credentials/bad-body", bytes)).ShouldBe(HttpStatusCode.BadRequest, "COM0001");

        (await op.GetAsync("/v1/event_handlers")).Array.Select(h => h!["handlerId"]!.GetValue<string>()).ShouldBe([handlerId]);
        (await op.GetAsync($"/v1/event_handlers/{handlerId}")).Str("name").ShouldBe("h");
        (await op.GetAsync("/v1/credentials")).Array.Count.ShouldBe(0);
    }

    [Theory]
    [InlineData("""{"expiryTime":1,"expiryTime":2}""", "COM0001")]
    [InlineData("""{"expiryTime":"\ud800"}""", "COM0001")]
    [InlineData("""{"expiryAction":"do\u0000nothing","expiryTime":1}""", "COM0004")]
    public async Task TypedBody_DuplicateKeysSurrogatesOrNul_Answer400(string body, string code)
    {
        var op = await server.NewOperatorAsync();
        var simId = (await op.CreateRegisteredSimAsync()).Str("simId");
        (await op.SendRawAsync(HttpMethod.Post, $"/v1/sims/{simId}/set_expiry_time", body)).ShouldBe(HttpStatusCode.BadRequest, code);
        (await op.GetAsync($"/v1/sims/{simId}")).Json.AsObject().ContainsKey("expiryTime").ShouldBeFalse();
    }

    [Theory]
    [InlineData(253402300800000L)] // 10000-01-01
    [InlineData(32503680000000L)] // 3000-01-01, the first instant beyond the range
    [InlineData(946684799999L)] // just before 2000
    [InlineData(-1L)]
    [InlineData(long.MaxValue)]
    public async Task SetExpiryTime_OutsideTheTimeRange_Answers400Com0004(long expiryTime)
    {
        var op = await server.NewOperatorAsync();
        var simId = (await op.CreateRegisteredSimAsync()).Str("simId");
        (await op.PostAsync($"/v1/sims/{simId}/set_expiry_time", new { expiryTime, expiryAction = "doNothing" })).ShouldBe(HttpStatusCode.BadRequest, "COM0004");
        (await op.GetAsync($"/v1/sims/{simId}")).Json.AsObject().ContainsKey("expiryTime").ShouldBeFalse();
    }

    [Theory]
    [InlineData("from=1700000000&to=253402300800")] // to in year 10000
    [InlineData("from=1700000000&to=9223372036854775807")]
    [InlineData("from=253402300800&to=253402300900")]
    public async Task AirStats_TimesBeyondTheRange_Answer400Com0007(string range)
    {
        var op = await server.NewOperatorAsync();
        var imsi = (await op.CreateRegisteredSimAsync()).PrimaryImsi();
        (await op.GetAsync($"/v1/stats/air/subscribers/{imsi}?{range}&period=day")).ShouldBe(HttpStatusCode.BadRequest, "COM0007");
        (await op.GetAsync($"/v1/stats/air/operators/{op.OperatorId}?{range}&period=day")).ShouldBe(HttpStatusCode.BadRequest, "COM0007");
    }

    [Fact]
    public async Task StatusHistoryAndSessionEvents_ToBeyondTheRange_Answer400Com0007()
    {
        var op = await server.NewOperatorAsync();
        var simId = (await op.CreateRegisteredSimAsync()).Str("simId");
        (await op.GetAsync($"/v1/sims/{simId}/statuses/history?to=253402300800000")).ShouldBe(HttpStatusCode.BadRequest, "COM0007");
        (await op.GetAsync($"/v1/sims/{simId}/events/sessions?to=253402300800000")).ShouldBe(HttpStatusCode.BadRequest, "COM0007");
        (await op.GetAsync($"/v1/sims/{simId}/statuses/history?from=0")).ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData(253402300800000L)]
    [InlineData(long.MaxValue)]
    public async Task IgnoreUntil_BeyondTheRange_Answers400_AndIgnoresNothing(long until)
    {
        var op = await server.NewOperatorAsync();
        var imsi = (await op.CreateRegisteredSimAsync()).PrimaryImsi();
        var handlerId = await op.CreateHandlerAsync("targetImsi", imsi, "SubscriberDailyTrafficRule",
            """{"limitTotalTrafficMegaByte":"10","inactiveTimeoutDateConst":"BEGINNING_OF_NEXT_DAY"}""");
        (await op.PostAsync($"/v1/event_handlers/{handlerId}/subscribers/{imsi}/ignore", new { until })).ShouldBe(HttpStatusCode.BadRequest, "COM0004");
        (await op.DeleteAsync($"/v1/event_handlers/{handlerId}/subscribers/{imsi}/ignore")).ShouldBe(HttpStatusCode.NotFound, "EHM0010");
    }

    [Fact]
    public async Task WrongContentType_Answers415WithTheErrorBody()
    {
        var op = await server.NewOperatorAsync();
        (await op.SendRawAsync(HttpMethod.Post, "/v1/groups", "{}", "text/plain")).ShouldBe(HttpStatusCode.UnsupportedMediaType, "COM0006");
        (await op.GetAsync("/v1/groups")).Array.Count.ShouldBe(0);
    }

    [Fact]
    public async Task OversizedBody_OnPostsThatReadNoBody_Answers413_AndTheActionDoesNotRun()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var simId = sim.Str("simId");
        (await op.PostAsync($"/v1/sims/{simId}/set_expiry_time", new { expiryTime = server.Clock.GetUtcNow().AddDays(3).ToUnixTimeMilliseconds() })).ShouldBe(HttpStatusCode.OK);
        var keysBefore = (await op.GetAsync($"/v1/operators/{op.OperatorId}/auth_keys")).Array.Count;
        var big = new byte[JsonBody.MaxBytes + 1];
        Array.Fill(big, (byte)' ');

        foreach (var chunked in new[] { false, true })
        {
            (await SendBytesAsync(op, HttpMethod.Post, $"/v1/operators/{op.OperatorId}/auth_keys", big, chunked: chunked)).ShouldBe(HttpStatusCode.RequestEntityTooLarge, "COM0005");
            (await SendBytesAsync(op, HttpMethod.Post, $"/v1/sims/{simId}/unset_expiry_time", big, chunked: chunked)).ShouldBe(HttpStatusCode.RequestEntityTooLarge, "COM0005");
            (await SendBytesAsync(op, HttpMethod.Post, "/v1/auth/logout", big, chunked: chunked)).ShouldBe(HttpStatusCode.RequestEntityTooLarge, "COM0005");
        }

        (await op.GetAsync($"/v1/operators/{op.OperatorId}/auth_keys")).Array.Count.ShouldBe(keysBefore);
        (await op.GetAsync($"/v1/sims/{simId}")).Json.AsObject().ContainsKey("expiryTime").ShouldBeTrue(); // also proves the token was not logged out

        // At the limit the body is accepted (and ignored).
        var atLimit = new byte[JsonBody.MaxBytes];
        Array.Fill(atLimit, (byte)' ');
        (await SendBytesAsync(op, HttpMethod.Post, $"/v1/sims/{simId}/unset_expiry_time", atLimit)).ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("tagName", 257, "a")]
    [InlineData("tagValue", 1025, "a")]
    [InlineData("tagName", 3, "\u0001")]
    [InlineData("tagName", 3, "\n")]
    [InlineData("tagValue", 3, "\u001b")]
    public async Task PutTags_OverLimitsOrControlCharacters_Answers400Com0004(string field, int length, string fill)
    {
        var op = await server.NewOperatorAsync();
        var simId = (await op.CreateRegisteredSimAsync()).Str("simId");
        var text = string.Concat(Enumerable.Repeat(fill, length));
        var tag = new JsonObject { ["tagName"] = "ok", ["tagValue"] = "ok" };
        tag[field] = text;
        (await op.PutAsync($"/v1/sims/{simId}/tags", new JsonArray(tag))).ShouldBe(HttpStatusCode.BadRequest, "COM0004");
        (await op.PostAsync("/v1/groups", new JsonObject { ["tags"] = new JsonObject { [field == "tagName" ? text : "name"] = field == "tagName" ? "v" : text } }))
            .ShouldBe(HttpStatusCode.BadRequest, "COM0004");
        (await op.GetAsync($"/v1/sims/{simId}")).Json["tags"]!.AsObject().Select(t => t.Key).ShouldBe(["name"]);
        (await op.GetAsync("/v1/groups")).Array.Count.ShouldBe(0);
    }

    [Fact]
    public async Task PutTags_AtTheLimits_IsAccepted()
    {
        var op = await server.NewOperatorAsync();
        var simId = (await op.CreateRegisteredSimAsync()).Str("simId");
        var name = new string('n', 256);
        var value = new string('v', 1023) + "\n";
        var tags = (await op.PutAsync($"/v1/sims/{simId}/tags", new JsonArray(new JsonObject { ["tagName"] = name, ["tagValue"] = value }))).ShouldBe(HttpStatusCode.OK).Json["tags"]!;
        tags[name]!.GetValue<string>().ShouldBe(value);
    }

    [Theory]
    [InlineData("name", 257, "n")]
    [InlineData("name", 2, "\u0000")]
    [InlineData("name", 2, "\u0007")]
    [InlineData("description", 1025, "d")]
    public async Task CreateEventHandler_NameOrDescriptionOverLimits_Answers400(string field, int length, string fill)
    {
        var op = await server.NewOperatorAsync();
        var imsi = (await op.CreateRegisteredSimAsync()).PrimaryImsi();
        var body = EngineTestKit.HandlerBody("targetImsi", imsi, "SubscriberDailyTrafficRule",
            """{"limitTotalTrafficMegaByte":"10","inactiveTimeoutDateConst":"BEGINNING_OF_NEXT_DAY"}""");
        body[field] = string.Concat(Enumerable.Repeat(fill, length));
        (await op.PostAsync("/v1/event_handlers", body)).ShouldBe(HttpStatusCode.BadRequest, "COM0004");
        (await op.GetAsync("/v1/event_handlers")).Array.Count.ShouldBe(0);
    }

    [Theory]
    [InlineData("email", "a\u0001b@example.com")]
    [InlineData("email", "long")]
    [InlineData("password", "long")]
    [InlineData("authKeyId", "keyId-\u007f")]
    public async Task SandboxInit_EmailPasswordOrKeyOverLimits_Answers400Com0004(string field, string value)
    {
        var body = new JsonObject
        {
            ["email"] = $"op-{Guid.NewGuid():N}@example.com",
            ["password"] = "correct-horse-battery",
            ["authKeyId"] = "keyId-x",
            ["authKey"] = "secret-x",
        };
        var valid = body[field]!.GetValue<string>();
        body[field] = value == "long" ? new string('a', 250) + "@example.com" : value;
        (await server.Anonymous().PostAsync("/v1/sandbox/init", body)).ShouldBe(HttpStatusCode.BadRequest, "COM0004");

        // Nothing was created: the same sign-up with the valid value succeeds.
        body[field] = valid;
        (await server.Anonymous().PostAsync("/v1/sandbox/init", body)).ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Auth_OverlongCredentials_Answer400()
    {
        (await server.Anonymous().PostAsync("/v1/auth", new { email = "a@example.com", password = new string('p', 100_000) })).ShouldBe(HttpStatusCode.BadRequest, "COM0004");
        (await server.Anonymous().PostAsync("/v1/auth", new { authKeyId = new string('k', 1000), authKey = "x" })).ShouldBe(HttpStatusCode.BadRequest, "COM0004");
    }

    [Fact]
    public async Task QueryValues_OverLimitsOrWithControlCharacters_Answer400Com0007()
    {
        var op = await server.NewOperatorAsync();
        (await op.GetAsync("/v1/query/sims?name=" + new string('x', 257))).ShouldBe(HttpStatusCode.BadRequest, "COM0007");
        (await op.GetAsync("/v1/subscribers?tag_name=a&tag_value=" + new string('x', 1025))).ShouldBe(HttpStatusCode.BadRequest, "COM0007");
        (await op.GetAsync("/v1/groups?tag_name=a%00b&tag_value=x")).ShouldBe(HttpStatusCode.BadRequest, "COM0007");
        (await op.GetAsync("/v1/sims?last_evaluated_key=%00")).ShouldBe(HttpStatusCode.BadRequest, "COM0007");
    }

    [Fact]
    public async Task ControlCharacterInPath_Answers400Com0016()
    {
        var op = await server.NewOperatorAsync();
        // %00 itself is refused by the in-process test host's client; HttpLimitsTests sends it to Kestrel.
        (await op.GetAsync("/v1/sims/a%01b")).ShouldBe(HttpStatusCode.BadRequest, "COM0017");
        (await op.DeleteAsync("/v1/groups/x%0Ay")).ShouldBe(HttpStatusCode.BadRequest, "COM0017");
    }

    [Fact]
    public async Task LongUrlAndLargeHeaders_Answer414And431WithTheErrorBody()
    {
        var op = await server.NewOperatorAsync();
        (await op.GetAsync("/v1/sims/" + new string('s', 9000))).ShouldBe(HttpStatusCode.RequestUriTooLong, "COM0015");

        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/sims");
        request.Headers.Add("X-Soracom-API-Key", op.ApiKey);
        request.Headers.Add("X-Soracom-Token", op.Token);
        request.Headers.Add("X-Padding", new string('p', 40_000));
        using var response = await op.Http.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.RequestHeaderFieldsTooLarge);
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!["code"]!.GetValue<string>().ShouldBe("COM0016");
    }

    [Fact]
    public async Task LastEvaluatedKey_NamingNoItem_ContinuesAfterIt_MalformedNumericKey_Answers400Com0012()
    {
        var op = await server.NewOperatorAsync();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await op.CreateRegisteredSimAsync()).Str("simId"));
        }

        ids.Sort(StringComparer.Ordinal);
        var missing = ids[0] + "0"; // sorts right after the first and names no SIM
        var page = (await op.GetAsync($"/v1/sims?last_evaluated_key={missing}")).ShouldBe(HttpStatusCode.OK).Array;
        page.Select(s => s!["simId"]!.GetValue<string>()).ShouldBe(ids[1..]);

        (await op.GetAsync($"/v1/sims/{ids[0]}/statuses/history?last_evaluated_key=abc")).ShouldBe(HttpStatusCode.BadRequest, "COM0012");
        (await op.GetAsync($"/v1/sims/{ids[0]}/statuses/history?last_evaluated_key=999999999")).ShouldBe(HttpStatusCode.OK);
    }

    private static byte[] Bytes(string what, string body) => what == "invalid UTF-8"
        ? Encoding.Latin1.GetBytes(body) // ÿþ as single bytes 0xFF 0xFE: never valid UTF-8
        : Encoding.UTF8.GetBytes(body);

    public static async Task<ApiResponse> SendBytesAsync(ApiClient op, HttpMethod method, string path, byte[] body, string contentType = "application/json", bool chunked = false)
    {
        using var request = new HttpRequestMessage(method, path);
        if (op.ApiKey is not null)
        {
            request.Headers.Add("X-Soracom-API-Key", op.ApiKey);
            request.Headers.Add("X-Soracom-Token", op.Token);
        }

        HttpContent content = chunked ? new StreamContent(new MemoryStream(body)) : new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (chunked)
        {
            request.Headers.TransferEncodingChunked = true;
        }

        request.Content = content;
        using var response = await op.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new ApiResponse(response.StatusCode, text, response.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(",", h.Value)));
    }
}

public sealed class BadInputTests_Sqlite(SqliteServer server) : BadInputTests(server), IClassFixture<SqliteServer>;

public sealed class BadInputTests_Postgres(PostgresServer server) : BadInputTests(server), IClassFixture<PostgresServer>;
