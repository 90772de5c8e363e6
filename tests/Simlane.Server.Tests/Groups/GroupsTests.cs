using System.Net;
using System.Text.Json.Nodes;
using Simlane.Server.Tests.Infrastructure;

namespace Simlane.Server.Tests.Groups;

public abstract class GroupsTests(ServerFixture server)
{
    private static async Task<string> CreateGroupAsync(ApiClient op, object? body = null) =>
        (await op.PostAsync("/v1/groups", body ?? new { })).ShouldBe(HttpStatusCode.Created).Str("groupId");

    [Fact]
    public async Task CreateGroup_WithTagsAndConfiguration_Answers201AndGetReturnsIt()
    {
        var op = await server.NewOperatorAsync();
        var created = (await op.PostAsync("/v1/groups", new
        {
            tags = new { name = "Group name", site = "osaka" },
            configuration = new { SoracomAir = new { metadata = new { enabled = true } }, SoracomHarvest = new { enabled = true } },
        })).ShouldBe(HttpStatusCode.Created);
        var groupId = created.Str("groupId");
        Guid.TryParse(groupId, out _).ShouldBeTrue();
        created.Str("operatorId").ShouldBe(op.OperatorId);
        created.Json["createdTime"]!.GetValue<long>().ShouldBe(server.Clock.GetUtcNow().ToUnixTimeMilliseconds());

        var got = (await op.GetAsync($"/v1/groups/{groupId}")).ShouldBe(HttpStatusCode.OK);
        got.Json["tags"]!["name"]!.GetValue<string>().ShouldBe("Group name");
        got.Json["tags"]!["site"]!.GetValue<string>().ShouldBe("osaka");
        got.Json["configuration"]!["SoracomAir"]!["metadata"]!["enabled"]!.GetValue<bool>().ShouldBeTrue();
        got.Json["configuration"]!["SoracomHarvest"]!["enabled"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task CreateGroup_EmptyBody_Answers201WithEmptyNameAndConfiguration()
    {
        var op = await server.NewOperatorAsync();
        var created = (await op.SendRawAsync(HttpMethod.Post, "/v1/groups", "")).ShouldBe(HttpStatusCode.Created);
        created.Json["tags"]!["name"]!.GetValue<string>().ShouldBe("");
        created.Json["configuration"]!.AsObject().Count.ShouldBe(0);
    }

    [Theory]
    [InlineData("{\"configuration\":{\"SoracomNope\":{}}}", "GRM0005")]
    [InlineData("{\"configuration\":{\"SoracomAir\":5}}", "COM0004")]
    [InlineData("{\"configuration\":{\"SoracomAir\":[1]}}", "COM0004")]
    [InlineData("{\"configuration\":5}", "COM0001")]
    [InlineData("{\"tags\":{\"name\":5}}", "COM0001")]
    [InlineData("{\"tags\":{\"\":\"x\"}}", "COM0004")]
    [InlineData("[1]", "COM0001")]
    public async Task CreateGroup_InvalidBody_Answers400(string body, string code)
    {
        var op = await server.NewOperatorAsync();
        (await op.SendRawAsync(HttpMethod.Post, "/v1/groups", body)).ShouldBe(HttpStatusCode.BadRequest, code);
        (await op.GetAsync("/v1/groups")).ShouldBe(HttpStatusCode.OK).Array.Count.ShouldBe(0);
    }

    [Fact]
    public async Task CreateGroup_ConfigurationOver8KB_Answers400()
    {
        var op = await server.NewOperatorAsync();
        var body = new { configuration = new { SoracomAir = new { userdata = new string('x', 8200) } } };
        (await op.PostAsync("/v1/groups", body)).ShouldBe(HttpStatusCode.BadRequest, "GRM0003");
        (await op.GetAsync("/v1/groups")).ShouldBe(HttpStatusCode.OK).Array.Count.ShouldBe(0);
    }

    [Fact]
    public async Task GetGroup_UnknownOrForeign_Answers404()
    {
        var op = await server.NewOperatorAsync();
        var other = await server.NewOperatorAsync();
        var foreign = await CreateGroupAsync(other);
        var unknownId = Guid.NewGuid().ToString();
        var unknown = (await op.GetAsync($"/v1/groups/{unknownId}")).ShouldBe(HttpStatusCode.NotFound, "GRM0001");
        var hidden = (await op.GetAsync($"/v1/groups/{foreign}")).ShouldBe(HttpStatusCode.NotFound, "GRM0001");
        hidden.Str("message").Replace(foreign, "ID", StringComparison.Ordinal).ShouldBe(unknown.Str("message").Replace(unknownId, "ID", StringComparison.Ordinal));
        (await op.DeleteAsync($"/v1/groups/{foreign}")).ShouldBe(HttpStatusCode.NotFound, "GRM0001");
        (await op.PutAsync($"/v1/groups/{foreign}/tags", new[] { new { tagName = "a", tagValue = "b" } })).ShouldBe(HttpStatusCode.NotFound, "GRM0001");
        (await op.GetAsync($"/v1/groups/{foreign}/subscribers")).ShouldBe(HttpStatusCode.NotFound, "GRM0001");
        (await other.GetAsync($"/v1/groups/{foreign}")).ShouldBe(HttpStatusCode.OK).Json["tags"]!.AsObject().Count.ShouldBe(1);
    }

    [Fact]
    public async Task DeleteGroup_Twice_Answers204Then404()
    {
        var op = await server.NewOperatorAsync();
        var groupId = await CreateGroupAsync(op);
        (await op.DeleteAsync($"/v1/groups/{groupId}")).ShouldBe(HttpStatusCode.NoContent);
        (await op.DeleteAsync($"/v1/groups/{groupId}")).ShouldBe(HttpStatusCode.NotFound, "GRM0001");
        (await op.GetAsync($"/v1/groups/{groupId}")).ShouldBe(HttpStatusCode.NotFound, "GRM0001");
    }

    [Fact]
    public async Task DeleteGroup_WithSims_Answers400AndKeepsEverything()
    {
        var op = await server.NewOperatorAsync();
        var groupId = await CreateGroupAsync(op, new { tags = new { name = "g" } });
        var simId = (await op.CreateRegisteredSimAsync()).Str("simId");
        (await op.PostAsync($"/v1/sims/{simId}/set_group", new { groupId })).ShouldBe(HttpStatusCode.OK);

        (await op.DeleteAsync($"/v1/groups/{groupId}")).ShouldBe(HttpStatusCode.BadRequest, "GRM0002");
        (await op.GetAsync($"/v1/groups/{groupId}")).ShouldBe(HttpStatusCode.OK).Json["tags"]!["name"]!.GetValue<string>().ShouldBe("g");
        (await op.GetAsync($"/v1/sims/{simId}")).ShouldBe(HttpStatusCode.OK).Str("groupId").ShouldBe(groupId);

        (await op.PostAsync($"/v1/sims/{simId}/unset_group")).ShouldBe(HttpStatusCode.OK);
        (await op.DeleteAsync($"/v1/groups/{groupId}")).ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task DeleteGroup_WithTerminatedSim_Answers400()
    {
        var op = await server.NewOperatorAsync();
        var groupId = await CreateGroupAsync(op);
        var simId = (await op.CreateRegisteredSimAsync()).Str("simId");
        (await op.PostAsync($"/v1/sims/{simId}/set_group", new { groupId })).ShouldBe(HttpStatusCode.OK);
        (await op.PostAsync($"/v1/sims/{simId}/enable_termination")).ShouldBe(HttpStatusCode.OK);
        (await op.PostAsync($"/v1/sims/{simId}/terminate")).ShouldBe(HttpStatusCode.OK);

        (await op.DeleteAsync($"/v1/groups/{groupId}")).ShouldBe(HttpStatusCode.BadRequest, "GRM0002");
        (await op.GetAsync($"/v1/groups/{groupId}")).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ListGroups_OnlyCallersGroups_OrderedByGroupId()
    {
        var op = await server.NewOperatorAsync();
        var other = await server.NewOperatorAsync();
        await CreateGroupAsync(other);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await CreateGroupAsync(op));
        }

        var listed = (await op.GetAsync("/v1/groups")).ShouldBe(HttpStatusCode.OK);
        listed.Header("x-soracom-next-key").ShouldBeNull();
        var listedIds = listed.Array.Select(g => g!["groupId"]!.GetValue<string>()).ToList();
        listedIds.ShouldBe(ids.Order(StringComparer.Ordinal).ToList());
    }

    [Fact]
    public async Task ListGroups_TagFilters_ExactAndPrefix()
    {
        var op = await server.NewOperatorAsync();
        var alpha = await CreateGroupAsync(op, new { tags = new { name = "alpha-1", site = "tokyo" } });
        var alpha2 = await CreateGroupAsync(op, new { tags = new { name = "alpha-2" } });
        await CreateGroupAsync(op, new { tags = new { name = "beta" } });
        await CreateGroupAsync(op, new { tags = new { name = "Alpha-3" } });

        async Task<List<string>> ListAsync(string query) =>
            [.. (await op.GetAsync("/v1/groups?" + query)).ShouldBe(HttpStatusCode.OK).Array.Select(g => g!["groupId"]!.GetValue<string>()).Order(StringComparer.Ordinal)];

        (await ListAsync("tag_name=name&tag_value=alpha-1")).ShouldBe([alpha]);
        (await ListAsync("tag_name=name&tag_value=alpha-1&tag_value_match_mode=exact")).ShouldBe([alpha]);
        (await ListAsync("tag_name=name&tag_value=alpha&tag_value_match_mode=exact")).ShouldBeEmpty();
        (await ListAsync("tag_name=name&tag_value=alpha&tag_value_match_mode=prefix")).ShouldBe(new[] { alpha, alpha2 }.Order(StringComparer.Ordinal).ToList());
        (await ListAsync("tag_name=site&tag_value=tok&tag_value_match_mode=prefix")).ShouldBe([alpha]);
        (await ListAsync("tag_name=site&tag_value=alpha&tag_value_match_mode=prefix")).ShouldBeEmpty();
        (await ListAsync("tag_name=name&tag_value=alpha-1-long&tag_value_match_mode=prefix")).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("tag_name=name")]
    [InlineData("tag_value=x")]
    [InlineData("tag_name=name&tag_value=x&tag_value_match_mode=suffix")]
    [InlineData("limit=0")]
    [InlineData("limit=abc")]
    public async Task ListGroups_InvalidQuery_Answers400(string query)
    {
        var op = await server.NewOperatorAsync();
        (await op.GetAsync("/v1/groups?" + query)).ShouldBe(HttpStatusCode.BadRequest, "COM0007");
    }

    [Fact]
    public async Task PutConfigurationParameters_UpsertsKeys_AndSetsLastModifiedTime()
    {
        var op = await server.NewOperatorAsync();
        var groupId = await CreateGroupAsync(op, new { configuration = new { SoracomAir = new { useCustomDns = false, keep = "me" } } });
        server.Clock.Advance(TimeSpan.FromSeconds(5));
        var now = server.Clock.GetUtcNow().ToUnixTimeMilliseconds();

        var body = JsonNode.Parse("""[{"key":"useCustomDns","value":true},{"key":"dnsServers","value":["192.168.0.5","192.168.0.6"]},{"key":"metadata","value":{"enabled":true}},{"key":"n","value":null}]""");
        var updated = (await op.PutAsync($"/v1/groups/{groupId}/configuration/SoracomAir", body)).ShouldBe(HttpStatusCode.OK);
        var air = updated.Json["configuration"]!["SoracomAir"]!;
        air["useCustomDns"]!.GetValue<bool>().ShouldBeTrue();
        air["keep"]!.GetValue<string>().ShouldBe("me");
        air["dnsServers"]!.AsArray().Count.ShouldBe(2);
        air["metadata"]!["enabled"]!.GetValue<bool>().ShouldBeTrue();
        air.AsObject().ContainsKey("n").ShouldBeTrue();
        updated.Json["lastModifiedTime"]!.GetValue<long>().ShouldBe(now);
        updated.Json["createdTime"]!.GetValue<long>().ShouldBeLessThan(now);

        var other = (await op.PutAsync($"/v1/groups/{groupId}/configuration/SoracomHarvest", JsonNode.Parse("""[{"key":"enabled","value":true}]"""))).ShouldBe(HttpStatusCode.OK);
        other.Json["configuration"]!["SoracomHarvest"]!["enabled"]!.GetValue<bool>().ShouldBeTrue();
        other.Json["configuration"]!["SoracomAir"]!["keep"]!.GetValue<string>().ShouldBe("me");
    }

    [Theory]
    [InlineData("[{\"value\":1}]", "COM0002", "[0].key")]
    [InlineData("[{\"key\":\"a\",\"value\":1},{\"key\":\"b\"}]", "COM0002", "[1].value")]
    [InlineData("[{\"key\":5,\"value\":1}]", "COM0004", "[0].key")]
    [InlineData("[5]", "COM0004", "[0]")]
    [InlineData("{\"key\":\"a\",\"value\":1}", "COM0001", null)]
    [InlineData("not json", "COM0001", null)]
    public async Task PutConfigurationParameters_InvalidBody_Answers400NamingTheField(string body, string code, string? field)
    {
        var op = await server.NewOperatorAsync();
        var groupId = await CreateGroupAsync(op);
        var response = (await op.SendRawAsync(HttpMethod.Put, $"/v1/groups/{groupId}/configuration/SoracomAir", body)).ShouldBe(HttpStatusCode.BadRequest, code);
        if (field is not null)
        {
            response.Str("message").ShouldContain(field);
        }

        (await op.GetAsync($"/v1/groups/{groupId}")).ShouldBe(HttpStatusCode.OK).Json["configuration"]!.AsObject().Count.ShouldBe(0);
    }

    [Fact]
    public async Task PutConfigurationParameters_UnknownNamespaceOrGroup_Answers400Or404()
    {
        var op = await server.NewOperatorAsync();
        var groupId = await CreateGroupAsync(op);
        var body = JsonNode.Parse("""[{"key":"a","value":1}]""");
        (await op.PutAsync($"/v1/groups/{groupId}/configuration/SoracomNope", body)).ShouldBe(HttpStatusCode.BadRequest, "GRM0005");
        (await op.PutAsync($"/v1/groups/{Guid.NewGuid()}/configuration/SoracomAir", body)).ShouldBe(HttpStatusCode.NotFound, "GRM0001");
    }

    [Fact]
    public async Task PutConfigurationParameters_Over8KB_Answers400AndKeepsConfiguration()
    {
        var op = await server.NewOperatorAsync();
        var groupId = await CreateGroupAsync(op, new { configuration = new { SoracomAir = new { userdata = new string('a', 5000) } } });
        var body = new JsonArray(new JsonObject { ["key"] = "more", ["value"] = new string('b', 4000) });
        (await op.PutAsync($"/v1/groups/{groupId}/configuration/SoracomBeam", body)).ShouldBe(HttpStatusCode.BadRequest, "GRM0003");
        var config = (await op.GetAsync($"/v1/groups/{groupId}")).ShouldBe(HttpStatusCode.OK).Json["configuration"]!.AsObject();
        config.ContainsKey("SoracomBeam").ShouldBeFalse();
        config["SoracomAir"]!["userdata"]!.GetValue<string>().Length.ShouldBe(5000);
    }

    [Fact]
    public async Task DeleteConfigurationNamespace_RemovesIt_ThenAbsentAnswers400()
    {
        var op = await server.NewOperatorAsync();
        var groupId = await CreateGroupAsync(op, new { configuration = new { SoracomAir = new { a = 1 }, SoracomBeam = new { b = 2 } } });
        server.Clock.Advance(TimeSpan.FromSeconds(1));
        (await op.DeleteAsync($"/v1/groups/{groupId}/configuration/SoracomAir")).ShouldBe(HttpStatusCode.NoContent);
        var group = (await op.GetAsync($"/v1/groups/{groupId}")).ShouldBe(HttpStatusCode.OK).Json;
        group["configuration"]!.AsObject().ContainsKey("SoracomAir").ShouldBeFalse();
        group["configuration"]!["SoracomBeam"]!["b"]!.GetValue<int>().ShouldBe(2);
        group["lastModifiedTime"]!.GetValue<long>().ShouldBe(server.Clock.GetUtcNow().ToUnixTimeMilliseconds());

        (await op.DeleteAsync($"/v1/groups/{groupId}/configuration/SoracomAir")).ShouldBe(HttpStatusCode.BadRequest, "GRM0004");
        (await op.DeleteAsync($"/v1/groups/{groupId}/configuration/SoracomNope")).ShouldBe(HttpStatusCode.BadRequest, "GRM0005");
        (await op.DeleteAsync($"/v1/groups/{Guid.NewGuid()}/configuration/SoracomBeam")).ShouldBe(HttpStatusCode.NotFound, "GRM0001");
    }

    [Fact]
    public async Task DeleteConfigurationParameter_LastKeyRemovesNamespace_UnknownKeyAnswers404()
    {
        var op = await server.NewOperatorAsync();
        var groupId = await CreateGroupAsync(op, new { configuration = new { SoracomAir = new { a = 1, b = 2 } } });
        (await op.DeleteAsync($"/v1/groups/{groupId}/configuration/SoracomAir/a")).ShouldBe(HttpStatusCode.NoContent);
        var air = (await op.GetAsync($"/v1/groups/{groupId}")).ShouldBe(HttpStatusCode.OK).Json["configuration"]!["SoracomAir"]!.AsObject();
        air.ContainsKey("a").ShouldBeFalse();
        air["b"]!.GetValue<int>().ShouldBe(2);

        (await op.DeleteAsync($"/v1/groups/{groupId}/configuration/SoracomAir/nope")).ShouldBe(HttpStatusCode.NotFound, "GRM0006");
        (await op.DeleteAsync($"/v1/groups/{groupId}/configuration/SoracomAir/b")).ShouldBe(HttpStatusCode.NoContent);
        (await op.GetAsync($"/v1/groups/{groupId}")).ShouldBe(HttpStatusCode.OK).Json["configuration"]!.AsObject().ContainsKey("SoracomAir").ShouldBeFalse();
        (await op.DeleteAsync($"/v1/groups/{groupId}/configuration/SoracomAir/b")).ShouldBe(HttpStatusCode.BadRequest, "GRM0004");
        (await op.DeleteAsync($"/v1/groups/{Guid.NewGuid()}/configuration/SoracomAir/b")).ShouldBe(HttpStatusCode.NotFound, "GRM0001");
    }

    [Fact]
    public async Task PutGroupTags_Upserts_DeleteGroupTagRemoves()
    {
        var op = await server.NewOperatorAsync();
        var groupId = await CreateGroupAsync(op, new { tags = new { name = "old", keep = "k" } });
        server.Clock.Advance(TimeSpan.FromSeconds(3));
        var updated = (await op.PutAsync($"/v1/groups/{groupId}/tags", new[] { new { tagName = "name", tagValue = "new" }, new { tagName = "empty", tagValue = "" }, new { tagName = "a/b c", tagValue = "v" } }))
            .ShouldBe(HttpStatusCode.OK);
        var tags = updated.Json["tags"]!;
        tags["name"]!.GetValue<string>().ShouldBe("new");
        tags["keep"]!.GetValue<string>().ShouldBe("k");
        tags["empty"]!.GetValue<string>().ShouldBe("");
        updated.Json["lastModifiedTime"]!.GetValue<long>().ShouldBe(server.Clock.GetUtcNow().ToUnixTimeMilliseconds());

        (await op.DeleteAsync($"/v1/groups/{groupId}/tags/{Uri.EscapeDataString("a/b c")}")).ShouldBe(HttpStatusCode.NoContent);
        (await op.DeleteAsync($"/v1/groups/{groupId}/tags/keep")).ShouldBe(HttpStatusCode.NoContent);
        var after = (await op.GetAsync($"/v1/groups/{groupId}")).ShouldBe(HttpStatusCode.OK).Json["tags"]!.AsObject();
        after.ContainsKey("keep").ShouldBeFalse();
        after.ContainsKey("a/b c").ShouldBeFalse();
        after["name"]!.GetValue<string>().ShouldBe("new");

        (await op.DeleteAsync($"/v1/groups/{groupId}/tags/keep")).ShouldBe(HttpStatusCode.NotFound, "SEM0013");
        (await op.DeleteAsync($"/v1/groups/{Guid.NewGuid()}/tags/keep")).ShouldBe(HttpStatusCode.NotFound, "GRM0001");
    }

    [Theory]
    [InlineData("[{\"tagName\":\"a\"}]", "COM0002")]
    [InlineData("[{\"tagValue\":\"a\"}]", "COM0002")]
    [InlineData("{\"tagName\":\"a\",\"tagValue\":\"b\"}", "COM0001")]
    public async Task PutGroupTags_InvalidBody_Answers400(string body, string code)
    {
        var op = await server.NewOperatorAsync();
        var groupId = await CreateGroupAsync(op);
        (await op.SendRawAsync(HttpMethod.Put, $"/v1/groups/{groupId}/tags", body)).ShouldBe(HttpStatusCode.BadRequest, code);
    }

    [Fact]
    public async Task ListSubscribersInGroup_ReturnsCallersSimsInTheGroup()
    {
        var op = await server.NewOperatorAsync();
        var groupId = await CreateGroupAsync(op);
        var otherGroup = await CreateGroupAsync(op);
        var inGroup = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var simId = (await op.CreateRegisteredSimAsync()).Str("simId");
            (await op.PostAsync($"/v1/sims/{simId}/set_group", new { groupId })).ShouldBe(HttpStatusCode.OK);
            inGroup.Add(simId);
        }

        var elsewhere = (await op.CreateRegisteredSimAsync()).Str("simId");
        (await op.PostAsync($"/v1/sims/{elsewhere}/set_group", new { groupId = otherGroup })).ShouldBe(HttpStatusCode.OK);
        await op.CreateRegisteredSimAsync();

        var listed = (await op.GetAsync($"/v1/groups/{groupId}/subscribers")).ShouldBe(HttpStatusCode.OK);
        listed.Array.Select(s => s!["simId"]!.GetValue<string>()).ShouldBe(inGroup.Order(StringComparer.Ordinal).ToList());
        listed.Array.ShouldAllBe(s => s!["groupId"]!.GetValue<string>() == groupId);
        listed.Header("x-soracom-next-key").ShouldBeNull();

        var empty = await CreateGroupAsync(op);
        (await op.GetAsync($"/v1/groups/{empty}/subscribers")).ShouldBe(HttpStatusCode.OK).Array.Count.ShouldBe(0);
    }
}

public sealed class GroupsTests_Sqlite(SqliteServer server) : GroupsTests(server), IClassFixture<SqliteServer>;

public sealed class GroupsTests_Postgres(PostgresServer server) : GroupsTests(server), IClassFixture<PostgresServer>;
